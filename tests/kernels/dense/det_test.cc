#include <gtest/gtest.h>

#include "kernels/op_runner.h"

namespace recinfer::kernels {
namespace {

TEST(DetTest, BatchedWithPivotingAndSingular) {
  // det [[1,2],[3,4]] = -2; [[0,1],[1,0]] needs a row swap: -1; [[1,2],[2,4]] is singular: 0.
  const Tensor x = Tensor::from_vector<float>(Shape{3, 2, 2}, {1, 2, 3, 4, 0, 1, 1, 0, 1, 2, 2, 4}).value();
  auto out = run_op(ir::OpType::kDet, 11, {}, {x}, 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  const Tensor& y = (*out)[0];
  EXPECT_EQ(y.shape(), (Shape{3}));
  EXPECT_FLOAT_EQ(y.data<float>()[0], -2.0f);
  EXPECT_FLOAT_EQ(y.data<float>()[1], -1.0f);
  EXPECT_FLOAT_EQ(y.data<float>()[2], 0.0f);
  // 3x3 in double: det = 2*(3*4 - 1*0) - 1*(1*4 - 1*0) + 0 = 20.
  const Tensor d = Tensor::from_vector<double>(Shape{3, 3}, {2, 1, 0, 1, 3, 1, 0, 0, 4}).value();
  auto scalar = run_op(ir::OpType::kDet, 11, {}, {d}, 1);
  ASSERT_TRUE(scalar.is_ok());
  EXPECT_EQ((*scalar)[0].shape(), Shape{});
  EXPECT_NEAR((*scalar)[0].data<double>()[0], 20.0, 1e-12);
  auto not_square = run_op(ir::OpType::kDet, 11, {},
                           {Tensor::from_vector<float>(Shape{2, 3}, {1, 2, 3, 4, 5, 6}).value()}, 1);
  EXPECT_EQ(not_square.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recinfer::kernels
