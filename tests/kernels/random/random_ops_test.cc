// RandomNormal/RandomUniform (shape attribute), their *Like forms and Bernoulli: shapes and
// dtypes, seeded reproducibility, unseeded variety, and the distributions' moments.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kernels/op_runner.h"

namespace recinfer::kernels {
namespace {

using ir::OpType;
using Attributes = std::map<std::string, ir::Attribute, std::less<>>;

Tensor run(OpType op, Attributes attributes, const std::vector<Tensor>& inputs = {}) {
  auto out = run_op(op, 15, std::move(attributes), inputs, 1);
  EXPECT_TRUE(out.is_ok()) << out.status().to_string();
  return out.is_ok() ? (*out)[0] : Tensor();
}

Status status_of(OpType op, Attributes attributes, const std::vector<Tensor>& inputs = {}) {
  auto out = run_op(op, 15, std::move(attributes), inputs, 1);
  return out.is_ok() ? Status::ok() : out.status();
}

template <typename T>
std::vector<double> doubles(const Tensor& t) {
  std::vector<double> out;
  for (int64_t i = 0; i < t.numel(); ++i) out.push_back(static_cast<double>(t.data<T>()[i]));
  return out;
}

void moments(const std::vector<double>& v, double* mean, double* stddev) {
  double sum = 0, sq = 0;
  for (double x : v) sum += x;
  *mean = sum / static_cast<double>(v.size());
  for (double x : v) sq += (x - *mean) * (x - *mean);
  *stddev = std::sqrt(sq / static_cast<double>(v.size()));
}

TEST(RandomOpsTest, NormalShapeSeedAndMoments) {
  const Attributes attributes = {{"shape", attr_ints({200, 501})},
                                 {"mean", attr_float(2.0f)},
                                 {"scale", attr_float(3.0f)},
                                 {"seed", attr_float(7.0f)}};
  Tensor a = run(OpType::kRandomNormal, attributes);
  Tensor b = run(OpType::kRandomNormal, attributes);
  ASSERT_EQ(a.dtype(), DType::kFloat32);
  ASSERT_EQ(a.shape(), (Shape{200, 501}));  // an odd count: the last Box-Muller pair is half used
  EXPECT_EQ(doubles<float>(a), doubles<float>(b));  // seeded: the same values every run
  double mean = 0, stddev = 0;
  moments(doubles<float>(a), &mean, &stddev);
  EXPECT_NEAR(mean, 2.0, 0.03);
  EXPECT_NEAR(stddev, 3.0, 0.03);
  Attributes other_seed = attributes;
  other_seed["seed"] = attr_float(8.0f);
  EXPECT_NE(doubles<float>(run(OpType::kRandomNormal, other_seed)), doubles<float>(a));
}

TEST(RandomOpsTest, UniformRangeDtypeAndUnseededVariety) {
  const Attributes attributes = {{"shape", attr_ints({4, 25000})},
                                 {"low", attr_float(-1.0f)},
                                 {"high", attr_float(3.0f)},
                                 {"dtype", attr_int(11)}};
  Tensor a = run(OpType::kRandomUniform, attributes);
  Tensor b = run(OpType::kRandomUniform, attributes);
  ASSERT_EQ(a.dtype(), DType::kFloat64);
  const std::vector<double> va = doubles<double>(a);
  for (double v : va) {
    ASSERT_GE(v, -1.0);
    ASSERT_LT(v, 3.0);
  }
  EXPECT_NE(va, doubles<double>(b));  // no seed: new values
  double mean = 0, stddev = 0;
  moments(va, &mean, &stddev);
  EXPECT_NEAR(mean, 1.0, 0.02);
  EXPECT_NEAR(stddev, 4.0 / std::sqrt(12.0), 0.02);
}

TEST(RandomOpsTest, LikeOpsTakeShapeAndDtypeOfTheirInput) {
  auto input = Tensor::from_vector<double>(Shape{3, 7}, std::vector<double>(21, 0.0));
  ASSERT_TRUE(input.is_ok());
  Tensor n = run(OpType::kRandomNormalLike, {{"seed", attr_float(1.0f)}}, {*input});
  EXPECT_EQ(n.dtype(), DType::kFloat64);
  EXPECT_EQ(n.shape(), (Shape{3, 7}));
  auto ints = Tensor::from_vector<int64_t>(Shape{5}, {1, 2, 3, 4, 5});
  Tensor u = run(OpType::kRandomUniformLike, {{"dtype", attr_int(1)}}, {*ints});
  EXPECT_EQ(u.dtype(), DType::kFloat32);
  EXPECT_EQ(u.shape(), (Shape{5}));
  // An integer input without a float dtype attribute has no float output type.
  EXPECT_EQ(status_of(OpType::kRandomUniformLike, {}, {*ints}).code(), StatusCode::kUnsupported);
}

TEST(RandomOpsTest, BernoulliFollowsProbabilities) {
  std::vector<float> p(30000);
  for (size_t i = 0; i < p.size(); ++i) p[i] = i < 10000 ? 0.0f : (i < 20000 ? 1.0f : 0.3f);
  auto probabilities = Tensor::from_vector<float>(Shape{30000}, p);
  ASSERT_TRUE(probabilities.is_ok());
  Tensor out = run(OpType::kBernoulli, {{"seed", attr_float(3.0f)}}, {*probabilities});
  ASSERT_EQ(out.dtype(), DType::kFloat32);
  const std::vector<double> v = doubles<float>(out);
  double ones_in_third = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    ASSERT_TRUE(v[i] == 0.0 || v[i] == 1.0);
    if (i < 10000) {
      ASSERT_EQ(v[i], 0.0);
    } else if (i < 20000) {
      ASSERT_EQ(v[i], 1.0);
    } else {
      ones_in_third += v[i];
    }
  }
  EXPECT_NEAR(ones_in_third / 10000.0, 0.3, 0.02);
  Tensor as_bool = run(OpType::kBernoulli, {{"dtype", attr_int(9)}}, {*probabilities});
  EXPECT_EQ(as_bool.dtype(), DType::kBool);
  EXPECT_TRUE(as_bool.data<bool>()[15000]);
}

TEST(RandomOpsTest, AttributeErrors) {
  EXPECT_EQ(status_of(OpType::kRandomNormal, {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status_of(OpType::kRandomNormal, {{"shape", attr_ints({2, -1})}}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(status_of(OpType::kRandomNormal, {{"shape", attr_ints({2})}, {"dtype", attr_int(10)}})
                .code(),
            StatusCode::kUnsupported);  // float16
}

}  // namespace
}  // namespace recinfer::kernels
