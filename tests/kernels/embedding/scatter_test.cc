#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "kernels/dense/kernel_test_support.h"
#include "kernels/op_runner.h"

namespace recinfer::kernels {
namespace {

using dense_test::make_tensor;
using dense_test::values_of;

Result<std::vector<Tensor>> scatter_elements(
    int opset, std::map<std::string, ir::Attribute, std::less<>> attrs, const Tensor& data,
    const Tensor& indices, const Tensor& updates, KernelVariant variant = KernelVariant::kOptimized,
    ir::OpType op = ir::OpType::kScatterElements) {
  return run_op(op, opset, std::move(attrs), {data, indices, updates}, 1, variant);
}

TEST(ScatterElementsTest, SpecExamplesBothVariants) {
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = scatter_elements(16, {}, make_tensor<float>({3, 3}, std::vector<float>(9, 0)),
                                make_tensor<int64_t>({2, 3}, {1, 0, 2, 0, 2, 1}),
                                make_tensor<float>({2, 3}, {1, 1.1f, 1.2f, 2, 2.1f, 2.2f}),
                                variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ(values_of<float>((*out)[0]),
              (std::vector<float>{2, 1.1f, 0, 1, 0, 2.2f, 0, 2.1f, 1.2f}));
    // Negative index on axis 1, and the opset 9-10 alias Scatter.
    out = scatter_elements(10, {{"axis", attr_int(1)}},
                           make_tensor<int32_t>({1, 5}, {1, 2, 3, 4, 5}),
                           make_tensor<int32_t>({1, 2}, {1, -2}),
                           make_tensor<int32_t>({1, 2}, {11, 21}), variant, ir::OpType::kScatter);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ(values_of<int32_t>((*out)[0]), (std::vector<int32_t>{1, 11, 3, 21, 5}));
  }
}

TEST(ScatterElementsTest, ReductionsAccumulateDuplicates) {
  const Tensor data = make_tensor<float>({1, 5}, {1, 2, 3, 4, 5});
  const Tensor idx = make_tensor<int64_t>({1, 2}, {1, 1});
  const Tensor upd = make_tensor<float>({1, 2}, {1.5f, 3});
  const std::vector<std::pair<const char*, std::vector<float>>> cases = {
      {"add", {1, 6.5f, 3, 4, 5}}, {"mul", {1, 9, 3, 4, 5}}, {"max", {1, 3, 3, 4, 5}},
      {"min", {1, 1.5f, 3, 4, 5}}, {"none", {1, 3, 3, 4, 5}}};
  for (const auto& [reduction, expected] : cases) {
    for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
      auto out = scatter_elements(
          16, {{"axis", attr_int(1)}, {"reduction", attr_string(reduction)}}, data, idx, upd,
          variant);
      ASSERT_TRUE(out.is_ok()) << out.status().to_string();
      EXPECT_EQ(values_of<float>((*out)[0]), expected) << reduction;
    }
  }
  auto bad = scatter_elements(16, {{"reduction", attr_string("avg")}}, data, idx, upd);
  EXPECT_FALSE(bad.is_ok());
}

TEST(ScatterElementsTest, OutOfRangeNamesNodeAndValue) {
  auto out = scatter_elements(16, {{"axis", attr_int(1)}},
                              make_tensor<float>({2, 3}, std::vector<float>(6, 0)),
                              make_tensor<int64_t>({2, 1}, {0, 3}),
                              make_tensor<float>({2, 1}, {1, 2}));
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
  const std::string& message = out.status().message();
  EXPECT_NE(message.find("ScatterElements_under_test"), std::string::npos) << message;
  EXPECT_NE(message.find("index 3"), std::string::npos) << message;
}

TEST(ScatterElementsTest, MatchesReferenceOnRandomShapes) {
  std::mt19937 rng(7);
  for (const Shape& data_shape : {Shape{7}, Shape{4, 9}, Shape{3, 5, 6}, Shape{2, 3, 4, 5}}) {
    for (int axis = 0; axis < data_shape.rank(); ++axis) {
      Shape idx_shape = data_shape;
      for (int d = 0; d < idx_shape.rank(); ++d) {
        idx_shape[d] = d == axis ? 3 : std::max<int64_t>(1, data_shape[d] - d % 2);
      }
      std::vector<int64_t> ids(static_cast<size_t>(idx_shape.numel()));
      std::vector<float> upd(ids.size());
      std::vector<float> base(static_cast<size_t>(data_shape.numel()));
      const int64_t n = data_shape[axis];
      for (auto& i : ids) i = std::uniform_int_distribution<int64_t>(-n, n - 1)(rng);
      for (auto& u : upd) u = std::uniform_real_distribution<float>(-2, 2)(rng);
      for (auto& b : base) b = std::uniform_real_distribution<float>(-2, 2)(rng);
      for (const char* reduction : {"none", "add", "mul"}) {
        std::map<std::string, ir::Attribute, std::less<>> attrs = {
            {"axis", attr_int(axis)}, {"reduction", attr_string(reduction)}};
        const Tensor data = make_tensor<float>(data_shape, base);
        const Tensor indices = make_tensor<int64_t>(idx_shape, ids);
        const Tensor updates = make_tensor<float>(idx_shape, upd);
        auto fast = scatter_elements(16, attrs, data, indices, updates);
        auto ref = scatter_elements(16, attrs, data, indices, updates, KernelVariant::kReference);
        ASSERT_TRUE(fast.is_ok() && ref.is_ok());
        EXPECT_EQ(values_of<float>((*fast)[0]), values_of<float>((*ref)[0]))
            << data_shape.to_string() << " axis " << axis << " " << reduction;
      }
    }
  }
}

TEST(ScatterNDTest, SlicesReductionsAndErrors) {
  // Spec example 2 shape: data (4, 4, 4), indices (2, 1), updates (2, 4, 4).
  std::vector<float> base(64, 1);
  std::vector<float> upd(32);
  for (size_t i = 0; i < upd.size(); ++i) upd[i] = static_cast<float>(i);
  auto out = run_op(ir::OpType::kScatterND, 16, {},
                    {make_tensor<float>({4, 4, 4}, base), make_tensor<int64_t>({2, 1}, {0, -2}),
                     make_tensor<float>({2, 4, 4}, upd)},
                    1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  auto v = values_of<float>((*out)[0]);
  EXPECT_EQ(v[0], 0);
  EXPECT_EQ(v[15], 15);
  EXPECT_EQ(v[16], 1);       // slice 1 untouched
  EXPECT_EQ(v[32], 16);      // slice 2 (= -2) took updates[1]
  EXPECT_EQ(v[48 + 3], 1);   // slice 3 untouched
  // Element updates with duplicates: add and mul accumulate.
  const Tensor data = make_tensor<int64_t>({2, 2}, {1, 2, 3, 4});
  const Tensor idx = make_tensor<int64_t>({3, 2}, {0, 1, 1, 0, 0, 1});
  const Tensor vals = make_tensor<int64_t>({3}, {10, 20, 30});
  auto add = run_op(ir::OpType::kScatterND, 16, {{"reduction", attr_string("add")}},
                    {data, idx, vals}, 1);
  ASSERT_TRUE(add.is_ok()) << add.status().to_string();
  EXPECT_EQ(values_of<int64_t>((*add)[0]), (std::vector<int64_t>{1, 42, 23, 4}));
  auto mul = run_op(ir::OpType::kScatterND, 16, {{"reduction", attr_string("mul")}},
                    {data, idx, vals}, 1);
  ASSERT_TRUE(mul.is_ok()) << mul.status().to_string();
  EXPECT_EQ(values_of<int64_t>((*mul)[0]), (std::vector<int64_t>{1, 600, 60, 4}));
  auto bad = run_op(ir::OpType::kScatterND, 16, {},
                    {data, make_tensor<int64_t>({1, 2}, {2, 0}), make_tensor<int64_t>({1}, {5})}, 1);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(bad.status().message().find("index 2"), std::string::npos);
  auto shape = run_op(ir::OpType::kScatterND, 16, {},
                      {data, make_tensor<int64_t>({1, 2}, {1, 0}), make_tensor<int64_t>({2}, {5, 6})},
                      1);
  EXPECT_FALSE(shape.is_ok());
}

}  // namespace
}  // namespace recinfer::kernels
