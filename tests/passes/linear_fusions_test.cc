// matmul-to-gemm (MatMul with a constant 2-D weight, optional bias, any rank of X) and
// expand-matmul-folding (the BatchMatMul of an Expand-broadcast weight): before/after graphs,
// results against loops written here with the passes on and off, and near misses that stay.
#include <gtest/gtest.h>

#include "ir/verifier.h"
#include "recinfer/session.h"
#include "support/model_builder.h"
#include "support/pass_test_util.h"

namespace recinfer::passes {
namespace {

using recinfer::testing::add_attr_int;
using recinfer::testing::ModelBuilder;
using testing::find_report;
using testing::load_graph;
using testing::op_counts;
using testing::run_only;

const std::vector<float> kW = {1, -2, 0.5f, 3, -1, 2};  // (3, 2)
const std::vector<float> kBias = {0.25f, -4};

// relu(x · W + b) for x of (rows, 3).
std::vector<float> linear_reference(const std::vector<float>& x, bool bias, bool relu) {
  std::vector<float> y;
  for (size_t r = 0; r < x.size() / 3; ++r) {
    for (int n = 0; n < 2; ++n) {
      float acc = bias ? kBias[static_cast<size_t>(n)] : 0.0f;
      for (int k = 0; k < 3; ++k) acc += x[r * 3 + static_cast<size_t>(k)] * kW[static_cast<size_t>(k * 2 + n)];
      y.push_back(relu ? std::max(acc, 0.0f) : acc);
    }
  }
  return y;
}

std::vector<float> iota_x(size_t n) {
  std::vector<float> x;
  for (size_t i = 0; i < n; ++i) x.push_back(static_cast<float>(static_cast<int>(i % 7) - 3) * 0.5f);
  return x;
}

// x (batch, 4, 3) · W + b -> Relu: nn.Linear on a 3-D input, as torch exports it.
TEST(MatMulToGemm, ThreeDimensionalLinearBecomesOneFusedGemm) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {-1, 4, 3});
  b.output("y", onnx::TensorProto::FLOAT);
  b.initializer_f32("w", {3, 2}, kW);
  b.initializer_f32("b", {2}, kBias);
  b.node("MatMul", {"x", "w"}, {"m"});
  b.node("Add", {"m", "b"}, {"a"});
  b.node("Relu", {"a"}, {"y"});
  const std::string path = b.write(recinfer::testing::temp_dir("matmul_gemm_3d"));
  auto g = load_graph(path);
  auto report = run_only(*g, {"matmul-to-gemm", "gemm-activation-fusion", "dead-code-elimination"});
  ASSERT_EQ(find_report(report, "matmul-to-gemm")->matches, 1);
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["MatMul"], 0);
  EXPECT_EQ(counts["Add"], 0);
  EXPECT_EQ(counts["Relu"], 0);
  EXPECT_EQ(counts["FusedGemm"], 1);
  EXPECT_TRUE(ir::verify_graph(*g).is_ok());
  const std::vector<float> x = iota_x(2 * 4 * 3);
  testing::expect_outputs_both_ways(path, {*Tensor::from_vector<float>(Shape{2, 4, 3}, x)},
                                    linear_reference(x, true, true), Shape{2, 4, 2});
}

// Add(bias (1, N), MatMul(x 2-D, W)): bias on the left, a row-shaped bias.
TEST(MatMulToGemm, TwoDimensionalWithBiasOnTheLeft) {
  ModelBuilder b(11);
  b.input("x", onnx::TensorProto::FLOAT, {-1, 3});
  b.output("y", onnx::TensorProto::FLOAT);
  b.initializer_f32("w", {3, 2}, kW);
  b.initializer_f32("b", {1, 2}, kBias);
  b.node("MatMul", {"x", "w"}, {"m"});
  b.node("Add", {"b", "m"}, {"y"});
  const std::string path = b.write(recinfer::testing::temp_dir("matmul_gemm_2d"));
  auto g = load_graph(path);
  auto report = run_only(*g, {"matmul-to-gemm", "dead-code-elimination"});
  ASSERT_EQ(find_report(report, "matmul-to-gemm")->matches, 1);
  EXPECT_EQ(op_counts(*g)["Gemm"], 1);
  const std::vector<float> x = iota_x(5 * 3);
  testing::expect_outputs_both_ways(path, {*Tensor::from_vector<float>(Shape{5, 3}, x)},
                                    linear_reference(x, true, false), Shape{5, 2});
}

