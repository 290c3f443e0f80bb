#include <gtest/gtest.h>

#include "kernels/conv/conv_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace conv_test;  // NOLINT(google-build-using-namespace)

struct ConvCase {
  std::string name;
  Shape x, w;
  bool bias;
  Attrs attrs;
};

void check_against_reference(ir::OpType op, const std::vector<ConvCase>& cases) {
  std::mt19937 rng(11);
  for (const ConvCase& c : cases) {
    const int64_t out_channels = op == ir::OpType::kConv
                                     ? c.w[0]
                                     : c.w[1] * (c.attrs.count("group") ? c.attrs.at("group").i : 1);
    std::vector<Tensor> f32 = {random_tensor<float>(rng, c.x), random_tensor<float>(rng, c.w)};
    std::vector<Tensor> f64 = {random_tensor<double>(rng, c.x), random_tensor<double>(rng, c.w)};
    if (c.bias) {
      f32.push_back(random_tensor<float>(rng, {out_channels}));
      f64.push_back(random_tensor<double>(rng, {out_channels}));
    }
    expect_matches_reference<float>(op, 11, c.attrs, f32, 1, 1e-4, 1e-4, c.name);
    expect_matches_reference<double>(op, 11, c.attrs, f64, 1, 1e-10, 1e-10, c.name);
  }
}

TEST(ConvTest, HandChecked) {
  // 3x3 ones kernel over 0..24 with pads 1: the centre is the sum of its 3x3 neighbourhood.
  std::vector<float> x(25);
  for (int i = 0; i < 25; ++i) x[static_cast<size_t>(i)] = static_cast<float>(i);
  const Tensor xt = make_tensor<float>({1, 1, 5, 5}, x);
  const Tensor wt = make_tensor<float>({1, 1, 3, 3}, std::vector<float>(9, 1.0f));
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = run_op(ir::OpType::kConv, 11, {{"pads", attr_ints({1, 1, 1, 1})}}, {xt, wt}, 1, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    ASSERT_EQ((*out)[0].shape(), (Shape{1, 1, 5, 5}));
    const auto y = values_of<float>((*out)[0]);
    EXPECT_EQ(y[0], 0 + 1 + 5 + 6);
    EXPECT_EQ(y[12], 6 + 7 + 8 + 11 + 12 + 13 + 16 + 17 + 18);
    auto strided = run_op(ir::OpType::kConv, 11, {{"strides", attr_ints({2, 2})}, {"auto_pad", attr_string("VALID")}},
                          {xt, wt}, 1, variant);
    ASSERT_TRUE(strided.is_ok());
    EXPECT_EQ((*strided)[0].shape(), (Shape{1, 1, 2, 2}));
    EXPECT_EQ(values_of<float>((*strided)[0]), (std::vector<float>{54, 72, 144, 162}));
  }
}

TEST(ConvTest, MatchesReference) {
  check_against_reference(
      ir::OpType::kConv,
      {
          {"1d", {3, 4, 17}, {5, 4, 3}, true, {}},
          {"1d strided padded dilated", {2, 3, 20}, {4, 3, 3}, false,
           {{"strides", attr_ints({2})}, {"pads", attr_ints({1, 2})}, {"dilations", attr_ints({2})}}},
          {"2d", {2, 3, 9, 7}, {6, 3, 3, 3}, true, {}},
          {"2d batch 1 (tiled GEMM)", {1, 8, 12, 11}, {16, 8, 3, 3}, true, {{"pads", attr_ints({1, 1, 1, 1})}}},
          {"2d asymmetric", {2, 2, 7, 5}, {3, 2, 3, 2}, true,
           {{"strides", attr_ints({2, 1})}, {"pads", attr_ints({1, 0, 2, 1})}}},
          {"2d same upper", {3, 2, 8, 7}, {4, 2, 3, 3}, false,
           {{"auto_pad", attr_string("SAME_UPPER")}, {"strides", attr_ints({2, 2})}}},
          {"2d same lower", {3, 2, 8, 7}, {4, 2, 4, 2}, true,
           {{"auto_pad", attr_string("SAME_LOWER")}, {"strides", attr_ints({3, 2})}}},
          {"2d valid", {2, 2, 8, 7}, {4, 2, 3, 3}, true, {{"auto_pad", attr_string("VALID")}}},
          {"2d groups", {2, 6, 7, 7}, {9, 2, 3, 3}, true, {{"group", attr_int(3)}, {"pads", attr_ints({1, 1, 1, 1})}}},
          {"2d depthwise", {1, 4, 9, 9}, {4, 1, 3, 3}, true, {{"group", attr_int(4)}}},
          {"2d pointwise", {2, 5, 6, 7}, {3, 5, 1, 1}, true, {}},
          {"2d dilated", {2, 3, 11, 10}, {2, 3, 3, 2}, false, {{"dilations", attr_ints({2, 3})}}},
          {"2d kernel_shape given", {2, 3, 6, 6}, {2, 3, 2, 2}, true, {{"kernel_shape", attr_ints({2, 2})}}},
          {"3d", {2, 2, 5, 6, 4}, {3, 2, 2, 3, 2}, true, {{"pads", attr_ints({1, 0, 1, 0, 1, 1})}}},
      });
}

