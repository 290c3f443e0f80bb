// Resize/Upsample: spec values for each mode, and the row-wise fast path against the per-element
// reference over every coordinate mode on odd shapes (within float rounding of the sums).
#include <gtest/gtest.h>

#include <cmath>

#include "kernels/shape/layout_ops_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace shape_test;  // NOLINT(google-build-using-namespace)
using ir::OpType;

Tensor floats(const Shape& shape, const std::vector<float>& v) { return make<float>(shape, v); }

std::vector<Tensor> resize(std::map<std::string, ir::Attribute, std::less<>> attrs, const Tensor& x,
                           const Tensor& scales, const Tensor& sizes = Tensor(),
                           const Tensor& roi = Tensor()) {
  return run_ok(OpType::kResize, 13, std::move(attrs), {x, roi, scales, sizes});
}

TEST(ResizeTest, NearestUpsampleAndDownsample) {
  const Tensor x = floats({1, 1, 2, 2}, {1, 2, 3, 4});
  auto up = resize({{"mode", attr_string("nearest")}}, x, floats({4}, {1, 1, 2, 3}));
  EXPECT_EQ(up[0].shape(), (Shape{1, 1, 4, 6}));
  EXPECT_EQ(values_of<float>(up[0]),
            (std::vector<float>{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2,
                                3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4}));
  const Tensor y = floats({1, 1, 2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  auto down = resize({}, y, floats({4}, {1, 1, 0.6f, 0.6f}));
  EXPECT_EQ(down[0].shape(), (Shape{1, 1, 1, 2}));
  EXPECT_EQ(values_of<float>(down[0]), (std::vector<float>{1, 3}));
}

TEST(ResizeTest, LinearAlignCornersUsesTheUnflooredLength) {
  // The ONNX reference divides by in*scale - 1 = 1.4, not by (out - 1) = 1.
  const Tensor y = floats({1, 1, 2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  auto out = resize({{"mode", attr_string("linear")},
                     {"coordinate_transformation_mode", attr_string("align_corners")}},
                    y, floats({4}, {1, 1, 0.6f, 0.6f}));
  ASSERT_EQ(out[0].shape(), (Shape{1, 1, 1, 2}));
  EXPECT_NEAR(out[0].data<float>()[0], 1.0f, 1e-5f);
  EXPECT_NEAR(out[0].data<float>()[1], 3.142857f, 1e-5f);
}

TEST(ResizeTest, CropAndResizeExtrapolates) {
  const Tensor x = iota<float>(Shape{1, 1, 3, 3});
  // roi beyond the right edge along the last dim: those samples take extrapolation_value.
  auto out = resize({{"mode", attr_string("linear")},
                     {"coordinate_transformation_mode", attr_string("tf_crop_and_resize")},
                     {"extrapolation_value", attr_float(-7)}},
                    x, Tensor(), ints({1, 1, 2, 3}),
                    floats({8}, {0, 0, 0, 0.5f, 1, 1, 1, 1.5f}));
  ASSERT_EQ(out[0].shape(), (Shape{1, 1, 2, 3}));
  // rows at y = 0 and 2, columns at x = 1, 2, 3 (3 is outside).
  EXPECT_EQ(values_of<float>(out[0]), (std::vector<float>{1, 2, -7, 7, 8, -7}));
}

TEST(ResizeTest, UpsampleOpset7And9) {
  const Tensor x = floats({1, 2}, {1, 2});
  auto v7 = run_ok(OpType::kUpsample, 7, {{"scales", attr_floats({2, 2})}}, {x});
  EXPECT_EQ(values_of<float>(v7[0]), (std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2}));
  auto v9 = run_ok(OpType::kUpsample, 9, {{"mode", attr_string("linear")}},
                   {x, floats({2}, {1, 2})});
  EXPECT_EQ(values_of<float>(v9[0]), (std::vector<float>{1, 1.5f, 2, 2}));
}

void expect_close_to_reference(std::map<std::string, ir::Attribute, std::less<>> attrs,
                               const std::vector<Tensor>& inputs) {
  ChunkedFor chunked;
  auto fast = run_op(OpType::kResize, 13, attrs, inputs, 1, KernelVariant::kOptimized, &chunked);
  auto ref = run_op(OpType::kResize, 13, attrs, inputs, 1, KernelVariant::kReference);
  ASSERT_TRUE(fast.is_ok()) << fast.status().to_string();
  ASSERT_TRUE(ref.is_ok()) << ref.status().to_string();
  ASSERT_EQ((*fast)[0].shape(), (*ref)[0].shape());
  const float* a = (*fast)[0].data<float>();
  const float* b = (*ref)[0].data<float>();
  for (int64_t i = 0; i < (*ref)[0].numel(); ++i) {
    ASSERT_NEAR(a[i], b[i], 1e-5f + 1e-5f * std::fabs(b[i])) << "element " << i;
  }
}

TEST(ResizeTest, MatchesReferenceOverModes) {
  uint32_t seed = 21;
  const char* coords[] = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
                          "tf_half_pixel_for_nn", "tf_crop_and_resize"};
  for (const char* mode : {"nearest", "linear", "cubic"}) {
    for (const char* coord : coords) {
      for (int64_t exclude : {0, 1}) {
        std::map<std::string, ir::Attribute, std::less<>> attrs = {
            {"mode", attr_string(mode)},
            {"coordinate_transformation_mode", attr_string(coord)},
            {"exclude_outside", attr_int(exclude)},
            {"nearest_mode", attr_string(exclude ? "ceil" : "round_prefer_ceil")}};
        const Tensor roi = floats({8}, {0, 0, 0.1f, -0.2f, 1, 1, 0.8f, 1.3f});
        expect_close_to_reference(attrs, {random_floats(Shape{2, 3, 5, 7}, seed++), roi,
                                          floats({4}, {1, 1, 1.7f, 0.45f})});
        // Every dim resized: five outer dims of cubic taps are more than a row combines, so
        // the fast path falls back to per-element sums there.
        expect_close_to_reference(attrs, {random_floats(Shape{3, 4, 5, 2, 3, 2}, seed++),
                                          Tensor(), Tensor(), ints({5, 3, 4, 5, 7, 3})});
      }
    }
  }
}

TEST(ResizeTest, RuntimeSizesAndErrors) {
  auto run = run_dynamic(OpType::kResize, 13, {},
                         {floats({1, 2}, {1, 2}), Tensor(), Tensor(), ints({2, 4})}, {3});
  EXPECT_TRUE(run.all_dynamic);
  EXPECT_EQ(values_of<float>(run.outputs[0]), (std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2}));
  EXPECT_EQ(run_error(OpType::kResize, 13, {{"mode", attr_string("linear")}},
                      {iota<int32_t>(Shape{2}), Tensor(), floats({1}, {2})}).code(),
            StatusCode::kUnsupported);
  EXPECT_EQ(run_error(OpType::kResize, 13, {}, {iota<float>(Shape{2}), Tensor(), floats({1}, {-1})})
                .code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recinfer::kernels
