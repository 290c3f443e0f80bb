#include <gtest/gtest.h>

#include "kernels/dense/kernel_test_support.h"
#include "kernels/op_runner.h"

namespace recinfer::kernels {
namespace {

using dense_test::make_tensor;
using dense_test::random_tensor;
using dense_test::ThreadedFor;
using dense_test::values_of;

Result<std::vector<Tensor>> gather(const Tensor& data, const Tensor& indices, int64_t axis,
                                   KernelVariant variant = KernelVariant::kOptimized,
                                   ParallelFor* parallel = nullptr) {
  return run_op(ir::OpType::kGather, 13, {{"axis", attr_int(axis)}}, {data, indices}, 1, variant,
                parallel);
}

TEST(GatherTest, EmbeddingRowsAxis0) {
  Tensor data = make_tensor<float>({3, 2}, {1, 2, 3, 4, 5, 6});
  Tensor ids = make_tensor<int64_t>({2, 2}, {0, 1, 1, 2});
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = gather(data, ids, 0, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ((*out)[0].shape(), (Shape{2, 2, 2}));
    EXPECT_EQ(values_of<float>((*out)[0]), (std::vector<float>{1, 2, 3, 4, 3, 4, 5, 6}));
  }
}

TEST(GatherTest, Axis1FromSpec) {
  Tensor data = make_tensor<float>({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  Tensor ids = make_tensor<int32_t>({1, 2}, {0, 2});
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = gather(data, ids, 1, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ((*out)[0].shape(), (Shape{3, 1, 2}));
    EXPECT_EQ(values_of<float>((*out)[0]), (std::vector<float>{1, 3, 4, 6, 7, 9}));
  }
}

TEST(GatherTest, NegativeIndicesWrap) {
  Tensor data = make_tensor<int64_t>({3}, {10, 20, 30});
  Tensor ids = make_tensor<int64_t>({4}, {-1, 0, -3, -2});
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = gather(data, ids, -1, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ(values_of<int64_t>((*out)[0]), (std::vector<int64_t>{30, 10, 10, 20}));
  }
}

TEST(GatherTest, ScalarIndexDropsTheAxis) {
  Tensor data = make_tensor<int32_t>({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor ids = make_tensor<int64_t>({}, {1});
  auto out = gather(data, ids, 1);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2}));
  EXPECT_EQ(values_of<int32_t>((*out)[0]), (std::vector<int32_t>{2, 5}));
}

TEST(GatherTest, CopiesBoolAndUint8) {
  Tensor flags = make_tensor<bool>({4}, {true, false, false, true});
  Tensor ids = make_tensor<int32_t>({3}, {3, 1, 0});
  auto out = gather(flags, ids, 0);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values_of<bool>((*out)[0]), (std::vector<bool>{true, false, true}));
  Tensor bytes = make_tensor<uint8_t>({2, 2}, {7, 8, 9, 250});
  out = gather(bytes, ids.reshaped({3}), 0);
  ASSERT_FALSE(out.is_ok());  // id 3 is out of range for 2 rows
  out = gather(bytes, make_tensor<int32_t>({1}, {-1}), 0);
  ASSERT_TRUE(out.is_ok());
  EXPECT_EQ(values_of<uint8_t>((*out)[0]), (std::vector<uint8_t>{9, 250}));
}

TEST(GatherTest, OutOfRangeIndexIsAnErrorNamingValueAndRange) {
  Tensor data = make_tensor<float>({3, 2}, {1, 2, 3, 4, 5, 6});
  ThreadedFor parallel;
  for (int64_t bad : {3, -4, 1000000}) {
    for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
      Tensor ids = make_tensor<int64_t>({3}, {0, bad, 1});
      auto out = gather(data, ids, 0, variant, &parallel);
      ASSERT_FALSE(out.is_ok());
      EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
      const std::string& msg = out.status().message();
      EXPECT_NE(msg.find("Gather_under_test"), std::string::npos) << msg;
      EXPECT_NE(msg.find("index " + std::to_string(bad) + " at position 1"), std::string::npos)
          << msg;
      EXPECT_NE(msg.find("[-3, 3)"), std::string::npos) << msg;
    }
  }
  // int32 ids too, and the first bad position is reported even when several threads see bad ids.
  std::vector<int32_t> many(5000, 1);
  many[4000] = 7;
  many[1234] = -9;
  auto out = gather(data, make_tensor<int32_t>({5000}, many), 0, KernelVariant::kOptimized,
                    &parallel);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("index -9 at position 1234"), std::string::npos)
      << out.status().message();
}

TEST(GatherTest, EmptyDimensionStillValidatesIds) {
  Tensor data = make_tensor<float>({3, 0}, {});
  auto ok = gather(data, make_tensor<int64_t>({2}, {2, -3}), 0);
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ((*ok)[0].shape(), (Shape{2, 0}));
  auto bad = gather(data, make_tensor<int64_t>({2}, {2, 3}), 0);
  EXPECT_EQ(bad.status().code(), StatusCode::kOutOfRange);
  auto empty_ids = gather(make_tensor<float>({3}, {1, 2, 3}), make_tensor<int64_t>({0}, {}), 0);
  ASSERT_TRUE(empty_ids.is_ok());
  EXPECT_EQ((*empty_ids)[0].shape(), (Shape{0}));
}

