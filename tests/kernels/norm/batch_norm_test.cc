// BatchNormalization (inference): hand-checked (N, C) and (N, C, H, W), constant parameters
// (folded in prepare) against run-time ones and the reference, training mode unsupported.
#include "kernels/norm/norm_test_util.h"

namespace recinfer::kernels::norm_test {
namespace {

using ir::OpType;

std::vector<Tensor> params(int64_t channels, uint32_t seed) {
  Tensor var = random_tensor<float>(Shape{channels}, seed + 3, 0.1, 2);
  return {random_tensor<float>(Shape{channels}, seed), random_tensor<float>(Shape{channels}, seed + 1),
          random_tensor<float>(Shape{channels}, seed + 2), var};
}

TEST(BatchNormTest, HandCheckedRows) {
  // (N, C) = (2, 2): what torch exports for BatchNorm1d after a Linear.
  const Tensor x = make_tensor<float>(Shape{2, 2}, {1, 2, 3, 4});
  const Tensor scale = make_tensor<float>(Shape{2}, {2, 1});
  const Tensor bias = make_tensor<float>(Shape{2}, {0, 1});
  const Tensor mean = make_tensor<float>(Shape{2}, {1, 0});
  const Tensor var = make_tensor<float>(Shape{2}, {4, 1});
  auto out = run_ok(OpType::kBatchNormalization, 15, {{"epsilon", attr_float(0)}},
                    {x, scale, bias, mean, var}, 1);
  EXPECT_EQ(to_vector<float>(out[0]), (std::vector<float>{0, 3, 2, 5}));
}

TEST(BatchNormTest, ConstantRuntimeAndReferenceAgree) {
  uint32_t seed = 7;
  for (const Shape& shape : {Shape{5, 3}, Shape{2, 4, 7}, Shape{3, 5, 4, 6}, Shape{1, 33}}) {
    const Tensor x = random_tensor<float>(shape, seed++);
    std::vector<Tensor> inputs{x};
    for (Tensor& p : params(shape[1], seed += 4)) inputs.push_back(p);
    ChunkedFor chunked;
    auto fast = run_ok(OpType::kBatchNormalization, 15, {}, inputs, 1, KernelVariant::kOptimized,
                       &chunked);
    auto ref = run_ok(OpType::kBatchNormalization, 15, {}, inputs, 1, KernelVariant::kReference);
    auto runtime = run_without_constants(OpType::kBatchNormalization, 9, {}, inputs, 1);
    expect_close<float>(fast[0], ref[0], 1e-5, 1e-5, shape.to_string());
    expect_close<float>(runtime[0], ref[0], 1e-5, 1e-5, shape.to_string());
  }
}

TEST(BatchNormTest, TrainingModeIsUnsupported) {
  std::vector<Tensor> inputs{random_tensor<float>(Shape{2, 3, 4}, 1)};
  for (Tensor& p : params(3, 2)) inputs.push_back(p);
  auto training = run_op(OpType::kBatchNormalization, 15, {{"training_mode", attr_int(1)}}, inputs, 3);
  ASSERT_FALSE(training.is_ok());
  EXPECT_EQ(training.status().code(), StatusCode::kUnsupported);
  auto stats = run_op(OpType::kBatchNormalization, 7, {}, inputs, 5);  // opset 7: saved stats
  ASSERT_FALSE(stats.is_ok());
  EXPECT_EQ(stats.status().code(), StatusCode::kUnsupported);
  auto spatial = run_op(OpType::kBatchNormalization, 7, {{"spatial", attr_int(0)}}, inputs, 1);
  ASSERT_FALSE(spatial.is_ok());
  EXPECT_EQ(spatial.status().code(), StatusCode::kUnsupported);
}

TEST(BatchNormTest, ComputeDoesNotAllocate) {
  std::vector<Tensor> inputs{random_tensor<float>(Shape{16, 24}, 1)};
  for (Tensor& p : params(24, 2)) inputs.push_back(p);
  EXPECT_EQ(count_compute_allocations(OpType::kBatchNormalization, 15, {}, inputs, 1), 0);
}

}  // namespace
}  // namespace recinfer::kernels::norm_test
