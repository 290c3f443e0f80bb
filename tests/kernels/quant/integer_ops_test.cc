// DynamicQuantizeLinear, MatMulInteger and ConvInteger expectations are the examples of the
// ONNX operator docs; the QLinear ones are computed by hand in the comments.
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

TEST(DynamicQuantizeLinearTest, OnnxDocExample) {
  auto out = run_op(ir::OpType::kDynamicQuantizeLinear, 11, {},
                    {make<float>(Shape{6}, {0, 2, -3, -2.5f, 1.34f, 0.5f})}, 3);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_of<uint8_t>((*out)[0]), (std::vector<uint8_t>{153, 255, 0, 26, 221, 179}));
  EXPECT_FLOAT_EQ((*out)[1].data<float>()[0], 5.0f / 255.0f);
  EXPECT_EQ((*out)[2].data<uint8_t>()[0], 153);
  // All zeros: scale 0, nothing to divide by.
  auto zeros = run_op(ir::OpType::kDynamicQuantizeLinear, 11, {}, {make<float>(Shape{2}, {0, 0})}, 3);
  ASSERT_TRUE(zeros.is_ok());
  EXPECT_EQ(values_of<uint8_t>((*zeros)[0]), (std::vector<uint8_t>{0, 0}));
  EXPECT_EQ((*zeros)[1].data<float>()[0], 0.0f);
}

TEST(MatMulIntegerTest, OnnxDocExample) {
  const Tensor a = make<uint8_t>(Shape{4, 3}, {11, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0});
  const Tensor b = make<uint8_t>(Shape{3, 2}, {1, 4, 2, 5, 3, 6});
  auto out = run_op(ir::OpType::kMatMulInteger, 10, {},
                    {a, b, make<uint8_t>(Shape{}, {12}), make<uint8_t>(Shape{}, {0})}, 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].dtype(), DType::kInt32);
  EXPECT_EQ(values_of<int32_t>((*out)[0]),
            (std::vector<int32_t>{-38, -83, -44, -98, -50, -113, -56, -128}));
  // Float operands are not an integer matmul.
  auto bad = run_op(ir::OpType::kMatMulInteger, 10, {},
                    {make<float>(Shape{1, 1}, {1}), make<float>(Shape{1, 1}, {1})}, 1);
  EXPECT_EQ(bad.status().code(), StatusCode::kUnsupported);
}

TEST(QLinearMatMulTest, RequantizesAndSaturates) {
  // (b - 1) = [[0], [2]]: acc = 2*0 + 4*2 = 8; 8 * 0.5 * 0.25 / 0.1 = 10; + 10 = 20.
  const std::vector<Tensor> in = {make<uint8_t>(Shape{1, 2}, {2, 4}), make<float>(Shape{}, {0.5f}),
                                  make<uint8_t>(Shape{}, {0}),        make<uint8_t>(Shape{2, 1}, {1, 3}),
                                  make<float>(Shape{}, {0.25f}),      make<uint8_t>(Shape{}, {1}),
                                  make<float>(Shape{}, {0.1f}),       make<uint8_t>(Shape{}, {10})};
  auto out = run_op(ir::OpType::kQLinearMatMul, 10, {}, in, 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_of<uint8_t>((*out)[0]), (std::vector<uint8_t>{20}));
  std::vector<Tensor> tiny = in;
  tiny[6] = make<float>(Shape{}, {0.001f});  // 1000 + 10 saturates at 255
  auto saturated = run_op(ir::OpType::kQLinearMatMul, 10, {}, tiny, 1);
  ASSERT_TRUE(saturated.is_ok());
  EXPECT_EQ(values_of<uint8_t>((*saturated)[0]), (std::vector<uint8_t>{255}));
}

TEST(ConvIntegerTest, OnnxDocExample) {
  const Tensor x = make<uint8_t>(Shape{1, 1, 3, 3}, {2, 3, 4, 5, 6, 7, 8, 9, 10});
  const Tensor w = make<uint8_t>(Shape{1, 1, 2, 2}, {1, 1, 1, 1});
  auto out = run_op(ir::OpType::kConvInteger, 10, {}, {x, w, make<uint8_t>(Shape{}, {1})}, 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{1, 1, 2, 2}));
  EXPECT_EQ(values_of<int32_t>((*out)[0]), (std::vector<int32_t>{12, 16, 24, 28}));
  // pads=1: the corners see one pixel each: x[0,0] - 1 = 1 at the top left.
  auto padded = run_op(ir::OpType::kConvInteger, 10, {{"pads", attr_ints({1, 1, 1, 1})}},
                       {x, w, make<uint8_t>(Shape{}, {1})}, 1);
  ASSERT_TRUE(padded.is_ok());
  EXPECT_EQ((*padded)[0].shape(), (Shape{1, 1, 4, 4}));
  EXPECT_EQ((*padded)[0].data<int32_t>()[0], 1);
  EXPECT_EQ((*padded)[0].data<int32_t>()[15], 9);
}

TEST(QLinearConvTest, BiasAndHalfToEven) {
  // y = round((x * 2 + 1) * 1 * 0.5 / 1): 1.5 -> 2, 2.5 -> 2, 3.5 -> 4, 4.5 -> 4.
  const std::vector<Tensor> in = {
      make<uint8_t>(Shape{1, 1, 2, 2}, {1, 2, 3, 4}), make<float>(Shape{}, {1.0f}),
      make<uint8_t>(Shape{}, {0}),                    make<int8_t>(Shape{1, 1, 1, 1}, {2}),
      make<float>(Shape{1}, {0.5f}),                  make<int8_t>(Shape{1}, {0}),
      make<float>(Shape{}, {1.0f}),                   make<uint8_t>(Shape{}, {0}),
      make<int32_t>(Shape{1}, {1})};
  auto out = run_op(ir::OpType::kQLinearConv, 10, {}, in, 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_of<uint8_t>((*out)[0]), (std::vector<uint8_t>{2, 2, 4, 4}));
}

}  // namespace
}  // namespace recinfer::kernels
