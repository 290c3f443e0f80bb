// batch-norm-folding: BatchNormalization after Gemm (torch's Linear + BatchNorm1d), after
// MatMul + Add + Transpose (Linear on a 3-D input, then BatchNorm1d over channels), after a
// bias-free MatMul, after Conv, and through an Unsqueeze; each folded graph must compute what the
// unfolded one does. Near misses (a shared producer output, run-time statistics, training mode)
// keep their BatchNormalization.
#include <gtest/gtest.h>

#include <cmath>

#include "ir/verifier.h"
#include "recinfer/session.h"
#include "support/model_builder.h"
#include "support/pass_test_util.h"

namespace recinfer::passes {
namespace {

using recinfer::testing::add_attr_int;
using recinfer::testing::add_attr_ints;
using recinfer::testing::ModelBuilder;
using testing::find_report;
using testing::load_graph;
using testing::op_counts;
using testing::run_only;

std::vector<float> ramp(size_t n, float step, float offset) {
  std::vector<float> v;
  for (size_t i = 0; i < n; ++i) v.push_back(offset + step * static_cast<float>(static_cast<int>(i % 11) - 5));
  return v;
}

// gamma, beta, mean, var for `channels` channels (var > 0, not 1, so every term matters).
void add_bn_params(ModelBuilder& b, int64_t channels) {
  b.initializer_f32("gamma", {channels}, ramp(static_cast<size_t>(channels), 0.3f, 1.1f));
  b.initializer_f32("beta", {channels}, ramp(static_cast<size_t>(channels), -0.2f, 0.5f));
  b.initializer_f32("mean", {channels}, ramp(static_cast<size_t>(channels), 0.7f, -0.1f));
  std::vector<float> var = ramp(static_cast<size_t>(channels), 0.1f, 0.0f);
  for (float& v : var) v = 0.6f + v * v;
  b.initializer_f32("var", {channels}, var);
}

onnx::NodeProto& add_bn(ModelBuilder& b, const std::string& in, const std::string& out) {
  return b.node("BatchNormalization", {in, "gamma", "beta", "mean", "var"}, {out}, "bn");
}

// Runs the model with the passes on and off; every output element must agree.
void expect_same_outputs(const std::string& path, const Tensor& input) {
  std::vector<std::vector<Tensor>> results;
  for (bool optimize : {true, false}) {
    SessionOptions options;
    options.optimize = optimize;
    auto session = Session::load(path, options);
    ASSERT_TRUE(session.is_ok()) << session.status().to_string();
    std::vector<Tensor> out;
    const Status st = (*session)->run({input}, out);
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    results.push_back(std::move(out));
  }
  const Tensor& folded = results[0][0];
  const Tensor& plain = results[1][0];
  ASSERT_EQ(folded.shape(), plain.shape());
  for (int64_t i = 0; i < plain.numel(); ++i) {
    const float e = plain.data<float>()[i];
    EXPECT_NEAR(folded.data<float>()[i], e, 1e-5f * (1 + std::fabs(e))) << "element " << i;
  }
}

int folds(ir::Graph& g) {
  auto report = run_only(g, {"batch-norm-folding", "dead-code-elimination"});
  EXPECT_TRUE(ir::verify_graph(g).is_ok());
  return find_report(report, "batch-norm-folding")->matches;
}

Tensor input(const Shape& shape) {
  return *Tensor::from_vector<float>(shape, ramp(static_cast<size_t>(shape.numel()), 0.37f, 0.1f));
}

TEST(BatchNormFolding, GemmThenBatchNorm1dThenRelu) {
  for (int opset : {11, 15, 17}) {
    ModelBuilder b(opset);
    b.input("x", onnx::TensorProto::FLOAT, {-1, 4});
    b.output("y", onnx::TensorProto::FLOAT);
    b.initializer_f32("w", {6, 4}, ramp(24, 0.21f, 0.05f));  // (out, in): transB
    b.initializer_f32("b", {6}, ramp(6, 0.4f, -0.3f));
    add_bn_params(b, 6);
    add_attr_int(b.node("Gemm", {"x", "w", "b"}, {"g"}), "transB", 1);
    onnx::NodeProto& bn = add_bn(b, "g", "n");
    if (opset >= 14) add_attr_int(bn, "training_mode", 0);
    b.node("Relu", {"n"}, {"y"});
    const std::string path = b.write(recinfer::testing::temp_dir("bn_fold_gemm"));
    auto g = load_graph(path);
    ASSERT_EQ(folds(*g), 1) << "opset " << opset;
    auto counts = op_counts(*g);
    EXPECT_EQ(counts["BatchNormalization"], 0);
    EXPECT_EQ(counts["Gemm"], 1);
    expect_same_outputs(path, input(Shape{5, 4}));
  }
}

TEST(BatchNormFolding, MatMulBiasTransposeBatchNormOverChannels) {
  // nn.Linear on (B, L, K), .transpose(1, 2), BatchNorm1d(C) on (B, C, L).
  ModelBuilder b(13);
  b.input("x", onnx::TensorProto::FLOAT, {-1, 3, 4});
  b.output("y", onnx::TensorProto::FLOAT);
  b.initializer_f32("w", {4, 5}, ramp(20, -0.13f, 0.2f));
  b.initializer_f32("b", {5}, ramp(5, 0.25f, 0.1f));
  add_bn_params(b, 5);
  b.node("MatMul", {"x", "w"}, {"m"});
  b.node("Add", {"b", "m"}, {"a"});
  add_attr_ints(b.node("Transpose", {"a"}, {"t"}), "perm", {0, 2, 1});
  add_bn(b, "t", "y");
  const std::string path = b.write(recinfer::testing::temp_dir("bn_fold_matmul_t"));
  auto g = load_graph(path);
  ASSERT_EQ(folds(*g), 1);
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["BatchNormalization"], 0);
  EXPECT_EQ(counts["Transpose"], 1);
  expect_same_outputs(path, input(Shape{2, 3, 4}));
}

TEST(BatchNormFolding, BiasFreeMatMulAndUnsqueezedBatchNorm) {
  // Linear(bias=False) -> Unsqueeze(2) -> BatchNorm over (N, C, 1) -> Squeeze(2).
  ModelBuilder b(11);
  b.input("x", onnx::TensorProto::FLOAT, {-1, 4});
  b.output("y", onnx::TensorProto::FLOAT);
  b.initializer_f32("w", {4, 3}, ramp(12, 0.3f, 0.0f));
  add_bn_params(b, 3);
  b.node("MatMul", {"x", "w"}, {"m"});
  add_attr_ints(b.node("Unsqueeze", {"m"}, {"u"}), "axes", {2});
  add_bn(b, "u", "n");
  add_attr_ints(b.node("Squeeze", {"n"}, {"y"}), "axes", {2});
  const std::string path = b.write(recinfer::testing::temp_dir("bn_fold_unsqueeze"));
  auto g = load_graph(path);
  ASSERT_EQ(folds(*g), 1);
  EXPECT_EQ(op_counts(*g)["BatchNormalization"], 0);
  expect_same_outputs(path, input(Shape{3, 4}));
}

TEST(BatchNormFolding, ConvThenBatchNorm) {
  ModelBuilder b(13);
  b.input("x", onnx::TensorProto::FLOAT, {-1, 2, 7});
  b.output("y", onnx::TensorProto::FLOAT);
  b.initializer_f32("w", {4, 2, 3}, ramp(24, 0.17f, 0.0f));
  b.initializer_f32("b", {4}, ramp(4, 0.5f, 0.0f));
  add_bn_params(b, 4);
  add_attr_ints(b.node("Conv", {"x", "w", "b"}, {"c"}), "kernel_shape", {3});
  add_bn(b, "c", "y");
  const std::string path = b.write(recinfer::testing::temp_dir("bn_fold_conv"));
  auto g = load_graph(path);
  ASSERT_EQ(folds(*g), 1);
  EXPECT_EQ(op_counts(*g)["BatchNormalization"], 0);
  // Conv's kernel may come from another branch; compare only when this build can run it.
  SessionOptions options;
  if (Session::load(path, options).is_ok()) expect_same_outputs(path, input(Shape{2, 2, 7}));
}

TEST(BatchNormFolding, NearMissesKeepTheBatchNorm) {
  {  // The Gemm's output is also a graph output: its values must stay unnormalised.
    ModelBuilder b(15);
    b.input("x", onnx::TensorProto::FLOAT, {-1, 4});
    b.output("y", onnx::TensorProto::FLOAT);
    b.output("g", onnx::TensorProto::FLOAT);
    b.initializer_f32("w", {4, 3}, ramp(12, 0.3f, 0.0f));
    add_bn_params(b, 3);
    b.node("Gemm", {"x", "w"}, {"g"});
    add_bn(b, "g", "y");
    const std::string path = b.write(recinfer::testing::temp_dir("bn_fold_shared"));
    auto g = load_graph(path);
    EXPECT_EQ(folds(*g), 0);
    EXPECT_EQ(op_counts(*g)["BatchNormalization"], 1);
    expect_same_outputs(path, input(Shape{2, 4}));
  }
  {  // Statistics given at run time are not constants.
    ModelBuilder b(15);
    b.input("x", onnx::TensorProto::FLOAT, {2, 4});
    b.input("var", onnx::TensorProto::FLOAT, {3});
    b.output("y", onnx::TensorProto::FLOAT);
    b.initializer_f32("w", {4, 3}, ramp(12, 0.3f, 0.0f));
    b.initializer_f32("gamma", {3}, {1, 2, 3});
    b.initializer_f32("beta", {3}, {0, 0, 0});
    b.initializer_f32("mean", {3}, {0, 0, 0});
    b.node("Gemm", {"x", "w"}, {"g"});
    add_bn(b, "g", "y");
    auto g = load_graph(b.write(recinfer::testing::temp_dir("bn_fold_runtime_var")));
    EXPECT_EQ(folds(*g), 0);
  }
  {  // Training mode is never folded (and never run).
    ModelBuilder b(15);
    b.input("x", onnx::TensorProto::FLOAT, {2, 4});
    b.output("y", onnx::TensorProto::FLOAT);
    b.initializer_f32("w", {4, 3}, ramp(12, 0.3f, 0.0f));
    add_bn_params(b, 3);
    b.node("Gemm", {"x", "w"}, {"g"});
    add_attr_int(add_bn(b, "g", "y"), "training_mode", 1);
    auto g = load_graph(b.write(recinfer::testing::temp_dir("bn_fold_training")));
    EXPECT_EQ(folds(*g), 0);
  }
}

}  // namespace
}  // namespace recinfer::passes
