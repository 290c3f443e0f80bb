#include <gtest/gtest.h>

#include "kernels/dense/kernel_test_support.h"
#include "kernels/op_runner.h"

namespace recinfer::kernels {
namespace {

using dense_test::make_tensor;
using dense_test::random_tensor;
using dense_test::ThreadedFor;
using dense_test::values_of;

Result<std::vector<Tensor>> gather_elements(const Tensor& data, const Tensor& indices,
                                            int64_t axis,
                                            KernelVariant variant = KernelVariant::kOptimized,
                                            ParallelFor* parallel = nullptr) {
  return run_op(ir::OpType::kGatherElements, 13, {{"axis", attr_int(axis)}}, {data, indices}, 1,
                variant, parallel);
}

TEST(GatherElementsTest, SpecExamples) {
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = gather_elements(make_tensor<float>({2, 2}, {1, 2, 3, 4}),
                               make_tensor<int64_t>({2, 2}, {0, 0, 1, 0}), 1, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ(values_of<float>((*out)[0]), (std::vector<float>{1, 1, 4, 3}));

    Tensor data = make_tensor<int32_t>({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    out = gather_elements(data, make_tensor<int32_t>({2, 3}, {1, 2, 0, 2, 0, 0}), 0, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ((*out)[0].shape(), (Shape{2, 3}));
    EXPECT_EQ(values_of<int32_t>((*out)[0]), (std::vector<int32_t>{4, 8, 3, 7, 2, 3}));

    out = gather_elements(data, make_tensor<int64_t>({2, 3}, {-1, -2, 0, -2, 0, 0}), 0, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ(values_of<int32_t>((*out)[0]), (std::vector<int32_t>{7, 5, 3, 4, 2, 3}));
  }
}

TEST(GatherElementsTest, IndicesSmallerThanDataOffTheAxis) {
  // data (2,3), indices (1,2) along axis 1: row 0 only, columns picked by id.
  Tensor data = make_tensor<int64_t>({2, 3}, {10, 11, 12, 20, 21, 22});
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = gather_elements(data, make_tensor<int64_t>({1, 2}, {2, -3}), 1, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ(values_of<int64_t>((*out)[0]), (std::vector<int64_t>{12, 10}));
    // Along axis 0 with indices (1,2): out[0][j] = data[id][j].
    out = gather_elements(data, make_tensor<int64_t>({1, 2}, {1, 0}), 0, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ(values_of<int64_t>((*out)[0]), (std::vector<int64_t>{20, 11}));
  }
}

TEST(GatherElementsTest, OutOfRangeIsAnError) {
  Tensor data = make_tensor<float>({2, 2}, {1, 2, 3, 4});
  ThreadedFor parallel;
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = gather_elements(data, make_tensor<int64_t>({2, 2}, {0, 1, 2, 0}), 1, variant,
                               &parallel);
    ASSERT_FALSE(out.is_ok());
    EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
    const std::string& msg = out.status().message();
    EXPECT_NE(msg.find("GatherElements_under_test"), std::string::npos) << msg;
    EXPECT_NE(msg.find("index 2 at position 2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[-2, 2)"), std::string::npos) << msg;
  }
}

TEST(GatherElementsTest, InferRejectsBadShapes) {
  Tensor data = make_tensor<float>({2, 2}, {1, 2, 3, 4});
  auto rank = gather_elements(data, make_tensor<int64_t>({2}, {0, 1}), 0);
  EXPECT_EQ(rank.status().code(), StatusCode::kInvalidArgument);
  auto too_wide = gather_elements(data, make_tensor<int64_t>({1, 3}, {0, 1, 0}), 0);
  EXPECT_EQ(too_wide.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_wide.status().message().find("(1,3)"), std::string::npos);
  auto axis = gather_elements(data, make_tensor<int64_t>({2, 2}, {0, 1, 0, 1}), -3);
  EXPECT_EQ(axis.status().code(), StatusCode::kInvalidArgument);
  // Along the axis indices may be longer than data.
  auto longer = gather_elements(data, make_tensor<int64_t>({3, 2}, {0, 1, 1, 0, 1, 1}), 0);
  ASSERT_TRUE(longer.is_ok()) << longer.status().to_string();
  EXPECT_EQ(values_of<float>((*longer)[0]), (std::vector<float>{1, 4, 3, 2, 3, 4}));
}

template <typename T>
void check_random_against_reference(std::mt19937& rng, ThreadedFor& parallel, int trials,
                                    int64_t max_dim) {
  std::uniform_int_distribution<int> rank_dist(1, 4);
  std::uniform_int_distribution<int64_t> dim_dist(1, max_dim);
  for (int trial = 0; trial < trials; ++trial) {
    const int rank = rank_dist(rng);
    const int axis = std::uniform_int_distribution<int>(0, rank - 1)(rng);
    Shape data_shape;
    Shape ids_shape;
    for (int d = 0; d < rank; ++d) {
      data_shape.push_back(dim_dist(rng));
      ids_shape.push_back(d == axis ? dim_dist(rng)
                                    : std::uniform_int_distribution<int64_t>(1, data_shape[d])(rng));
    }
    const int64_t n = data_shape[axis];
    std::uniform_int_distribution<int64_t> id_dist(-n, n - 1);
    std::vector<int64_t> ids(static_cast<size_t>(ids_shape.numel()));
    for (auto& id : ids) id = id_dist(rng);
    Tensor data = random_tensor<T>(rng, data_shape);
    Tensor id_tensor = make_tensor<int64_t>(ids_shape, ids);
    if (trial % 2 == 1) {
      id_tensor = make_tensor<int32_t>(ids_shape, std::vector<int32_t>(ids.begin(), ids.end()));
    }
    auto fast = gather_elements(data, id_tensor, axis - (trial % 3 == 0 ? rank : 0),
                                KernelVariant::kOptimized, &parallel);
    auto ref = gather_elements(data, id_tensor, axis, KernelVariant::kReference);
    ASSERT_TRUE(fast.is_ok()) << fast.status().to_string();
    ASSERT_TRUE(ref.is_ok()) << ref.status().to_string();
    SCOPED_TRACE("data " + data_shape.to_string() + " ids " + ids_shape.to_string() + " axis " +
                 std::to_string(axis));
    ASSERT_EQ((*fast)[0].shape(), ids_shape);
    EXPECT_EQ(values_of<T>((*fast)[0]), values_of<T>((*ref)[0]));
  }
}

TEST(GatherElementsTest, RandomShapesMatchReference) {
  std::mt19937 rng(4321);
  ThreadedFor parallel;
  check_random_against_reference<float>(rng, parallel, 40, 6);
  check_random_against_reference<int64_t>(rng, parallel, 30, 6);
  check_random_against_reference<double>(rng, parallel, 20, 6);
  check_random_against_reference<bool>(rng, parallel, 20, 6);
  check_random_against_reference<uint8_t>(rng, parallel, 20, 6);
  check_random_against_reference<int16_t>(rng, parallel, 20, 6);
  // Larger shapes so the row loop is split across threads.
  check_random_against_reference<float>(rng, parallel, 8, 24);
}

}  // namespace
}  // namespace recinfer::kernels