TEST(MatMulToGemm, LeavesRuntimeWeightsAndPerRowBiasesAlone) {
  {  // W is an input, not a constant.
    ModelBuilder b(14);
    b.input("x", onnx::TensorProto::FLOAT, {4, 3});
    b.input("w", onnx::TensorProto::FLOAT, {3, 2});
    b.output("y", onnx::TensorProto::FLOAT);
    b.node("MatMul", {"x", "w"}, {"y"});
    auto g = load_graph(b.write(recinfer::testing::temp_dir("matmul_gemm_input_w")));
    EXPECT_EQ(find_report(run_only(*g, {"matmul-to-gemm"}), "matmul-to-gemm")->matches, 0);
  }
  {  // A (4, 2) bias is per row: the Gemm takes the MatMul, the Add stays.
    ModelBuilder b(14);
    b.input("x", onnx::TensorProto::FLOAT, {4, 3});
    b.output("y", onnx::TensorProto::FLOAT);
    b.initializer_f32("w", {3, 2}, kW);
    b.initializer_f32("b", {4, 2}, std::vector<float>(8, 1.0f));
    b.node("MatMul", {"x", "w"}, {"m"});
    b.node("Add", {"m", "b"}, {"y"});
    auto g = load_graph(b.write(recinfer::testing::temp_dir("matmul_gemm_row_bias")));
    run_only(*g, {"matmul-to-gemm", "dead-code-elimination"});
    auto counts = op_counts(*g);
    EXPECT_EQ(counts["Add"], 1);
    EXPECT_EQ(counts["Gemm"], 1);
  }
}

// bmm(x (B, 4, 3), w.unsqueeze(0).expand(B, 3, 2)): the Expand goes, one Gemm remains.
ModelBuilder expanded_bmm(const std::vector<int64_t>& w_dims) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {-1, 4, 3});
  b.output("y", onnx::TensorProto::FLOAT);
  std::vector<float> w = kW;
  w.resize(static_cast<size_t>(w_dims[0] * w_dims[1]));
  b.initializer_f32("w", w_dims, w);
  b.initializer_i64("zero", {1}, {0});
  b.initializer_i64("one", {1}, {1});
  b.initializer_i64("kn", {2}, {3, 2});
  b.node("Shape", {"x"}, {"xs"});
  b.node("Slice", {"xs", "zero", "one"}, {"batch"});
  add_attr_int(b.node("Concat", {"batch", "kn"}, {"target"}), "axis", 0);
  b.node("Expand", {"w", "target"}, {"we"});
  b.node("MatMul", {"x", "we"}, {"y"});
  return b;
}

TEST(ExpandMatMulFolding, BroadcastWeightBecomesOneGemm) {
  const std::string path = expanded_bmm({3, 2}).write(recinfer::testing::temp_dir("expand_bmm"));
  auto g = load_graph(path);
  auto report = run_only(*g, {"expand-matmul-folding", "matmul-to-gemm", "dead-code-elimination"});
  ASSERT_EQ(find_report(report, "expand-matmul-folding")->matches, 1);
  ASSERT_EQ(find_report(report, "matmul-to-gemm")->matches, 1);
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["Expand"], 0);
  EXPECT_EQ(counts["MatMul"], 0);
  EXPECT_EQ(counts["Gemm"], 1);
  EXPECT_TRUE(ir::verify_graph(*g).is_ok());
  const std::vector<float> x = iota_x(3 * 4 * 3);
  testing::expect_outputs_both_ways(path, {*Tensor::from_vector<float>(Shape{3, 4, 3}, x)},
                                    linear_reference(x, false, false), Shape{3, 4, 2});
}

TEST(ExpandMatMulFolding, KeepsAnExpandThatGrowsTheMatrix) {
  // w (1, 2) expanded to (B, 3, 2): K grows from 1 to 3, so Expand is not a pure batch broadcast.
  auto g = load_graph(expanded_bmm({1, 2}).write(recinfer::testing::temp_dir("expand_bmm_grow")));
  auto report = run_only(*g, {"expand-matmul-folding"});
  EXPECT_EQ(find_report(report, "expand-matmul-folding")->matches, 0);
}

}  // namespace
}  // namespace recinfer::passes
