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

TEST(QuantizeLinearTest, RoundsHalfToEvenAndSaturates) {
  const Tensor x = make<float>(Shape{8}, {0, 2, 3, 1000, -254, -1000, 5, 7});
  auto u8 = run_op(ir::OpType::kQuantizeLinear, 13, {},
                   {x, make<float>(Shape{}, {2}), make<uint8_t>(Shape{}, {128})}, 1);
  ASSERT_TRUE(u8.is_ok()) << u8.status().to_string();
  // 3/2 = 1.5 -> 2, 5/2 = 2.5 -> 2, 7/2 = 3.5 -> 4 (half to even).
  EXPECT_EQ(values_of<uint8_t>((*u8)[0]),
            (std::vector<uint8_t>{128, 129, 130, 255, 1, 0, 130, 132}));
  auto i8 = run_op(ir::OpType::kQuantizeLinear, 10, {},
                   {x, make<float>(Shape{}, {2}), make<int8_t>(Shape{}, {-1})}, 1);
  ASSERT_TRUE(i8.is_ok()) << i8.status().to_string();
  EXPECT_EQ(values_of<int8_t>((*i8)[0]), (std::vector<int8_t>{-1, 0, 1, 127, -128, -128, 1, 3}));
  // No zero point: uint8 with zero point 0.
  auto plain = run_op(ir::OpType::kQuantizeLinear, 13, {}, {x, make<float>(Shape{}, {2})}, 1);
  ASSERT_TRUE(plain.is_ok()) << plain.status().to_string();
  EXPECT_EQ((*plain)[0].dtype(), DType::kUint8);
  EXPECT_EQ(values_of<uint8_t>((*plain)[0]), (std::vector<uint8_t>{0, 1, 2, 255, 0, 0, 2, 4}));
}

TEST(QuantizeLinearTest, PerAxis) {
  const Tensor x = make<float>(Shape{1, 3, 2}, {-10, 10, 3, 6, 100, 200});
  auto out = run_op(ir::OpType::kQuantizeLinear, 13, {{"axis", attr_int(1)}},
                    {x, make<float>(Shape{3}, {1, 3, 100}), make<int8_t>(Shape{3}, {0, 1, -2})},
                    1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_of<int8_t>((*out)[0]), (std::vector<int8_t>{-10, 10, 2, 3, -1, 0}));
  // Per-axis scales need opset 13.
  auto old = run_op(ir::OpType::kQuantizeLinear, 10, {}, {x, make<float>(Shape{3}, {1, 3, 100})}, 1);
  EXPECT_FALSE(old.is_ok());
}

TEST(DequantizeLinearTest, PerTensorPerAxisAndInt32) {
  auto u8 = run_op(ir::OpType::kDequantizeLinear, 13, {},
                   {make<uint8_t>(Shape{3}, {0, 128, 255}), make<float>(Shape{}, {0.5f}),
                    make<uint8_t>(Shape{}, {128})},
                   1);
  ASSERT_TRUE(u8.is_ok()) << u8.status().to_string();
  EXPECT_EQ(values_of<float>((*u8)[0]), (std::vector<float>{-64, 0, 63.5f}));
  auto axis = run_op(ir::OpType::kDequantizeLinear, 13, {{"axis", attr_int(0)}},
                     {make<int8_t>(Shape{2, 2}, {-128, 127, 1, 2}), make<float>(Shape{2}, {1, 2}),
                      make<int8_t>(Shape{2}, {0, 1})},
                     1);
  ASSERT_TRUE(axis.is_ok()) << axis.status().to_string();
  EXPECT_EQ(values_of<float>((*axis)[0]), (std::vector<float>{-128, 127, 0, 2}));
  auto i32 = run_op(ir::OpType::kDequantizeLinear, 13, {},
                    {make<int32_t>(Shape{2}, {-300000, 7}), make<float>(Shape{}, {0.25f})}, 1);
  ASSERT_TRUE(i32.is_ok()) << i32.status().to_string();
  EXPECT_EQ(values_of<float>((*i32)[0]), (std::vector<float>{-75000, 1.75f}));
  auto bad = run_op(ir::OpType::kDequantizeLinear, 13, {},
                    {make<float>(Shape{1}, {1}), make<float>(Shape{}, {1})}, 1);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace recinfer::kernels
