// If folding (before/after graphs) and the If kernel: a constant condition inlines the chosen
// branch; a runtime condition keeps the If, which then runs the branch with its captures. Both
// ways must give the same outputs. The model lists then_branch before else_branch (as torch
// writes it), while captures are bound in attribute-name order.
#include <gtest/gtest.h>

#include "recinfer/session.h"
#include "support/model_builder.h"
#include "support/pass_test_util.h"

namespace recinfer::passes {
namespace {

using recinfer::testing::ModelBuilder;
using testing::find_report;
using testing::load_graph;
using testing::op_counts;
using testing::run_only;

enum class Cond { kTrue, kFalse, kInput };

onnx::GraphProto branch(const std::string& name) {
  onnx::GraphProto g;
  g.set_name(name);
  return g;
}

onnx::NodeProto* add_node(onnx::GraphProto& g, const std::string& op,
                          const std::vector<std::string>& inputs, const std::string& output) {
  auto* n = g.add_node();
  n->set_op_type(op);
  n->set_name(g.name() + "_" + output);
  for (const auto& in : inputs) n->add_input(in);
  n->add_output(output);
  return n;
}

void add_output(onnx::GraphProto& g, const std::string& name) {
  auto* out = g.add_output();
  out->set_name(name);
  out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
}

void add_graph_attr(onnx::NodeProto& node, const std::string& name, const onnx::GraphProto& g) {
  auto* attr = node.add_attribute();
  attr->set_name(name);
  attr->set_type(onnx::AttributeProto::GRAPH);
  *attr->mutable_g() = g;
}

// then: (y, z) = (x * 2, x) with 2 a branch initializer and z the captured x itself;
// else: (y, z) = (x + one, x + one), `one` captured from the outer graph, the output repeated.
// w = y + z.
std::string if_model(Cond cond, const std::string& tag) {
  ModelBuilder b(13);
  b.input("x", onnx::TensorProto::FLOAT, {2, 3});
  if (cond == Cond::kInput) {
    b.input("cond", onnx::TensorProto::BOOL, {});
  } else {
    auto* c = b.graph().add_initializer();
    c->set_name("cond");
    c->set_data_type(onnx::TensorProto::BOOL);
    c->set_raw_data(std::string(1, cond == Cond::kTrue ? '\1' : '\0'));
  }
  b.initializer_f32("one", {}, {1.0f});

  onnx::GraphProto then_g = branch("then");
  auto* two = then_g.add_initializer();
  two->set_name("two");
  two->set_data_type(onnx::TensorProto::FLOAT);
  two->add_float_data(2.0f);
  add_node(then_g, "Mul", {"x", "two"}, "doubled");
  add_output(then_g, "doubled");
  add_output(then_g, "x");

  onnx::GraphProto else_g = branch("else");
  add_node(else_g, "Add", {"x", "one"}, "plus_one");
  add_output(else_g, "plus_one");
  add_output(else_g, "plus_one");

  auto& node = b.node("If", {"cond"}, {"y", "z"}, "branchy");
  add_graph_attr(node, "then_branch", then_g);
  add_graph_attr(node, "else_branch", else_g);
  b.node("Add", {"y", "z"}, {"w"});
  b.output("y", onnx::TensorProto::FLOAT);
  b.output("w", onnx::TensorProto::FLOAT);
  return b.write(recinfer::testing::temp_dir(tag));
}

const std::vector<float> kX = {1, 2, 3, -4, 5, -6};

// Runs the model (passes on and off) and checks y and w against f(x) and g(x).
void expect_outputs(const std::string& path, const std::vector<Tensor>& extra_inputs,
                    float (*y_of)(float), float (*w_of)(float)) {
  for (bool optimize : {true, false}) {
    SessionOptions options;
    options.optimize = optimize;
    auto session = Session::load(path, options);
    ASSERT_TRUE(session.is_ok()) << session.status().to_string();
    std::vector<Tensor> inputs = {Tensor::from_vector<float>(Shape{2, 3}, kX).value()};
    inputs.insert(inputs.end(), extra_inputs.begin(), extra_inputs.end());
    std::vector<Tensor> out;
    Status st = (*session)->run(inputs, out);
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    ASSERT_EQ(out.size(), 2u);
    for (int o = 0; o < 2; ++o) ASSERT_EQ(out[o].shape(), (Shape{2, 3})) << "output " << o;
    for (size_t i = 0; i < kX.size(); ++i) {
      EXPECT_FLOAT_EQ(out[0].data<float>()[i], y_of(kX[i])) << i << " optimize " << optimize;
      EXPECT_FLOAT_EQ(out[1].data<float>()[i], w_of(kX[i])) << i << " optimize " << optimize;
    }
  }
}

float twice(float x) { return 2 * x; }
float thrice(float x) { return 3 * x; }
float plus_one(float x) { return x + 1; }
float twice_plus_two(float x) { return 2 * x + 2; }

TEST(IfFolding, ConstantTrueInlinesThenBranch) {
  const std::string path = if_model(Cond::kTrue, "if_true");
  auto g = load_graph(path);
  auto report = run_only(*g, {"if-folding"});
  ASSERT_NE(find_report(report, "if-folding"), nullptr);
  EXPECT_EQ(find_report(report, "if-folding")->matches, 1);
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["If"], 0);
  EXPECT_EQ(counts["Mul"], 1);
  EXPECT_EQ(counts["Identity"], 1);  // z is the captured x itself
  // The inlined Mul now produces the If's output y directly.
  const ir::Node* mul = testing::find_op(*g, ir::OpType::kMul);
  ASSERT_NE(mul, nullptr);
  EXPECT_EQ(g->value(mul->outputs[0]).name, "y");
  EXPECT_TRUE(g->value(mul->inputs[1]).constant.has_value());
  expect_outputs(path, {}, &twice, &thrice);
}

TEST(IfFolding, ConstantFalseInlinesElseBranch) {
  const std::string path = if_model(Cond::kFalse, "if_false");
  auto g = load_graph(path);
  auto report = run_only(*g, {"if-folding"});
  EXPECT_EQ(find_report(report, "if-folding")->matches, 1);
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["If"], 0);
  EXPECT_EQ(counts["Mul"], 0);
  EXPECT_EQ(counts["Add"], 2);       // the branch's and w's
  EXPECT_EQ(counts["Identity"], 1);  // the repeated output
  expect_outputs(path, {}, &plus_one, &twice_plus_two);
}

TEST(IfFolding, RuntimeConditionKeepsTheIf) {
  const std::string path = if_model(Cond::kInput, "if_input");
  auto g = load_graph(path);
  auto report = run_only(*g, {"if-folding"});
  EXPECT_EQ(find_report(report, "if-folding")->matches, 0);
  EXPECT_EQ(op_counts(*g)["If"], 1);
  // The If kernel picks the branch per run and binds each branch's own captures.
  expect_outputs(path, {Tensor::from_vector<bool>(Shape{}, {true}).value()}, &twice, &thrice);
  expect_outputs(path, {Tensor::from_vector<bool>(Shape{}, {false}).value()}, &plus_one,
                 &twice_plus_two);
}

}  // namespace
}  // namespace recinfer::passes
