#include <gtest/gtest.h>

#include "kernels/op_runner.h"

namespace recinfer::kernels {
namespace {

TEST(GatherNDTest, PicksElementsAndRowsWithNegativeIndices) {
  auto data = Tensor::from_vector<float>(Shape{2, 3}, {0, 1, 2, 10, 11, 12});
  // Element picks: (1, 2) and (0, -1).
  auto points = Tensor::from_vector<int64_t>(Shape{2, 2}, {1, 2, 0, -1});
  auto out = run_op(ir::OpType::kGatherND, 13, {}, {*data, *points}, 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  ASSERT_EQ((*out)[0].shape(), (Shape{2}));
  EXPECT_EQ((*out)[0].data<float>()[0], 12.0f);
  EXPECT_EQ((*out)[0].data<float>()[1], 2.0f);
  // Row picks: index tuples of length 1 select whole rows.
  auto rows = Tensor::from_vector<int64_t>(Shape{3, 1}, {1, 0, -1});
  out = run_op(ir::OpType::kGatherND, 13, {}, {*data, *rows}, 1);
  ASSERT_TRUE(out.is_ok());
  ASSERT_EQ((*out)[0].shape(), (Shape{3, 3}));
  const float expected[] = {10, 11, 12, 0, 1, 2, 10, 11, 12};
  for (int i = 0; i < 9; ++i) EXPECT_EQ((*out)[0].data<float>()[i], expected[i]);
}

TEST(GatherNDTest, BatchDims) {
  auto data = Tensor::from_vector<int64_t>(Shape{2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  auto idx = Tensor::from_vector<int64_t>(Shape{2, 1}, {1, 0});
  auto out = run_op(ir::OpType::kGatherND, 13, {{"batch_dims", attr_int(1)}}, {*data, *idx}, 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  ASSERT_EQ((*out)[0].shape(), (Shape{2, 2}));
  const int64_t expected[] = {2, 3, 4, 5};
  for (int i = 0; i < 4; ++i) EXPECT_EQ((*out)[0].data<int64_t>()[i], expected[i]);
}

TEST(GatherNDTest, OutOfRangeIndexIsAnErrorNamingTheValue) {
  auto data = Tensor::from_vector<float>(Shape{2, 3}, {0, 1, 2, 3, 4, 5});
  auto idx = Tensor::from_vector<int64_t>(Shape{1, 2}, {1, 3});
  auto out = run_op(ir::OpType::kGatherND, 13, {}, {*data, *idx}, 1);
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(out.status().message().find("index 3"), std::string::npos) << out.status().message();
  EXPECT_NE(out.status().message().find("[-3, 3)"), std::string::npos);
}

}  // namespace
}  // namespace recinfer::kernels
