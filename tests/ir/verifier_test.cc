#include "ir/verifier.h"

#include <gtest/gtest.h>

namespace recinfer::ir {
namespace {

// x -> Relu -> y -> Neg -> z
Graph chain() {
  Graph g;
  Value x;
  x.name = "x";
  ValueId xid = g.add_value(x);
  g.inputs.push_back(xid);
  Value y;
  y.name = "y";
  ValueId yid = g.add_value(y);
  Value z;
  z.name = "z";
  ValueId zid = g.add_value(z);
  Node relu;
  relu.name = "relu";
  relu.op = OpType::kRelu;
  relu.inputs = {xid};
  relu.num_declared_inputs = 1;
  relu.outputs = {yid};
  Node neg = relu;
  neg.name = "neg";
  neg.op = OpType::kNeg;
  neg.inputs = {yid};
  neg.outputs = {zid};
  g.nodes = {relu, neg};
  g.outputs = {zid};
  return g;
}

TEST(VerifierTest, AcceptsAValidChain) { EXPECT_TRUE(verify_graph(chain()).is_ok()); }

TEST(VerifierTest, RejectsUseBeforeDefinition) {
  Graph g = chain();
  std::swap(g.nodes[0], g.nodes[1]);
  Status st = verify_graph(g);
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("reads 'y' before it is produced"), std::string::npos) << st.message();
}

TEST(VerifierTest, RejectsDoubleDefinitionAndMissingOutput) {
  Graph g = chain();
  g.nodes[1].outputs = {1};  // writes y again
  EXPECT_FALSE(verify_graph(g).is_ok());
  Graph h = chain();
  h.nodes.pop_back();
  Status st = verify_graph(h);
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("graph output 'z'"), std::string::npos);
}

TEST(VerifierTest, RejectsCaptureCountMismatch) {
  Graph g = chain();
  auto body = std::make_shared<Graph>(chain());
  Value captured;
  captured.name = "outer";
  body->captures.push_back(body->add_value(captured));
  Attribute attr;
  attr.kind = Attribute::Kind::kGraph;
  attr.graph = body;
  g.nodes[1].attributes["body"] = attr;  // captures 1 value, but the node has no implicit input
  EXPECT_FALSE(verify_graph(g).is_ok());
  g.nodes[1].inputs.push_back(0);
  EXPECT_TRUE(verify_graph(g).is_ok());
}

}  // namespace
}  // namespace recinfer::ir
