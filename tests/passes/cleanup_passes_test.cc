// Before/after graphs of the clean-up passes (chain collapse, identity elimination, constant
// folding within its budget, dead code), each also run for equal outputs with passes on and off.
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

// Runs the model with passes on and off on `input` and expects identical outputs.
void expect_same_outputs(const std::string& path, const Tensor& input) {
  std::vector<std::vector<float>> results;
  for (bool optimize : {true, false}) {
    SessionOptions options;
    options.optimize = optimize;
    auto session = Session::load(path, options);
    ASSERT_TRUE(session.is_ok()) << session.status().to_string();
    std::vector<Tensor> out;
    Status st = (*session)->run({input}, out);
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    ASSERT_EQ(out[0].dtype(), DType::kFloat32);
    results.emplace_back(out[0].data<float>(), out[0].data<float>() + out[0].numel());
  }
  EXPECT_EQ(results[0], results[1]);
}

TEST(ChainCollapse, ReshapeSqueezeAndCastChains) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::INT32, {2, 3});
  b.output("y", onnx::TensorProto::FLOAT);
  b.initializer_i64("s1", {1}, {6});
  b.initializer_i64("s2", {2}, {3, 2});
  b.initializer_i64("axis", {1}, {0});
  b.node("Reshape", {"x", "s1"}, {"r1"});
  b.node("Reshape", {"r1", "s2"}, {"r2"});
  b.node("Unsqueeze", {"r2", "axis"}, {"u"});
  b.node("Squeeze", {"u", "axis"}, {"sq"});
  recinfer::testing::add_attr_int(b.node("Cast", {"sq"}, {"wide"}), "to", onnx::TensorProto::INT64);
  recinfer::testing::add_attr_int(b.node("Cast", {"wide"}, {"y"}), "to", onnx::TensorProto::FLOAT);
  const std::string path = b.write(recinfer::testing::temp_dir("chain_collapse"));
  auto g = load_graph(path);
  auto report = run_only(*g, {"chain-collapse", "identity-elimination", "dead-code-elimination"});
  EXPECT_EQ(find_report(report, "chain-collapse")->matches, 3);
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["Reshape"], 1);
  EXPECT_EQ(counts["Unsqueeze"], 0);
  EXPECT_EQ(counts["Squeeze"], 0);
  EXPECT_EQ(counts["Cast"], 1);
  auto x = Tensor::from_vector<int32_t>(Shape{2, 3}, {1, -2, 3, -4, 5, 2147483647});
  ASSERT_TRUE(x.is_ok());
  expect_same_outputs(path, *x);
}

// float -> int32 -> float truncates: the two Casts must stay.
TEST(ChainCollapse, KeepsLossyCasts) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {3});
  b.output("y", onnx::TensorProto::FLOAT);
  recinfer::testing::add_attr_int(b.node("Cast", {"x"}, {"i"}), "to", onnx::TensorProto::INT32);
  recinfer::testing::add_attr_int(b.node("Cast", {"i"}, {"y"}), "to", onnx::TensorProto::FLOAT);
  const std::string path = b.write(recinfer::testing::temp_dir("chain_lossy"));
  auto g = load_graph(path);
  auto report = run_only(*g, {"chain-collapse"});
  EXPECT_EQ(find_report(report, "chain-collapse")->matches, 0);
  auto x = Tensor::from_vector<float>(Shape{3}, {1.5f, -2.7f, 3.0f});
  expect_same_outputs(path, *x);
}

// A Reshape whose shape copies a dim (0) from its input keeps the inner Reshape.
TEST(ChainCollapse, KeepsReshapeThatCopiesDims) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {2, 3});
  b.output("y", onnx::TensorProto::FLOAT);
  b.initializer_i64("s1", {2}, {3, 2});
  b.initializer_i64("s2", {2}, {0, -1});
  b.node("Reshape", {"x", "s1"}, {"r1"});
  b.node("Reshape", {"r1", "s2"}, {"y"});
  auto g = load_graph(b.write(recinfer::testing::temp_dir("chain_reshape_zero")));
  auto report = run_only(*g, {"chain-collapse"});
  EXPECT_EQ(find_report(report, "chain-collapse")->matches, 0);
}

TEST(IdentityElimination, RemovesIdentityAndSameTypeCast) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {2});
  b.output("y", onnx::TensorProto::FLOAT);
  b.node("Identity", {"x"}, {"a"});
  recinfer::testing::add_attr_int(b.node("Cast", {"a"}, {"c"}), "to", onnx::TensorProto::FLOAT);
  b.node("Relu", {"c"}, {"y"});
  const std::string path = b.write(recinfer::testing::temp_dir("identity"));
  auto g = load_graph(path);
  run_only(*g, {"identity-elimination", "dead-code-elimination"});
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["Identity"], 0);
  EXPECT_EQ(counts["Cast"], 0);
  EXPECT_EQ(counts["Relu"], 1);
  expect_same_outputs(path, *Tensor::from_vector<float>(Shape{2}, {-1.0f, 2.0f}));
}

// Constant subexpressions fold; an output larger than the budget is left to run time.
TEST(ConstantFolding, FoldsWithinBudgetOnly) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {4});
  b.output("y", onnx::TensorProto::FLOAT);
  b.output("z", onnx::TensorProto::FLOAT);
  b.initializer_f32("w", {4}, {1, 2, 3, 4});
  b.initializer_i64("big_shape", {2}, {1000, 4});
  b.node("Neg", {"w"}, {"nw"});
  b.node("Add", {"x", "nw"}, {"y"});
  b.node("Expand", {"w", "big_shape"}, {"big"});
  b.node("Add", {"big", "x"}, {"z"});
  const std::string path = b.write(recinfer::testing::temp_dir("folding"));
  auto g = load_graph(path);
  PipelineOptions options;
  options.fold_max_elements = 100;
  for (const PassInfo& p : list_passes()) {
    if (p.name != "constant-folding" && p.name != "dead-code-elimination") options.disabled.push_back(p.name);
  }
  auto report = optimize_graph(*g, options);
  ASSERT_TRUE(report.is_ok());
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["Neg"], 0);     // 4 elements: folded
  EXPECT_EQ(counts["Expand"], 1);  // 4000 elements: over the budget of 100
  EXPECT_EQ(find_report(*report, "constant-folding")->matches, 1);
}

}  // namespace
}  // namespace recinfer::passes
