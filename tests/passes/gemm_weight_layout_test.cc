// gemm-weight-layout: a constant B with transB = 1 (nn.Linear's (N, K) weight) is stored as
// (K, N) with transB = 0; a weight shared by two Gemms is transposed once; a B computed at run
// time, or already (K, N), stays as it is. Results against a loop written here, passes on and off.
#include <gtest/gtest.h>

#include "ir/verifier.h"
#include "support/model_builder.h"
#include "support/pass_test_util.h"

namespace recinfer::passes {
namespace {

using recinfer::testing::add_attr_int;
using recinfer::testing::ModelBuilder;
using testing::find_op;
using testing::find_report;
using testing::load_graph;
using testing::run_only;

const std::vector<float> kWeightNK = {1, -2, 0.5f, 3, -1, 2, 0.25f, 4, -3, 1.5f, 2, -0.5f};  // (4, 3)
const std::vector<float> kBias = {0.5f, -1, 2, 0};

// relu(x · Wᵀ + b) twice through the same weight, summed: y = 2 · relu(x Wᵀ + b).
std::vector<float> reference(const std::vector<float>& x) {
  std::vector<float> y;
  for (size_t r = 0; r < x.size() / 3; ++r) {
    for (size_t n = 0; n < 4; ++n) {
      float acc = kBias[n];
      for (size_t k = 0; k < 3; ++k) acc += x[r * 3 + k] * kWeightNK[n * 3 + k];
      y.push_back(2.0f * std::max(acc, 0.0f));
    }
  }
  return y;
}

TEST(GemmWeightLayout, LinearWeightIsStoredTransposedOnce) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {-1, 3});
  b.output("y", onnx::TensorProto::FLOAT);
  b.initializer_f32("w", {4, 3}, kWeightNK);
  b.initializer_f32("b", {4}, kBias);
  for (const char* out : {"g0", "g1"}) {
    auto& gemm = b.node("Gemm", {"x", "w", "b"}, {out});
    add_attr_int(gemm, "transB", 1);
  }
  b.node("Relu", {"g0"}, {"r0"});
  b.node("Relu", {"g1"}, {"r1"});
  b.node("Add", {"r0", "r1"}, {"y"});
  const std::string path = b.write(recinfer::testing::temp_dir("gemm_weight_layout"));
  auto g = load_graph(path);
  auto report = run_only(*g, {"gemm-weight-layout", "dead-code-elimination"});
  ASSERT_EQ(find_report(report, "gemm-weight-layout")->matches, 2);
  EXPECT_TRUE(ir::verify_graph(*g).is_ok());
  const Tensor* shared = nullptr;
  int gemms = 0;
  for (const ir::Node& node : g->nodes) {
    if (node.op != ir::OpType::kGemm) continue;
    ++gemms;
    EXPECT_EQ(node.attr_int("transB", 1), 0);
    const Tensor* w = g->value(node.input(1)).constant ? &*g->value(node.input(1)).constant : nullptr;
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->shape(), (Shape{3, 4}));
    EXPECT_EQ(w->data<float>()[1], kWeightNK[3]);  // (k 0, n 1) = W[n 1, k 0]
    if (shared == nullptr) shared = w;
    EXPECT_EQ(w, shared) << "one transposed copy for both Gemms";
  }
  EXPECT_EQ(gemms, 2);
  const std::vector<float> x = {1, 2, 3, -1, 0.5f, -2, 0, 0, 1};
  testing::expect_outputs_both_ways(path, {*Tensor::from_vector<float>(Shape{3, 3}, x)},
                                    reference(x), Shape{3, 4});
}

TEST(GemmWeightLayout, RuntimeOrUntransposedWeightsStay) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {2, 3});
  b.input("w_runtime", onnx::TensorProto::FLOAT, {4, 3});
  b.output("y", onnx::TensorProto::FLOAT);
  b.output("z", onnx::TensorProto::FLOAT);
  b.initializer_f32("w_kn", {3, 4}, kWeightNK);
  auto& runtime = b.node("Gemm", {"x", "w_runtime"}, {"y"});
  add_attr_int(runtime, "transB", 1);
  b.node("Gemm", {"x", "w_kn"}, {"z"});
  const std::string path = b.write(recinfer::testing::temp_dir("gemm_weight_layout_stays"));
  auto g = load_graph(path);
  auto report = run_only(*g, {"gemm-weight-layout"});
  EXPECT_EQ(find_report(report, "gemm-weight-layout")->matches, 0);
  EXPECT_EQ(find_op(*g, ir::OpType::kGemm)->attr_int("transB", 0), 1);
}

}  // namespace
}  // namespace recinfer::passes
