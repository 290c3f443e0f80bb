// Softmax: hand-checked values, numerical stability with large logits, the opset < 13
// coerce-to-2-D semantic versus per-axis from 13, and fast against reference on random shapes.
#include <limits>

#include "kernels/reduce/reduce_test_util.h"

namespace recinfer::kernels::reduce_test {
namespace {

using ir::OpType;

TEST(SoftmaxTest, OnnxExample) {
  auto out = run_ok(OpType::kSoftmax, 13, {}, {make_tensor<float>(Shape{1, 3}, {-1, 0, 1})}, 1);
  expect_close<float>(out[0], make_tensor<float>(Shape{1, 3}, {0.09003057f, 0.24472847f, 0.66524096f}),
                      1e-6, 1e-6, "example");
}

TEST(SoftmaxTest, LargeLogitsDoNotOverflow) {
  const Tensor x = make_tensor<float>(Shape{2, 4}, {0, 1, 2, 3, 10000, 10001, 10002, 10003});
  const std::vector<float> row{0.0320586f, 0.08714432f, 0.23688284f, 0.64391428f};
  std::vector<float> both(row);
  both.insert(both.end(), row.begin(), row.end());
  for (KernelVariant variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = run_ok(OpType::kSoftmax, 13, {}, {x}, 1, variant);
    expect_close<float>(out[0], make_tensor<float>(Shape{2, 4}, both), 1e-6, 1e-5, "large");
  }
}

TEST(SoftmaxTest, Opset11CoercesTo2dWhileOpset13IsPerAxis) {
  const Tensor x = make_tensor<double>(Shape{1, 2, 2}, {0, 1, 2, 3});
  // Opset 11, axis 1: one softmax over all four values.
  auto coerced = run_ok(OpType::kSoftmax, 11, {}, {x}, 1);
  double total = 0;
  for (double e : {0.0, 1.0, 2.0, 3.0}) total += std::exp(e);
  expect_close<double>(coerced[0],
                       make_tensor<double>(Shape{1, 2, 2}, {1 / total, std::exp(1.0) / total,
                                                            std::exp(2.0) / total,
                                                            std::exp(3.0) / total}),
                       1e-12, 1e-12, "opset 11");
  // Opset 13, axis 1: softmax down each column pair (0,2) and (1,3).
  auto per_axis = run_ok(OpType::kSoftmax, 13, {{"axis", attr_int(1)}}, {x}, 1);
  const double low = 1 / (1 + std::exp(2.0)), high = std::exp(2.0) / (1 + std::exp(2.0));
  expect_close<double>(per_axis[0], make_tensor<double>(Shape{1, 2, 2}, {low, low, high, high}),
                       1e-12, 1e-12, "opset 13");
  // Opset 13 default axis is the last one.
  auto last = run_ok(OpType::kSoftmax, 13, {}, {x}, 1);
  expect_close<double>(last[0],
                       make_tensor<double>(Shape{1, 2, 2}, {1 / (1 + std::exp(1.0)),
                                                            std::exp(1.0) / (1 + std::exp(1.0)),
                                                            1 / (1 + std::exp(1.0)),
                                                            std::exp(1.0) / (1 + std::exp(1.0))}),
                       1e-12, 1e-12, "opset 13 default");
}

TEST(SoftmaxTest, FastMatchesReference) {
  uint32_t seed = 3;
  for (const Shape& shape : {Shape{7}, Shape{3, 5}, Shape{2, 3, 300}, Shape{4, 9, 1, 13},
                             Shape{1, 5, 517}}) {
    for (int opset : {11, 13}) {
      for (int axis = -shape.rank(); axis < shape.rank(); ++axis) {
        const Tensor x = random_tensor<float>(shape, seed++, -30, 30);
        ChunkedFor chunked;
        auto fast = run_ok(OpType::kSoftmax, opset, {{"axis", attr_int(axis)}}, {x}, 1,
                           KernelVariant::kOptimized, &chunked);
        auto ref = run_ok(OpType::kSoftmax, opset, {{"axis", attr_int(axis)}}, {x}, 1,
                          KernelVariant::kReference);
        expect_close<float>(fast[0], ref[0], 1e-6, 1e-5,
                            fmt::format("shape {} opset {} axis {}", shape.to_string(), opset,
                                        axis));
        const Tensor xd = random_tensor<double>(shape, seed++, -30, 30);
        auto fast_d = run_ok(OpType::kSoftmax, opset, {{"axis", attr_int(axis)}}, {xd}, 1);
        auto ref_d = run_ok(OpType::kSoftmax, opset, {{"axis", attr_int(axis)}}, {xd}, 1,
                            KernelVariant::kReference);
        expect_close<double>(fast_d[0], ref_d[0], 1e-14, 1e-12, "double");
      }
    }
  }
}

TEST(SoftmaxTest, MaskedLogitsGetZeroProbability) {
  const float inf = std::numeric_limits<float>::infinity();
  const Tensor x = make_tensor<float>(Shape{2, 3}, {-inf, 0, 0, 1, -inf, 1});
  for (KernelVariant variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto rows = run_ok(OpType::kSoftmax, 13, {}, {x}, 1, variant);
    EXPECT_EQ(to_vector<float>(rows[0]), (std::vector<float>{0, 0.5f, 0.5f, 0.5f, 0, 0.5f}));
    auto columns = run_ok(OpType::kSoftmax, 13, {{"axis", attr_int(0)}}, {x}, 1, variant);
    expect_close<float>(columns[0],
                        make_tensor<float>(Shape{2, 3}, {0, 1, 0.26894142f, 1, 0, 0.73105858f}),
                        1e-7, 1e-6, "columns");
    EXPECT_EQ(columns[0].data<float>()[0], 0.0f);
  }
}

TEST(SoftmaxTest, IntegerInputIsUnsupported) {
  auto out = run_op(OpType::kSoftmax, 13, {}, {make_tensor<int64_t>(Shape{2}, {1, 2})}, 1);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kUnsupported);
  auto bad_axis = run_op(OpType::kSoftmax, 13, {{"axis", attr_int(2)}},
                         {make_tensor<float>(Shape{2}, {1, 2})}, 1);
  ASSERT_FALSE(bad_axis.is_ok());
  EXPECT_NE(bad_axis.status().message().find("axis 2"), std::string::npos);
}

}  // namespace
}  // namespace recinfer::kernels::reduce_test
