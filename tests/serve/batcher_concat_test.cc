// tooling/batch_concat: joining requests and splitting outputs, against hand-built batches.
#include "tooling/batch_concat.h"

#include <gtest/gtest.h>

namespace recinfer::tooling {
namespace {

TensorSpec spec(const std::string& name, DType dtype, std::vector<int64_t> dims,
                std::vector<std::string> dim_names) {
  TensorSpec s;
  s.name = name;
  s.dtype = dtype;
  s.dims = std::move(dims);
  s.dim_names = std::move(dim_names);
  s.has_shape = true;
  return s;
}

// dense [batch, 2] f32, indices_0 [num_indices_0], offsets_0 [batch], weights_0 [num_indices_0],
// user [1, 3] (fixed).
BatchLayout test_layout() {
  auto layout = detect_batch_layout({
      spec("dense", DType::kFloat32, {-1, 2}, {"batch", ""}),
      spec("indices_0", DType::kInt64, {-1}, {"num_indices_0"}),
      spec("offsets_0", DType::kInt64, {-1}, {"batch"}),
      spec("weights_0", DType::kFloat32, {-1}, {"num_indices_0"}),
      spec("user", DType::kInt64, {1, 3}, {"", ""}),
  });
  EXPECT_TRUE(layout.is_ok()) << layout.status().to_string();
  return *layout;
}

template <typename T>
std::vector<T> values(const Tensor& t) {
  return std::vector<T>(t.data<T>(), t.data<T>() + t.numel());
}

std::vector<Tensor> request(int64_t rows, std::vector<float> dense, std::vector<int64_t> ids,
                            std::vector<int64_t> offsets, std::vector<int64_t> user) {
  std::vector<float> weights;
  for (int64_t id : ids) weights.push_back(static_cast<float>(id) / 10);
  return {*Tensor::from_vector<float>(Shape{rows, 2}, dense),
          *Tensor::from_vector<int64_t>(Shape{static_cast<int64_t>(ids.size())}, ids),
          *Tensor::from_vector<int64_t>(Shape{rows}, offsets),
          *Tensor::from_vector<float>(Shape{static_cast<int64_t>(ids.size())}, weights),
          *Tensor::from_vector<int64_t>(Shape{1, 3}, user)};
}

TEST(BatcherConcatTest, StacksRowsJoinsBagsAndPads) {
  const BatchLayout layout = test_layout();
  // Request 0: two rows, bags {10} and {11, 12}. Request 1: one row, bag {20, 21}.
  const auto r0 = request(2, {1, 2, 3, 4}, {10, 11, 12}, {0, 1}, {7, 8, 9});
  const auto r1 = request(1, {5, 6}, {20, 21}, {0}, {7, 8, 9});
  auto joined = concat_batches(layout, {&r0, &r1}, 4);
  ASSERT_TRUE(joined.is_ok()) << joined.status().to_string();
  const std::vector<Tensor>& b = *joined;
  EXPECT_EQ(b[0].shape(), (Shape{4, 2}));
  // The padding row repeats the last real row.
  EXPECT_EQ(values<float>(b[0]), (std::vector<float>{1, 2, 3, 4, 5, 6, 5, 6}));
  EXPECT_EQ(values<int64_t>(b[1]), (std::vector<int64_t>{10, 11, 12, 20, 21}));
  // Request 1's offsets are shifted by request 0's three ids; the padding row's bag is empty.
  EXPECT_EQ(values<int64_t>(b[2]), (std::vector<int64_t>{0, 1, 3, 5}));
  EXPECT_EQ(values<float>(b[3]), (std::vector<float>{1.0f, 1.1f, 1.2f, 2.0f, 2.1f}));
  EXPECT_EQ(values<int64_t>(b[4]), (std::vector<int64_t>{7, 8, 9}));
  EXPECT_TRUE(check_bags(layout, b).is_ok());
  EXPECT_EQ(*batch_size(layout, b), 4);
}

TEST(BatcherConcatTest, EmptyBagsStayEmpty) {
  const BatchLayout layout = test_layout();
  const auto r0 = request(2, {1, 2, 3, 4}, {}, {0, 0}, {1, 1, 1});
  const auto r1 = request(2, {5, 6, 7, 8}, {4}, {0, 0}, {1, 1, 1});
  auto joined = concat_batches(layout, {&r0, &r1}, 4);
  ASSERT_TRUE(joined.is_ok()) << joined.status().to_string();
  EXPECT_EQ(values<int64_t>((*joined)[1]), (std::vector<int64_t>{4}));
  EXPECT_EQ(values<int64_t>((*joined)[2]), (std::vector<int64_t>{0, 0, 0, 0}));
}

TEST(BatcherConcatTest, DifferentFixedInputsCannotShareABatch) {
  const BatchLayout layout = test_layout();
  const auto r0 = request(1, {1, 2}, {1}, {0}, {7, 8, 9});
  const auto r1 = request(1, {1, 2}, {1}, {0}, {7, 8, 0});
  EXPECT_FALSE(same_fixed_inputs(layout, r0, r1));
  EXPECT_TRUE(same_fixed_inputs(layout, r0, r0));
  auto joined = concat_batches(layout, {&r0, &r1}, 2);
  ASSERT_FALSE(joined.is_ok());
  EXPECT_NE(joined.status().message().find("fixed input 'user'"), std::string::npos)
      << joined.status().message();
}

TEST(BatcherConcatTest, RefusesMoreRowsThanTheBatch) {
  const BatchLayout layout = test_layout();
  const auto r0 = request(2, {1, 2, 3, 4}, {1}, {0, 1}, {7, 8, 9});
  EXPECT_FALSE(concat_batches(layout, {&r0, &r0}, 3).is_ok());
}

TEST(BatcherConcatTest, SplitsRowOutputsAndSharesWholeOnes) {
  auto scores = *Tensor::from_vector<float>(Shape{4, 1}, {0.1f, 0.2f, 0.3f, 0.4f});
  auto global = *Tensor::from_vector<int64_t>(Shape{2}, {5, 6});
  auto split = split_outputs({scores, global}, {true, false}, 4, {2, 1});
  ASSERT_TRUE(split.is_ok()) << split.status().to_string();
  ASSERT_EQ(split->size(), 2u);
  EXPECT_EQ(values<float>((*split)[0][0]), (std::vector<float>{0.1f, 0.2f}));
  EXPECT_EQ((*split)[1][0].shape(), (Shape{1, 1}));
  EXPECT_EQ(values<float>((*split)[1][0]), (std::vector<float>{0.3f}));  // row 3 is padding
  EXPECT_EQ(values<int64_t>((*split)[0][1]), (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(values<int64_t>((*split)[1][1]), (std::vector<int64_t>{5, 6}));
  // A row output without the batch's rows is an internal error, not a bad slice.
  EXPECT_FALSE(split_outputs({global}, {true}, 4, {2, 1}).is_ok());
}

}  // namespace
}  // namespace recinfer::tooling
