// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss: reductions, class weights,
// ignore_index, the (N, C, d1) layout, SCE's log_prob output and stability, bad targets.
#include <limits>

#include "kernels/norm/norm_test_util.h"

namespace recinfer::kernels::norm_test {
namespace {

using ir::OpType;

Tensor nll_input() { return make_tensor<float>(Shape{2, 3}, {-1, -2, -3, -4, -5, -6}); }
Tensor targets(std::vector<int64_t> t) {
  return make_tensor<int64_t>(Shape{static_cast<int64_t>(t.size())}, t);
}

float scalar(const Tensor& t) {
  EXPECT_EQ(t.shape(), Shape{});
  return t.data<float>()[0];
}

TEST(NllLossTest, Reductions) {
  auto none = run_ok(OpType::kNegativeLogLikelihoodLoss, 13, {{"reduction", attr_string("none")}},
                     {nll_input(), targets({2, 0})}, 1);
  EXPECT_EQ(to_vector<float>(none[0]), (std::vector<float>{3, 4}));
  auto sum = run_ok(OpType::kNegativeLogLikelihoodLoss, 13, {{"reduction", attr_string("sum")}},
                    {nll_input(), targets({2, 0})}, 1);
  EXPECT_EQ(scalar(sum[0]), 7);
  auto mean = run_ok(OpType::kNegativeLogLikelihoodLoss, 13, {}, {nll_input(), targets({2, 0})}, 1);
  EXPECT_EQ(scalar(mean[0]), 3.5f);
}

TEST(NllLossTest, WeightsAndIgnoreIndex) {
  const Tensor weight = make_tensor<float>(Shape{3}, {1, 2, 3});
  auto weighted = run_ok(OpType::kNegativeLogLikelihoodLoss, 13, {},
                         {nll_input(), targets({2, 0}), weight}, 1);
  EXPECT_EQ(scalar(weighted[0]), 13.0f / 4);  // (9 + 4) / (3 + 1)
  auto ignored = run_ok(OpType::kNegativeLogLikelihoodLoss, 13, {{"ignore_index", attr_int(0)}},
                        {nll_input(), targets({2, 0})}, 1);
  EXPECT_EQ(scalar(ignored[0]), 3);  // the ignored sample counts neither loss nor weight
  // A negative ignore_index is matched before the range check.
  auto negative = run_ok(OpType::kNegativeLogLikelihoodLoss, 13,
                         {{"ignore_index", attr_int(-1)}, {"reduction", attr_string("none")}},
                         {nll_input(), targets({-1, 1})}, 1);
  EXPECT_EQ(to_vector<float>(negative[0]), (std::vector<float>{0, 5}));
}

TEST(NllLossTest, SpatialLayoutAndInt32Targets) {
  // (N, C, d1) = (1, 2, 2): class c of position d is input[0, c, d].
  const Tensor x = make_tensor<float>(Shape{1, 2, 2}, {-1, -2, -3, -4});
  const Tensor t = make_tensor<int32_t>(Shape{1, 2}, {1, 0});
  auto out = run_ok(OpType::kNegativeLogLikelihoodLoss, 13, {{"reduction", attr_string("none")}},
                    {x, t}, 1);
  EXPECT_EQ(out[0].shape(), (Shape{1, 2}));
  EXPECT_EQ(to_vector<float>(out[0]), (std::vector<float>{3, 2}));
}

TEST(NllLossTest, BadTargetsAndShapes) {
  auto out_of_range = run_op(OpType::kNegativeLogLikelihoodLoss, 13, {},
                             {nll_input(), targets({3, 0})}, 1);
  ASSERT_FALSE(out_of_range.is_ok());
  EXPECT_NE(out_of_range.status().message().find("target 3"), std::string::npos);
  auto shape = run_op(OpType::kNegativeLogLikelihoodLoss, 13, {}, {nll_input(), targets({0})}, 1);
  EXPECT_FALSE(shape.is_ok());
  auto reduction = run_op(OpType::kNegativeLogLikelihoodLoss, 13, {{"reduction", attr_string("max")}},
                          {nll_input(), targets({0, 0})}, 1);
  EXPECT_FALSE(reduction.is_ok());
}

TEST(SoftmaxCrossEntropyTest, LossAndLogProb) {
  const Tensor scores = make_tensor<float>(Shape{2, 2}, {0, 0, 1000, 0});
  auto out = run_ok(OpType::kSoftmaxCrossEntropyLoss, 13, {{"reduction", attr_string("none")}},
                    {scores, targets({1, 0})}, 2);
  const std::vector<float> loss = to_vector<float>(out[0]);
  EXPECT_NEAR(loss[0], std::log(2.0), 1e-6);
  EXPECT_NEAR(loss[1], 0, 1e-6);  // a huge logit does not overflow
  const std::vector<float> log_prob = to_vector<float>(out[1]);
  EXPECT_NEAR(log_prob[0], -std::log(2.0), 1e-6);
  EXPECT_NEAR(log_prob[3], -1000, 1e-3);
  auto mean = run_ok(OpType::kSoftmaxCrossEntropyLoss, 13,
                     {{"ignore_index", attr_int(0)}},
                     {scores, targets({1, 0}), make_tensor<float>(Shape{2}, {1, 4})}, 1);
  EXPECT_NEAR(scalar(mean[0]), std::log(2.0), 1e-6);  // 4 ln2 / 4
}

}  // namespace
}  // namespace recinfer::kernels::norm_test
