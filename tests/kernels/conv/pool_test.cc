#include <gtest/gtest.h>

#include <cmath>

#include "kernels/conv/conv_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace conv_test;  // NOLINT(google-build-using-namespace)

// 0..15 as a (1, 1, 4, 4) image.
Tensor ramp4x4() {
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[static_cast<size_t>(i)] = static_cast<float>(i);
  return make_tensor<float>({1, 1, 4, 4}, v);
}

TEST(PoolTest, MaxPoolWithIndices) {
  ThreadedFor parallel(2);
  auto out = run_op(ir::OpType::kMaxPool, 12, {{"kernel_shape", attr_ints({2, 2})}, {"strides", attr_ints({2, 2})}},
                    {ramp4x4()}, 2, KernelVariant::kOptimized, &parallel);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 1, 2, 2}));
  EXPECT_EQ(values_of<float>((*out)[0]), (std::vector<float>{5, 7, 13, 15}));
  EXPECT_EQ(values_of<int64_t>((*out)[1]), (std::vector<int64_t>{5, 7, 13, 15}));
  // storage_order 1: the index of (h, w) is h + w·H.
  auto column = run_op(ir::OpType::kMaxPool, 12,
                       {{"kernel_shape", attr_ints({2, 2})}, {"strides", attr_ints({2, 2})}, {"storage_order", attr_int(1)}},
                       {ramp4x4()}, 2);
  ASSERT_TRUE(column.is_ok());
  EXPECT_EQ(values_of<int64_t>((*column)[1]), (std::vector<int64_t>{1 + 1 * 4, 1 + 3 * 4, 3 + 1 * 4, 3 + 3 * 4}));
}

TEST(PoolTest, MaxPoolCeilDilationsAndPads) {
  auto ceil = run_op(ir::OpType::kMaxPool, 12,
                     {{"kernel_shape", attr_ints({3, 3})}, {"strides", attr_ints({2, 2})}, {"ceil_mode", attr_int(1)}},
                     {ramp4x4()}, 1);
  ASSERT_TRUE(ceil.is_ok()) << ceil.status().to_string();
  EXPECT_EQ(values_of<float>((*ceil)[0]), (std::vector<float>{10, 11, 14, 15}));
  auto dilated = run_op(ir::OpType::kMaxPool, 12,
                        {{"kernel_shape", attr_ints({2, 2})}, {"dilations", attr_ints({2, 2})}}, {ramp4x4()}, 1);
  ASSERT_TRUE(dilated.is_ok());
  EXPECT_EQ(values_of<float>((*dilated)[0]), (std::vector<float>{10, 11, 14, 15}));
  auto same = run_op(ir::OpType::kMaxPool, 12,
                     {{"kernel_shape", attr_ints({3})}, {"auto_pad", attr_string("SAME_UPPER")}},
                     {make_tensor<float>({1, 1, 4}, {-1, -2, -3, -4})}, 1);
  ASSERT_TRUE(same.is_ok());
  EXPECT_EQ(values_of<float>((*same)[0]), (std::vector<float>{-1, -1, -2, -3}));  // pads never win
  auto u8 = run_op(ir::OpType::kMaxPool, 12, {{"kernel_shape", attr_ints({2})}},
                   {make_tensor<uint8_t>({1, 1, 3}, {1, 200, 3})}, 1);
  ASSERT_TRUE(u8.is_ok());
  EXPECT_EQ(values_of<uint8_t>((*u8)[0]), (std::vector<uint8_t>{200, 200}));
}

TEST(PoolTest, AveragePoolCountIncludePad) {
  const Attrs base = {{"kernel_shape", attr_ints({3})}, {"pads", attr_ints({1, 1})}};
  const Tensor x = make_tensor<float>({1, 1, 3}, {3, 6, 9});
  auto exclude = run_op(ir::OpType::kAveragePool, 11, base, {x}, 1);
  ASSERT_TRUE(exclude.is_ok()) << exclude.status().to_string();
  EXPECT_EQ(values_of<float>((*exclude)[0]), (std::vector<float>{4.5f, 6, 7.5f}));
  Attrs include = base;
  include["count_include_pad"] = attr_int(1);
  auto with_pad = run_op(ir::OpType::kAveragePool, 11, include, {x}, 1);
  ASSERT_TRUE(with_pad.is_ok());
  EXPECT_EQ(values_of<float>((*with_pad)[0]), (std::vector<float>{3, 6, 5}));
  auto volume = run_op(ir::OpType::kAveragePool, 11, {{"kernel_shape", attr_ints({2, 2, 2})}},
                       {make_tensor<double>({1, 1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8})}, 1);
  ASSERT_TRUE(volume.is_ok());
  EXPECT_EQ(values_of<double>((*volume)[0]), (std::vector<double>{4.5}));
}

TEST(PoolTest, LpPool) {
  auto out = run_op(ir::OpType::kLpPool, 11, {{"kernel_shape", attr_ints({2})}, {"strides", attr_ints({2})}},
                    {make_tensor<float>({1, 2, 4}, {3, 4, -6, 8, 1, 0, 0, -2})}, 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_of<float>((*out)[0]), (std::vector<float>{5, 10, 1, 2}));
  auto p1 = run_op(ir::OpType::kLpPool, 11, {{"kernel_shape", attr_ints({2})}, {"p", attr_int(1)}},
                   {make_tensor<float>({1, 1, 3}, {1, -2, 3})}, 1);
  ASSERT_TRUE(p1.is_ok());
  EXPECT_EQ(values_of<float>((*p1)[0]), (std::vector<float>{3, 5}));
}

TEST(PoolTest, Errors) {
  EXPECT_FALSE(run_op(ir::OpType::kMaxPool, 12, {}, {ramp4x4()}, 1).is_ok());  // no kernel_shape
  EXPECT_FALSE(run_op(ir::OpType::kMaxPool, 12, {{"kernel_shape", attr_ints({5, 5})}}, {ramp4x4()}, 1).is_ok());
  auto ints = run_op(ir::OpType::kAveragePool, 11, {{"kernel_shape", attr_ints({1})}},
                     {make_tensor<int32_t>({1, 1, 2}, {1, 2})}, 1);
  ASSERT_FALSE(ints.is_ok());
  EXPECT_EQ(ints.status().code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace recinfer::kernels