TEST(GatherTest, InferRejectsBadInputs) {
  Tensor data = make_tensor<float>({3, 2}, {1, 2, 3, 4, 5, 6});
  auto bad_axis = gather(data, make_tensor<int64_t>({1}, {0}), 2);
  EXPECT_EQ(bad_axis.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_axis.status().message().find("axis 2"), std::string::npos);
  auto float_ids = gather(data, make_tensor<float>({1}, {0}), 0);
  EXPECT_EQ(float_ids.status().code(), StatusCode::kInvalidArgument);
  auto scalar_data = gather(make_tensor<float>({}, {1}), make_tensor<int64_t>({1}, {0}), 0);
  EXPECT_EQ(scalar_data.status().code(), StatusCode::kInvalidArgument);
}

template <typename T>
void check_random_against_reference(std::mt19937& rng, ThreadedFor& parallel) {
  std::uniform_int_distribution<int> rank_dist(1, 4);
  std::uniform_int_distribution<int64_t> dim_dist(1, 7);
  for (int trial = 0; trial < 40; ++trial) {
    Shape data_shape;
    const int rank = rank_dist(rng);
    for (int d = 0; d < rank; ++d) data_shape.push_back(dim_dist(rng));
    const int axis = std::uniform_int_distribution<int>(0, rank - 1)(rng);
    Shape ids_shape;
    const int ids_rank = std::uniform_int_distribution<int>(0, 3)(rng);
    for (int d = 0; d < ids_rank; ++d) ids_shape.push_back(dim_dist(rng));
    const int64_t n = data_shape[axis];
    std::uniform_int_distribution<int64_t> id_dist(-n, n - 1);
    std::vector<int64_t> ids(static_cast<size_t>(ids_shape.numel()));
    for (auto& id : ids) id = id_dist(rng);
    Tensor data = random_tensor<T>(rng, data_shape);
    Tensor id_tensor = make_tensor<int64_t>(ids_shape, ids);
    if (trial % 2 == 1) {
      std::vector<int32_t> ids32(ids.begin(), ids.end());
      id_tensor = make_tensor<int32_t>(ids_shape, ids32);
    }
    // Negative axis half of the time: same op.
    const int64_t axis_attr = trial % 3 == 0 ? axis - rank : axis;
    auto fast = gather(data, id_tensor, axis_attr, KernelVariant::kOptimized, &parallel);
    auto ref = gather(data, id_tensor, axis_attr, KernelVariant::kReference);
    ASSERT_TRUE(fast.is_ok()) << fast.status().to_string();
    ASSERT_TRUE(ref.is_ok()) << ref.status().to_string();
    SCOPED_TRACE("data " + data_shape.to_string() + " ids " + ids_shape.to_string() + " axis " +
                 std::to_string(axis));
    ASSERT_EQ((*fast)[0].shape(), (*ref)[0].shape());
    EXPECT_EQ(values_of<T>((*fast)[0]), values_of<T>((*ref)[0]));
  }
}

TEST(GatherTest, RandomShapesMatchReference) {
  std::mt19937 rng(1234);
  ThreadedFor parallel;
  check_random_against_reference<float>(rng, parallel);
  check_random_against_reference<int64_t>(rng, parallel);
  check_random_against_reference<double>(rng, parallel);
  check_random_against_reference<bool>(rng, parallel);
  check_random_against_reference<uint8_t>(rng, parallel);
  check_random_against_reference<int16_t>(rng, parallel);
}

TEST(GatherTest, LargeEmbeddingLookupSplitsAcrossThreads) {
  std::mt19937 rng(99);
  const int64_t rows = 1000;
  const int64_t emb_dim = 37;  // odd width: rows are not multiples of a cache line
  Tensor table = random_tensor<float>(rng, {rows, emb_dim});
  std::uniform_int_distribution<int64_t> id_dist(-rows, rows - 1);
  std::vector<int64_t> ids(3 * 2000);
  for (auto& id : ids) id = id_dist(rng);
  Tensor id_tensor = make_tensor<int64_t>({3, 2000}, ids);
  ThreadedFor parallel;
  auto fast = gather(table, id_tensor, 0, KernelVariant::kOptimized, &parallel);
  auto ref = gather(table, id_tensor, 0, KernelVariant::kReference);
  ASSERT_TRUE(fast.is_ok()) << fast.status().to_string();
  ASSERT_TRUE(ref.is_ok());
  EXPECT_GT(parallel.split_calls(), 0);
  EXPECT_EQ((*fast)[0].shape(), (Shape{3, 2000, emb_dim}));
  EXPECT_EQ(values_of<float>((*fast)[0]), values_of<float>((*ref)[0]));
  // Spot check one row by hand: out[1][5] is table[ids[2005]].
  const int64_t id = ids[2005] < 0 ? ids[2005] + rows : ids[2005];
  for (int64_t e = 0; e < emb_dim; ++e) {
    EXPECT_EQ((*fast)[0].data<float>()[2005 * emb_dim + e], table.data<float>()[id * emb_dim + e]);
  }
}

}  // namespace
}  // namespace recinfer::kernels
