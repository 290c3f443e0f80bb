// LogSoftmax and Hardmax: hand-checked values, the opset < 13 coerce-to-2-D semantic versus
// per-axis from 13, stability with large logits, and (LogSoftmax) fast against reference.
#include <limits>

#include "kernels/reduce/reduce_test_util.h"

namespace recinfer::kernels::reduce_test {
namespace {

using ir::OpType;

TEST(LogSoftmaxTest, OnnxExampleAndLargeNumbers) {
  auto out = run_ok(OpType::kLogSoftmax, 13, {}, {make_tensor<float>(Shape{1, 3}, {-1, 0, 1})}, 1);
  expect_close<float>(out[0], make_tensor<float>(Shape{1, 3}, {-2.4076061f, -1.4076061f, -0.4076061f}),
                      1e-6, 1e-6, "example");
  const Tensor large = make_tensor<float>(Shape{2, 4}, {0, 1, 2, 3, 10000, 10001, 10002, 10003});
  const std::vector<float> row{-3.4401896f, -2.4401896f, -1.4401896f, -0.44018966f};
  std::vector<float> both(row);
  both.insert(both.end(), row.begin(), row.end());
  for (KernelVariant variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto got = run_ok(OpType::kLogSoftmax, 13, {}, {large}, 1, variant);
    expect_close<float>(got[0], make_tensor<float>(Shape{2, 4}, both), 1e-5, 1e-5, "large");
  }
}

TEST(LogSoftmaxTest, MaskedLogitsGiveMinusInfinity) {
  const float inf = std::numeric_limits<float>::infinity();
  const Tensor x = make_tensor<float>(Shape{1, 3}, {-inf, 0, 0});
  for (KernelVariant variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = run_ok(OpType::kLogSoftmax, 13, {}, {x}, 1, variant);
    const std::vector<float> got = to_vector<float>(out[0]);
    EXPECT_EQ(got[0], -inf);
    EXPECT_NEAR(got[1], -std::log(2.0), 1e-6);
  }
}

TEST(LogSoftmaxTest, FastMatchesReference) {
  uint32_t seed = 5;
  for (const Shape& shape : {Shape{7}, Shape{3, 5}, Shape{2, 3, 300}, Shape{4, 9, 1, 13},
                             Shape{1, 5, 517}}) {
    for (int opset : {11, 13}) {
      for (int axis = -shape.rank(); axis < shape.rank(); ++axis) {
        const Tensor x = random_tensor<float>(shape, seed++, -30, 30);
        ChunkedFor chunked;
        auto fast = run_ok(OpType::kLogSoftmax, opset, {{"axis", attr_int(axis)}}, {x}, 1,
                           KernelVariant::kOptimized, &chunked);
        auto ref = run_ok(OpType::kLogSoftmax, opset, {{"axis", attr_int(axis)}}, {x}, 1,
                          KernelVariant::kReference);
        expect_close<float>(fast[0], ref[0], 1e-4, 1e-5,
                            fmt::format("shape {} opset {} axis {}", shape.to_string(), opset,
                                        axis));
        const Tensor xd = random_tensor<double>(shape, seed++, -30, 30);
        auto fast_d = run_ok(OpType::kLogSoftmax, opset, {{"axis", attr_int(axis)}}, {xd}, 1);
        auto ref_d = run_ok(OpType::kLogSoftmax, opset, {{"axis", attr_int(axis)}}, {xd}, 1,
                            KernelVariant::kReference);
        expect_close<double>(fast_d[0], ref_d[0], 1e-12, 1e-12, "double");
      }
    }
  }
}

TEST(HardmaxTest, AxisSemanticsAndFirstMaxWins) {
  const Tensor x = make_tensor<float>(Shape{2, 2, 2}, {3, 3, 1, 0, 5, 2, 5, 7});
  // Opset 13, default axis -1: per pair, the first of equal maxima wins.
  auto last = run_ok(OpType::kHardmax, 13, {}, {x}, 1);
  EXPECT_EQ(to_vector<float>(last[0]), (std::vector<float>{1, 0, 1, 0, 1, 0, 0, 1}));
  // Opset 13, axis 1: down each column of each 2x2 block.
  auto middle = run_ok(OpType::kHardmax, 13, {{"axis", attr_int(1)}}, {x}, 1);
  EXPECT_EQ(to_vector<float>(middle[0]), (std::vector<float>{1, 1, 0, 0, 1, 0, 0, 1}));
  // Opset 11, default axis 1: coerced to (2, 4), one 1 per row of four.
  auto coerced = run_ok(OpType::kHardmax, 11, {}, {x}, 1);
  EXPECT_EQ(to_vector<float>(coerced[0]), (std::vector<float>{1, 0, 0, 0, 0, 0, 0, 1}));
}

TEST(HardmaxTest, IntegerInputIsUnsupported) {
  auto out = run_op(OpType::kHardmax, 13, {}, {make_tensor<int64_t>(Shape{2}, {1, 2})}, 1);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace recinfer::kernels::reduce_test
