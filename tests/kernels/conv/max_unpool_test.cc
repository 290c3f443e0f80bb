#include <gtest/gtest.h>

#include "kernels/op_runner.h"

namespace recinfer::kernels {
namespace {

template <typename T>
Tensor make(const Shape& shape, const std::vector<T>& v) {
  return Tensor::from_vector<T>(shape, v).value();
}

TEST(MaxUnpoolTest, ScattersToPooledIndices) {
  // MaxPool 2x2/2 of a 4x4 image whose maxima sat at flat 5, 7, 13, 15.
  const Tensor x = make<float>(Shape{1, 1, 2, 2}, {5, 6, 7, 8});
  const Tensor indices = make<int64_t>(Shape{1, 1, 2, 2}, {5, 7, 13, 15});
  const std::map<std::string, ir::Attribute, std::less<>> attrs = {
      {"kernel_shape", attr_ints({2, 2})}, {"strides", attr_ints({2, 2})}};
  auto out = run_op(ir::OpType::kMaxUnpool, 11, attrs, {x, indices}, 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  const Tensor& y = (*out)[0];
  EXPECT_EQ(y.shape(), (Shape{1, 1, 4, 4}));
  std::vector<float> want(16, 0.0f);
  want[5] = 5;
  want[7] = 6;
  want[13] = 7;
  want[15] = 8;
  EXPECT_EQ(std::vector<float>(y.data<float>(), y.data<float>() + 16), want);
  // output_shape (1, 1, 5, 5) widens the output; each index keeps its (row, column) in the
  // 4x4 unpooled shape: 13 = (3, 1) lands at 3 * 5 + 1 = 16.
  auto wide = run_op(ir::OpType::kMaxUnpool, 11, attrs,
                     {x, indices, make<int64_t>(Shape{4}, {1, 1, 5, 5})}, 1);
  ASSERT_TRUE(wide.is_ok()) << wide.status().to_string();
  EXPECT_EQ((*wide)[0].shape(), (Shape{1, 1, 5, 5}));
  EXPECT_EQ((*wide)[0].data<float>()[16], 7);
  EXPECT_EQ((*wide)[0].data<float>()[13], 0);
  // An index past the output is refused, not written.
  auto bad = run_op(ir::OpType::kMaxUnpool, 11, attrs,
                    {x, make<int64_t>(Shape{1, 1, 2, 2}, {5, 7, 13, 16})}, 1);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("16"), std::string::npos);
}

}  // namespace
}  // namespace recinfer::kernels
