// NonMaxSuppression, RoiAlign and GridSample on inputs small enough to compute by hand (the
// arithmetic is in the comments); the ONNX node tests (conformance) cover the rest.
#include <gtest/gtest.h>

#include "kernels/op_runner.h"

namespace recinfer::kernels {
namespace {

template <typename T>
Tensor make(const Shape& shape, const std::vector<T>& v) {
  return Tensor::from_vector<T>(shape, v).value();
}

template <typename T>
std::vector<T> values_of(const Tensor& t) {
  return std::vector<T>(t.data<T>(), t.data<T>() + t.numel());
}

// box0 and box1 overlap with IoU 0.9 / 1.1 = 0.82; box2 is disjoint. box1 scores highest.
std::vector<Tensor> nms_inputs(int64_t max_out, float score_threshold) {
  return {make<float>(Shape{1, 3, 4}, {0, 0, 1, 1, 0, 0.1f, 1, 1.1f, 0, 2, 1, 3}),
          make<float>(Shape{1, 1, 3}, {0.9f, 0.95f, 0.5f}), make<int64_t>(Shape{1}, {max_out}),
          make<float>(Shape{1}, {0.5f}), make<float>(Shape{1}, {score_threshold})};
}

TEST(NonMaxSuppressionTest, SuppressesOverlapsInScoreOrder) {
  auto out = run_op(ir::OpType::kNonMaxSuppression, 11, {}, nms_inputs(3, 0.0f), 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(values_of<int64_t>((*out)[0]), (std::vector<int64_t>{0, 0, 1, 0, 0, 2}));
  auto thresholded = run_op(ir::OpType::kNonMaxSuppression, 11, {}, nms_inputs(3, 0.6f), 1);
  ASSERT_TRUE(thresholded.is_ok());
  EXPECT_EQ(values_of<int64_t>((*thresholded)[0]), (std::vector<int64_t>{0, 0, 1}));
  auto none = run_op(ir::OpType::kNonMaxSuppression, 11, {}, nms_inputs(0, 0.0f), 1);
  ASSERT_TRUE(none.is_ok());
  EXPECT_EQ((*none)[0].shape(), (Shape{0, 3}));
  // Centre format: box (0.5, 0.5, 1, 1) is box0's corners.
  auto centre = run_op(ir::OpType::kNonMaxSuppression, 11, {{"center_point_box", attr_int(1)}},
                       {make<float>(Shape{1, 2, 4}, {0.5f, 0.5f, 1, 1, 0.5f, 0.5f, 1, 1}),
                        make<float>(Shape{1, 1, 2}, {0.1f, 0.2f}), make<int64_t>(Shape{1}, {5})},
                       1);
  ASSERT_TRUE(centre.is_ok());
  EXPECT_EQ(values_of<int64_t>((*centre)[0]), (std::vector<int64_t>{0, 0, 1}));  // IoU 1 > 0
}

TEST(RoiAlignTest, HalfPixelAndOutputHalfPixel) {
  const Tensor x = make<float>(Shape{1, 1, 2, 2}, {1, 2, 3, 4});
  const Tensor rois = make<float>(Shape{1, 4}, {0, 0, 1, 1});
  const Tensor batch = make<int64_t>(Shape{1}, {0});
  // half_pixel: the roi starts at -0.5, one sample at (0, 0) reads pixel 1.
  auto half = run_op(ir::OpType::kRoiAlign, 16, {{"sampling_ratio", attr_int(1)}}, {x, rois, batch}, 1);
  ASSERT_TRUE(half.is_ok()) << half.status().to_string();
  EXPECT_EQ(values_of<float>((*half)[0]), (std::vector<float>{1.0f}));
  // output_half_pixel: the sample at (0.5, 0.5) is the mean of the four pixels.
  auto legacy = run_op(ir::OpType::kRoiAlign, 16,
                       {{"sampling_ratio", attr_int(1)},
                        {"coordinate_transformation_mode", attr_string("output_half_pixel")}},
                       {x, rois, batch}, 1);
  ASSERT_TRUE(legacy.is_ok());
  EXPECT_EQ(values_of<float>((*legacy)[0]), (std::vector<float>{2.5f}));
  auto bad_batch = run_op(ir::OpType::kRoiAlign, 16, {}, {x, rois, make<int64_t>(Shape{1}, {3})}, 1);
  EXPECT_FALSE(bad_batch.is_ok());
}

TEST(GridSampleTest, ModesPaddingAndCorners) {
  const Tensor x = make<float>(Shape{1, 1, 2, 2}, {1, 2, 3, 4});
  // Grid points (x, y): the centre, the top-left corner, the bottom-right corner.
  const Tensor grid = make<float>(Shape{1, 1, 3, 2}, {0, 0, -1, -1, 1, 1});
  auto run = [&](std::map<std::string, ir::Attribute, std::less<>> attrs) {
    auto out = run_op(ir::OpType::kGridSample, 16, std::move(attrs), {x, grid}, 1);
    EXPECT_TRUE(out.is_ok()) << out.status().to_string();
    return out.is_ok() ? values_of<float>((*out)[0]) : std::vector<float>{};
  };
  // align_corners=0: the corners are pixel edges, (-0.5, -0.5) in pixels: one quarter of
  // pixel 1 with zero padding; border padding clamps to pixel 1.
  EXPECT_EQ(run({}), (std::vector<float>{2.5f, 0.25f, 1.0f}));
  EXPECT_EQ(run({{"padding_mode", attr_string("border")}}), (std::vector<float>{2.5f, 1.0f, 4.0f}));
  // align_corners=1: the corners are pixel centres.
  EXPECT_EQ(run({{"align_corners", attr_int(1)}}), (std::vector<float>{2.5f, 1.0f, 4.0f}));
  // nearest, align_corners=0, half to even: the centre (0.5, 0.5) -> (0, 0); the top-left
  // corner (-0.5, -0.5) -> (0, 0) too; the bottom-right (1.5, 1.5) -> (2, 2), outside: 0.
  EXPECT_EQ(run({{"mode", attr_string("nearest")}}), (std::vector<float>{1.0f, 1.0f, 0.0f}));
}

}  // namespace
}  // namespace recinfer::kernels
