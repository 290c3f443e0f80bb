// Hand-checked ReduceSum / ReduceMean / ReduceMax cases: axes from attribute and input,
// keepdims, noop_with_empty_axes, empty reductions, dtypes and errors.
#include <limits>

#include "kernels/reduce/reduce_test_util.h"

namespace recinfer::kernels::reduce_test {
namespace {

using ir::OpType;

Tensor x_3x2x2() {
  return make_tensor<float>(Shape{3, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
}

class ReduceHandTest : public ::testing::TestWithParam<KernelVariant> {};

TEST_P(ReduceHandTest, SumAxesInputKeepdims) {
  auto out = run_ok(OpType::kReduceSum, 13, {{"keepdims", attr_int(1)}},
                    {x_3x2x2(), vector_i64({1})}, 1, GetParam());
  EXPECT_EQ(out[0].shape(), (Shape{3, 1, 2}));
  EXPECT_EQ(to_vector<float>(out[0]), (std::vector<float>{4, 6, 12, 14, 20, 22}));
}

TEST_P(ReduceHandTest, SumAxesInputNoKeepdims) {
  auto out = run_ok(OpType::kReduceSum, 13, {{"keepdims", attr_int(0)}},
                    {x_3x2x2(), vector_i64({-2})}, 1, GetParam());
  EXPECT_EQ(out[0].shape(), (Shape{3, 2}));
  EXPECT_EQ(to_vector<float>(out[0]), (std::vector<float>{4, 6, 12, 14, 20, 22}));
}

TEST_P(ReduceHandTest, SumEmptyOrOmittedAxesReducesAll) {
  auto empty = run_ok(OpType::kReduceSum, 13, {}, {x_3x2x2(), vector_i64({})}, 1, GetParam());
  EXPECT_EQ(empty[0].shape(), (Shape{1, 1, 1}));
  EXPECT_EQ(to_vector<float>(empty[0]), (std::vector<float>{78}));
  auto omitted = run_ok(OpType::kReduceSum, 13, {{"keepdims", attr_int(0)}}, {x_3x2x2()}, 1,
                        GetParam());
  EXPECT_EQ(omitted[0].shape(), Shape{});
  EXPECT_EQ(to_vector<float>(omitted[0]), (std::vector<float>{78}));
}

TEST_P(ReduceHandTest, SumNoopWithEmptyAxesIsIdentity) {
  auto out = run_ok(OpType::kReduceSum, 13, {{"noop_with_empty_axes", attr_int(1)}},
                    {x_3x2x2(), vector_i64({})}, 1, GetParam());
  EXPECT_EQ(out[0].shape(), (Shape{3, 2, 2}));
  EXPECT_EQ(to_vector<float>(out[0]), to_vector<float>(x_3x2x2()));
}

TEST_P(ReduceHandTest, SumAttributeAxesBeforeOpset13) {
  auto out = run_ok(OpType::kReduceSum, 11, {{"axes", attr_ints({0, 2})}}, {x_3x2x2()}, 1,
                    GetParam());
  EXPECT_EQ(out[0].shape(), (Shape{1, 2, 1}));
  EXPECT_EQ(to_vector<float>(out[0]), (std::vector<float>{33, 45}));
}

TEST_P(ReduceHandTest, MeanAndMax) {
  auto mean = run_ok(OpType::kReduceMean, 13, {{"axes", attr_ints({1})}}, {x_3x2x2()}, 1,
                     GetParam());
  EXPECT_EQ(mean[0].shape(), (Shape{3, 1, 2}));
  EXPECT_EQ(to_vector<float>(mean[0]), (std::vector<float>{2, 3, 6, 7, 10, 11}));
  auto max = run_ok(OpType::kReduceMax, 13, {{"axes", attr_ints({2})}, {"keepdims", attr_int(0)}},
                    {x_3x2x2()}, 1, GetParam());
  EXPECT_EQ(max[0].shape(), (Shape{3, 2}));
  EXPECT_EQ(to_vector<float>(max[0]), (std::vector<float>{2, 4, 6, 8, 10, 12}));
  auto max_all = run_ok(OpType::kReduceMax, 13, {}, {x_3x2x2()}, 1, GetParam());
  EXPECT_EQ(to_vector<float>(max_all[0]), (std::vector<float>{12}));
}

TEST_P(ReduceHandTest, IntegerAndDoubleDtypes) {
  auto sum = run_ok(OpType::kReduceSum, 13, {{"keepdims", attr_int(0)}},
                    {make_tensor<int64_t>(Shape{2, 3}, {1, -2, 3, 40, 50, 60}), vector_i64({1})},
                    1, GetParam());
  EXPECT_EQ(to_vector<int64_t>(sum[0]), (std::vector<int64_t>{2, 150}));
  auto max = run_ok(OpType::kReduceMax, 13, {{"axes", attr_ints({0})}},
                    {make_tensor<int32_t>(Shape{2, 3}, {1, -2, 3, -40, 50, 2})}, 1, GetParam());
  EXPECT_EQ(to_vector<int32_t>(max[0]), (std::vector<int32_t>{1, 50, 3}));
  // Integer mean truncates like integer division.
  auto mean = run_ok(OpType::kReduceMean, 13, {{"axes", attr_ints({1})}},
                     {make_tensor<int64_t>(Shape{2, 2}, {1, 2, 7, 8})}, 1, GetParam());
  EXPECT_EQ(to_vector<int64_t>(mean[0]), (std::vector<int64_t>{1, 7}));
  auto dmean = run_ok(OpType::kReduceMean, 13, {},
                      {make_tensor<double>(Shape{4}, {0.5, 1.0, 2.0, 4.5})}, 1, GetParam());
  EXPECT_EQ(to_vector<double>(dmean[0]), (std::vector<double>{2.0}));
}

TEST_P(ReduceHandTest, MaxPropagatesNaN) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto max = run_ok(OpType::kReduceMax, 13, {{"axes", attr_ints({1})}},
                    {make_tensor<float>(Shape{2, 3}, {1, nan, 3, 4, 5, 6})}, 1, GetParam());
  auto values = to_vector<float>(max[0]);
  EXPECT_TRUE(std::isnan(values[0]));
  EXPECT_EQ(values[1], 6.0f);
}

TEST_P(ReduceHandTest, EmptyReductionSetsUseTheSpecIdentity) {
  const Tensor empty = make_tensor<float>(Shape{2, 0}, {});
  auto sum = run_ok(OpType::kReduceSum, 13, {}, {empty, vector_i64({1})}, 1, GetParam());
  EXPECT_EQ(sum[0].shape(), (Shape{2, 1}));
  EXPECT_EQ(to_vector<float>(sum[0]), (std::vector<float>{0, 0}));
  auto max = run_ok(OpType::kReduceMax, 13, {{"axes", attr_ints({1})}}, {empty}, 1, GetParam());
  EXPECT_EQ(to_vector<float>(max[0]), (std::vector<float>(2, -INFINITY)));
  auto imax = run_ok(OpType::kReduceMax, 13, {{"axes", attr_ints({1})}},
                     {make_tensor<int32_t>(Shape{2, 0}, {})}, 1, GetParam());
  EXPECT_EQ(to_vector<int32_t>(imax[0]),
            (std::vector<int32_t>(2, std::numeric_limits<int32_t>::lowest())));
  auto mean = run_ok(OpType::kReduceMean, 13, {}, {empty}, 1, GetParam());
  EXPECT_EQ(mean[0].shape(), (Shape{1, 1}));
  EXPECT_TRUE(std::isnan(to_vector<float>(mean[0])[0]));
  // Reducing the non-empty axis of an empty tensor yields an empty output.
  auto kept_empty = run_ok(OpType::kReduceSum, 13, {}, {empty, vector_i64({0})}, 1, GetParam());
  EXPECT_EQ(kept_empty[0].shape(), (Shape{1, 0}));
}

TEST_P(ReduceHandTest, ScalarInputIsReturnedUnchanged) {
  auto out = run_ok(OpType::kReduceSum, 13, {}, {make_tensor<float>(Shape{}, {2.5f})}, 1,
                    GetParam());
  EXPECT_EQ(out[0].shape(), Shape{});
  EXPECT_EQ(to_vector<float>(out[0]), (std::vector<float>{2.5f}));
}

INSTANTIATE_TEST_SUITE_P(Variants, ReduceHandTest,
                         ::testing::Values(KernelVariant::kOptimized, KernelVariant::kReference));

TEST(ReduceErrorTest, BadAxesAndDtypes) {
  auto out_of_range = run_op(OpType::kReduceSum, 13, {}, {x_3x2x2(), vector_i64({3})}, 1);
  ASSERT_FALSE(out_of_range.is_ok());
  EXPECT_EQ(out_of_range.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(out_of_range.status().message().find("axis 3"), std::string::npos);
  EXPECT_NE(out_of_range.status().message().find("ReduceSum"), std::string::npos);

  auto repeated = run_op(OpType::kReduceMean, 13, {{"axes", attr_ints({1, -2})}}, {x_3x2x2()}, 1);
  ASSERT_FALSE(repeated.is_ok());
  EXPECT_EQ(repeated.status().code(), StatusCode::kInvalidArgument);

  auto f16 = Tensor::allocate(DType::kFloat16, Shape{2, 2});
  ASSERT_TRUE(f16.is_ok());
  auto unsupported_dtype = run_op(OpType::kReduceMax, 13, {}, {f16.value()}, 1);
  ASSERT_FALSE(unsupported_dtype.is_ok());
  EXPECT_EQ(unsupported_dtype.status().code(), StatusCode::kUnsupported);

  auto bad_axes_dtype = run_op(OpType::kReduceSum, 13, {},
                               {x_3x2x2(), make_tensor<float>(Shape{1}, {1.0f})}, 1);
  ASSERT_FALSE(bad_axes_dtype.is_ok());
  EXPECT_EQ(bad_axes_dtype.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recinfer::kernels::reduce_test