TEST(ConvTransposeTest, MatchesReference) {
  check_against_reference(
      ir::OpType::kConvTranspose,
      {
          {"1d", {2, 3, 7}, {3, 2, 3}, true, {}},
          {"2d", {1, 1, 3, 3}, {1, 2, 3, 3}, false, {}},
          {"2d strides pads", {2, 2, 4, 5}, {2, 3, 3, 3}, true,
           {{"strides", attr_ints({3, 2})}, {"pads", attr_ints({1, 2, 1, 2})}}},
          {"2d output_padding", {2, 2, 4, 3}, {2, 2, 3, 3}, true,
           {{"strides", attr_ints({3, 2})}, {"output_padding", attr_ints({1, 1})}}},
          {"2d output_shape", {1, 2, 3, 3}, {2, 2, 3, 3}, false,
           {{"strides", attr_ints({3, 2})}, {"output_shape", attr_ints({10, 8})}}},
          {"2d same upper", {2, 1, 3, 4}, {1, 2, 3, 3}, true,
           {{"strides", attr_ints({2, 2})}, {"auto_pad", attr_string("SAME_UPPER")}}},
          {"2d same lower", {2, 1, 3, 4}, {1, 2, 3, 3}, true,
           {{"strides", attr_ints({2, 2})}, {"auto_pad", attr_string("SAME_LOWER")}}},
          {"2d dilations", {1, 2, 4, 4}, {2, 1, 2, 2}, true, {{"dilations", attr_ints({2, 2})}}},
          {"2d groups", {3, 4, 5, 4}, {4, 3, 2, 3}, true, {{"group", attr_int(2)}, {"strides", attr_ints({2, 1})}}},
          {"2d batch 1 many channels", {1, 16, 6, 5}, {16, 8, 3, 3}, true, {{"strides", attr_ints({2, 2})}}},
          {"3d", {1, 2, 3, 4, 3}, {2, 2, 3, 3, 2}, true, {{"strides", attr_ints({1, 2, 2})}}},
      });
}

TEST(ConvTest, ErrorsNameTheProblem) {
  const Tensor x = make_tensor<float>({1, 4, 5, 5}, std::vector<float>(100, 1));
  const Tensor w = make_tensor<float>({2, 3, 3, 3}, std::vector<float>(54, 1));
  auto channels = run_op(ir::OpType::kConv, 11, {}, {x, w}, 1);
  ASSERT_FALSE(channels.is_ok());
  EXPECT_NE(channels.status().to_string().find("group"), std::string::npos);
  const Tensor w4 = make_tensor<float>({2, 4, 3, 3}, std::vector<float>(72, 1));
  EXPECT_FALSE(run_op(ir::OpType::kConv, 11, {{"auto_pad", attr_string("SAME")}}, {x, w4}, 1).is_ok());
  EXPECT_FALSE(run_op(ir::OpType::kConv, 11, {{"kernel_shape", attr_ints({2, 2})}}, {x, w4}, 1).is_ok());
  EXPECT_FALSE(run_op(ir::OpType::kConv, 11, {{"strides", attr_ints({1, 0})}}, {x, w4}, 1).is_ok());
  EXPECT_FALSE(run_op(ir::OpType::kConv, 11, {}, {x, w4, make_tensor<float>({3}, {1, 2, 3})}, 1).is_ok());
  const Tensor big = make_tensor<float>({2, 4, 7, 7}, std::vector<float>(392, 1));
  EXPECT_FALSE(run_op(ir::OpType::kConv, 11, {}, {x, big}, 1).is_ok());  // kernel larger than input
  auto ints = run_op(ir::OpType::kConv, 11, {}, {make_tensor<int32_t>({1, 1, 2, 2}, {1, 2, 3, 4}),
                                                 make_tensor<int32_t>({1, 1, 1, 1}, {1})}, 1);
  ASSERT_FALSE(ints.is_ok());
  EXPECT_EQ(ints.status().code(), StatusCode::kUnsupported);
}

TEST(ConvTest, SteadyStateComputeDoesNotAllocate) {
  std::mt19937 rng(5);
  EXPECT_EQ(steady_state_allocations(ir::OpType::kConv, 11, {{"pads", attr_ints({1, 1, 1, 1})}},
                                     {random_tensor<float>(rng, {2, 3, 8, 8}), random_tensor<float>(rng, {4, 3, 3, 3}),
                                      random_tensor<float>(rng, {4})}),
            0);
  EXPECT_EQ(steady_state_allocations(ir::OpType::kConvTranspose, 11, {{"strides", attr_ints({2, 2})}},
                                     {random_tensor<float>(rng, {2, 3, 4, 4}), random_tensor<float>(rng, {3, 2, 3, 3})}),
            0);
  EXPECT_EQ(steady_state_allocations(ir::OpType::kMaxPool, 12, {{"kernel_shape", attr_ints({2, 2})}},
                                     {random_tensor<float>(rng, {2, 3, 8, 8})}, 2),
            0);
}

}  // namespace
}  // namespace recinfer::kernels
