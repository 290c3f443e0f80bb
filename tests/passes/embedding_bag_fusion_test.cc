// Before/after graphs of the EmbeddingBag passes on real torch.onnx.export output (the zoo) and
// on a Loop that must not match.
#include <gtest/gtest.h>

#include "ir/verifier.h"
#include "support/model_builder.h"
#include "support/pass_test_util.h"

namespace recinfer::passes {
namespace {

using testing::find_op;
using testing::load_graph;
using testing::op_counts;
using testing::run_only;
using testing::zoo_model;

const std::vector<std::string> kFusion = {"constant-folding", "embedding-bag-fusion",
                                          "dead-code-elimination"};

TEST(EmbeddingBagFusion, ReplacesEveryDlrmLoopAtBothOpsets) {
  for (const char* name : {"dlrm_small_opset11", "dlrm_small_opset14"}) {
    auto g = load_graph(zoo_model(name));
    ASSERT_EQ(op_counts(*g)["Loop"], 26) << name;
    PipelineReport report = run_only(*g, kFusion);
    auto counts = op_counts(*g);
    EXPECT_EQ(counts["Loop"], 0) << name;
    EXPECT_EQ(counts["EmbeddingBag"], 26) << name;
    EXPECT_EQ(counts["ReduceSum"], 0) << name;  // the Loop bodies are gone with the Loops
    EXPECT_EQ(testing::find_report(report, "embedding-bag-fusion")->matches, 26);
    EXPECT_EQ(report.before.dynamic_ops, 26);
    EXPECT_EQ(report.after.dynamic_ops, 0);
    const ir::Node* bag = find_op(*g, ir::OpType::kEmbeddingBag);
    ASSERT_NE(bag, nullptr);
    EXPECT_EQ(bag->attr_string("mode", ""), "sum");
    ASSERT_EQ(bag->inputs.size(), 5u);
    EXPECT_TRUE(g->value(bag->inputs[0]).constant.has_value());  // the table
    EXPECT_EQ(g->value(bag->inputs[1]).name.rfind("indices_", 0), 0u);
    EXPECT_EQ(bag->inputs[4], ir::kNoValue);  // no per-sample weights
    EXPECT_TRUE(ir::verify_graph(*g).is_ok());
  }
}

// After the fusion, each bag's bounds are still Concat(offsets, [len(indices)]) and its Slice;
// embedding-bag-offsets hands EmbeddingBag the offsets themselves and the chain goes.
TEST(EmbeddingBagOffsets, BagsReadTheOffsetsDirectly) {
  for (const char* name : {"dlrm_small_opset11", "dlrm_small_opset14", "weighted_bag_opset14"}) {
    auto g = load_graph(zoo_model(name));
    PipelineReport report = run_only(*g, {"constant-folding", "embedding-bag-fusion",
                                          "embedding-bag-offsets", "dead-code-elimination"});
    const int tables = op_counts(*g)["EmbeddingBag"];
    EXPECT_EQ(testing::find_report(report, "embedding-bag-offsets")->matches, tables) << name;
    EXPECT_EQ(op_counts(*g)["Slice"], 0) << name;
    for (const ir::Node& node : g->nodes) {
      if (node.op == ir::OpType::kShape) {  // nothing reads the id lists' lengths any more
        EXPECT_NE(g->value(node.inputs[0]).name.rfind("indices_", 0), 0u) << name;
      }
      if (node.op != ir::OpType::kEmbeddingBag) continue;
      EXPECT_EQ(g->value(node.inputs[2]).name.rfind("offsets_", 0), 0u) << name;
      EXPECT_EQ(node.inputs[3], ir::kNoValue) << name;
    }
    EXPECT_TRUE(ir::verify_graph(*g).is_ok());
  }
}

TEST(EmbeddingBagFusion, TakesPerSampleWeights) {
  for (const char* name : {"weighted_bag_opset11", "weighted_bag_opset14"}) {
    auto g = load_graph(zoo_model(name));
    run_only(*g, kFusion);
    auto counts = op_counts(*g);
    EXPECT_EQ(counts["Loop"], 0) << name;
    EXPECT_EQ(counts["EmbeddingBag"], 3) << name;
    const ir::Node* bag = find_op(*g, ir::OpType::kEmbeddingBag);
    ASSERT_NE(bag, nullptr);
    ASSERT_NE(bag->inputs[4], ir::kNoValue);
    EXPECT_EQ(g->value(bag->inputs[4]).name.rfind("weights_", 0), 0u);
  }
}

TEST(EmbeddingBagFusion, RecognisesMeanAndMax) {
  for (const char* name : {"bag_modes_opset11", "bag_modes_opset14"}) {
    auto g = load_graph(zoo_model(name));
    run_only(*g, kFusion);
    std::map<std::string, int> modes;
    for (const ir::Node& node : g->nodes) {
      if (node.op == ir::OpType::kEmbeddingBag) ++modes[node.attr_string("mode", "")];
    }
    EXPECT_EQ(modes["mean"], 2) << name;
    EXPECT_EQ(modes["max"], 1) << name;
    EXPECT_EQ(op_counts(*g)["Loop"], 0) << name;
  }
}

TEST(EmbeddingBagGrouping, MergesBagsOfOneModeIntoOneNode) {
  auto g = load_graph(zoo_model("dlrm_small_opset14"));
  run_only(*g, {"constant-folding", "embedding-bag-fusion", "embedding-bag-grouping",
                "dead-code-elimination"});
  const ir::Node* bag = find_op(*g, ir::OpType::kEmbeddingBag);
  ASSERT_NE(bag, nullptr);
  EXPECT_EQ(op_counts(*g)["EmbeddingBag"], 1);
  EXPECT_EQ(bag->inputs.size(), 26u * 5u);
  EXPECT_EQ(bag->outputs.size(), 26u);
  EXPECT_TRUE(ir::verify_graph(*g).is_ok());

  auto modes = load_graph(zoo_model("bag_modes_opset14"));
  run_only(*modes, {"constant-folding", "embedding-bag-fusion", "embedding-bag-grouping",
                    "dead-code-elimination"});
  EXPECT_EQ(op_counts(*modes)["EmbeddingBag"], 2);  // the two mean bags merged, max alone
}

// A Loop with a loop-carried value is not an EmbeddingBag: it must stay.
TEST(EmbeddingBagFusion, LeavesOtherLoopsAlone) {
  recinfer::testing::ModelBuilder b(14);
  b.input("n", onnx::TensorProto::INT64, {});
  b.input("x0", onnx::TensorProto::FLOAT, {2});
  auto* cond = b.graph().add_initializer();
  cond->set_name("true_");
  cond->set_data_type(onnx::TensorProto::BOOL);
  cond->set_raw_data(std::string(1, '\1'));
  onnx::GraphProto body;
  body.set_name("body");
  for (auto [name, type] : {std::pair{"i", onnx::TensorProto::INT64},
                            std::pair{"c", onnx::TensorProto::BOOL},
                            std::pair{"x", onnx::TensorProto::FLOAT}}) {
    auto* in = body.add_input();
    in->set_name(name);
    in->mutable_type()->mutable_tensor_type()->set_elem_type(type);
  }
  auto* add = body.add_node();
  add->set_op_type("Add");
  add->add_input("x");
  add->add_input("x");
  add->add_output("y");
  auto* id = body.add_node();
  id->set_op_type("Identity");
  id->add_input("c");
  id->add_output("c_out");
  body.add_output()->set_name("c_out");
  body.add_output()->set_name("y");
  auto& loop = b.node("Loop", {"n", "true_", "x0"}, {"x_final"}, "loop");
  auto* attr = loop.add_attribute();
  attr->set_name("body");
  attr->set_type(onnx::AttributeProto::GRAPH);
  *attr->mutable_g() = body;
  b.output("x_final", onnx::TensorProto::FLOAT);
  auto g = load_graph(b.write(recinfer::testing::temp_dir("bag_negative")));
  PipelineReport report = run_only(*g, kFusion);
  EXPECT_EQ(op_counts(*g)["Loop"], 1);
  EXPECT_EQ(testing::find_report(report, "embedding-bag-fusion")->matches, 0);
}

}  // namespace
}  // namespace recinfer::passes
