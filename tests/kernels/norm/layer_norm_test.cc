// LayerNormalization: hand-checked values with the Mean / InvStdDev outputs, every axis of odd
// shapes fast against reference, single-value scale, unsupported stash types, no allocation.
#include "kernels/norm/norm_test_util.h"

namespace recinfer::kernels::norm_test {
namespace {

using ir::OpType;

TEST(LayerNormTest, HandCheckedWithStatistics) {
  const Tensor x = make_tensor<float>(Shape{2, 4}, {1, 2, 3, 4, -2, 0, 2, 4});
  const Tensor scale = make_tensor<float>(Shape{4}, {1, 2, 1, 1});
  const Tensor bias = make_tensor<float>(Shape{4}, {0, 0, 0, 10});
  auto out = run_ok(OpType::kLayerNormalization, 17, {{"epsilon", attr_float(0)}},
                    {x, scale, bias}, 3);
  const float s1 = 1 / std::sqrt(1.25f), s2 = 1 / std::sqrt(5.0f);
  expect_close<float>(out[0],
                      make_tensor<float>(Shape{2, 4}, {-1.5f * s1, -1.0f * s1, 0.5f * s1,
                                                       1.5f * s1 + 10, -3 * s2, -2 * s2, 1 * s2,
                                                       3 * s2 + 10}),
                      1e-6, 1e-6, "y");
  EXPECT_EQ(out[1].shape(), (Shape{2, 1}));
  EXPECT_EQ(to_vector<float>(out[1]), (std::vector<float>{2.5f, 1.0f}));
  expect_close<float>(out[2], make_tensor<float>(Shape{2, 1}, {s1, s2}), 1e-6, 1e-6, "inv_std");
}

TEST(LayerNormTest, FastMatchesReferenceOnEveryAxis) {
  uint32_t seed = 11;
  for (const Shape& shape : {Shape{7}, Shape{3, 5}, Shape{2, 3, 300}, Shape{4, 1, 9, 13}}) {
    for (int axis = -shape.rank(); axis < shape.rank(); ++axis) {
      int a = axis < 0 ? axis + shape.rank() : axis;
      Shape norm_shape;
      for (int d = a; d < shape.rank(); ++d) norm_shape.push_back(shape[d]);
      const Tensor x = random_tensor<float>(shape, seed++, -3, 5);
      const Tensor scale = random_tensor<float>(norm_shape, seed++);
      const Tensor bias = random_tensor<float>(norm_shape, seed++);
      for (bool with_bias : {true, false}) {
        std::vector<Tensor> inputs{x, scale};
        if (with_bias) inputs.push_back(bias);
        ChunkedFor chunked;
        auto fast = run_ok(OpType::kLayerNormalization, 17, {{"axis", attr_int(axis)}}, inputs, 3,
                           KernelVariant::kOptimized, &chunked);
        auto ref = run_ok(OpType::kLayerNormalization, 17, {{"axis", attr_int(axis)}}, inputs, 3,
                          KernelVariant::kReference);
        const std::string what = fmt::format("shape {} axis {}", shape.to_string(), axis);
        for (int o = 0; o < 3; ++o) expect_close<float>(fast[o], ref[o], 1e-5, 1e-4, what);
      }
      const Tensor xd = random_tensor<double>(shape, seed++);
      const Tensor sd = random_tensor<double>(norm_shape, seed++);
      auto fast = run_ok(OpType::kLayerNormalization, 17, {{"axis", attr_int(axis)}}, {xd, sd}, 1);
      auto ref = run_ok(OpType::kLayerNormalization, 17, {{"axis", attr_int(axis)}}, {xd, sd}, 1,
                        KernelVariant::kReference);
      expect_close<double>(fast[0], ref[0], 1e-12, 1e-10, "double");
    }
  }
}

TEST(LayerNormTest, SingleValueScaleAndErrors) {
  const Tensor x = make_tensor<float>(Shape{1, 2}, {0, 2});
  auto out = run_ok(OpType::kLayerNormalization, 17, {{"epsilon", attr_float(0)}},
                    {x, make_tensor<float>(Shape{1}, {3})}, 1);
  EXPECT_EQ(to_vector<float>(out[0]), (std::vector<float>{-3, 3}));
  auto stash = run_op(OpType::kLayerNormalization, 17, {{"stash_type", attr_int(11)}},
                      {x, make_tensor<float>(Shape{2}, {1, 1})}, 1);
  ASSERT_FALSE(stash.is_ok());
  EXPECT_EQ(stash.status().code(), StatusCode::kUnsupported);
  auto bad_scale = run_op(OpType::kLayerNormalization, 17, {},
                          {x, make_tensor<float>(Shape{3}, {1, 1, 1})}, 1);
  ASSERT_FALSE(bad_scale.is_ok());
  EXPECT_NE(bad_scale.status().message().find("Scale"), std::string::npos);
}

TEST(LayerNormTest, ComputeDoesNotAllocate) {
  const Tensor x = random_tensor<float>(Shape{64, 48}, 1);
  const Tensor scale = random_tensor<float>(Shape{48}, 2);
  EXPECT_EQ(count_compute_allocations(OpType::kLayerNormalization, 17, {}, {x, scale, scale}, 3), 0);
}

}  // namespace
}  // namespace recinfer::kernels::norm_test
