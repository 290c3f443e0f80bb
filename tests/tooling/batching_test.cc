#include "tooling/batching.h"

#include <gtest/gtest.h>

#include "recinfer/session.h"
#include "tooling/tensor_compare.h"
#include "tooling/test_data.h"

namespace recinfer::tooling {
namespace {

const std::string kZoo = std::string(RECINFER_SOURCE_DIR) + "/models/zoo/";

TensorSpec spec(const std::string& name, DType dtype, std::vector<std::string> dims) {
  TensorSpec s;
  s.name = name;
  s.dtype = dtype;
  s.has_shape = true;
  for (const std::string& d : dims) {
    const bool fixed = !d.empty() && std::isdigit(static_cast<unsigned char>(d[0]));
    s.dims.push_back(fixed ? std::stoll(d) : -1);
    s.dim_names.push_back(fixed ? "" : d);
  }
  return s;
}

template <typename T>
std::vector<T> values(const Tensor& t) {
  return {t.data<T>(), t.data<T>() + t.numel()};
}

// dense (batch,2), indices (n), offsets (batch), weights (n), fixed (1,3).
std::vector<TensorSpec> bag_specs() {
  return {spec("dense", DType::kFloat32, {"batch", "2"}),
          spec("indices_0", DType::kInt64, {"num_indices_0"}),
          spec("offsets_0", DType::kInt64, {"batch"}),
          spec("weights_0", DType::kFloat32, {"num_indices_0"}),
          spec("history", DType::kInt64, {"1", "3"})};
}

std::vector<Tensor> bag_inputs() {
  // Three rows: bags [10, 11], [], [12, 13, 14].
  return {*Tensor::from_vector<float>(Shape{3, 2}, {0, 1, 2, 3, 4, 5}),
          *Tensor::from_vector<int64_t>(Shape{5}, {10, 11, 12, 13, 14}),
          *Tensor::from_vector<int64_t>(Shape{3}, {0, 2, 2}),
          *Tensor::from_vector<float>(Shape{5}, {.1f, .2f, .3f, .4f, .5f}),
          *Tensor::from_vector<int64_t>(Shape{1, 3}, {7, 8, 9})};
}

TEST(BatchingTest, DetectsRowsBagsAndFixedInputs) {
  auto layout = detect_batch_layout(bag_specs());
  ASSERT_TRUE(layout.is_ok()) << layout.status().to_string();
  EXPECT_EQ(layout->batch_symbol, "batch");
  EXPECT_EQ(layout->roles, (std::vector<BatchRole>{BatchRole::kBatchRows, BatchRole::kBagValues,
                                                   BatchRole::kBagOffsets, BatchRole::kBagValues,
                                                   BatchRole::kFixed}));
  ASSERT_EQ(layout->bags.size(), 1u);
  EXPECT_EQ(layout->bags[0].offsets, 2);
  EXPECT_EQ(layout->bags[0].values, (std::vector<int>{1, 3}));
}

TEST(BatchingTest, GrowingRepeatsWholeBagsAndRebuildsOffsets) {
  auto layout = detect_batch_layout(bag_specs());
  ASSERT_TRUE(layout.is_ok());
  auto out = rebatch(*layout, bag_inputs(), 5);  // rows 0 1 2 0 1
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values<float>((*out)[0]), (std::vector<float>{0, 1, 2, 3, 4, 5, 0, 1, 2, 3}));
  EXPECT_EQ(values<int64_t>((*out)[1]), (std::vector<int64_t>{10, 11, 12, 13, 14, 10, 11}));
  EXPECT_EQ(values<int64_t>((*out)[2]), (std::vector<int64_t>{0, 2, 2, 5, 7}));
  EXPECT_EQ(values<float>((*out)[3]), (std::vector<float>{.1f, .2f, .3f, .4f, .5f, .1f, .2f}));
  EXPECT_EQ((*out)[4].shape(), (Shape{1, 3}));  // fixed: unchanged
  EXPECT_EQ(*batch_size(*layout, *out), 5);
}

TEST(BatchingTest, SlicingKeepsWholeBags) {
  auto layout = detect_batch_layout(bag_specs());
  ASSERT_TRUE(layout.is_ok());
  auto out = rebatch(*layout, bag_inputs(), 2);  // rows 0 1: the empty bag stays empty
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(values<int64_t>((*out)[1]), (std::vector<int64_t>{10, 11}));
  EXPECT_EQ(values<int64_t>((*out)[2]), (std::vector<int64_t>{0, 2}));
  auto last = select_rows(*layout, bag_inputs(), {2});
  ASSERT_TRUE(last.is_ok());
  EXPECT_EQ(values<int64_t>((*last)[1]), (std::vector<int64_t>{12, 13, 14}));
  EXPECT_EQ(values<int64_t>((*last)[2]), (std::vector<int64_t>{0}));
}

TEST(BatchingTest, RejectsBadOffsetsAndUnpairedValues) {
  auto layout = detect_batch_layout(bag_specs());
  ASSERT_TRUE(layout.is_ok());
  auto inputs = bag_inputs();
  inputs[2] = *Tensor::from_vector<int64_t>(Shape{3}, {0, 4, 2});
  auto out = rebatch(*layout, inputs, 4);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("offsets input 'offsets_0': row 1 spans [4, 2)"),
            std::string::npos)
      << out.status().message();
  inputs = bag_inputs();
  inputs[2] = *Tensor::from_vector<int64_t>(Shape{3}, {1, 2, 2});
  EXPECT_NE(rebatch(*layout, inputs, 4).status().message().find("must start at 0"),
            std::string::npos);

  auto unpaired = detect_batch_layout({spec("ids", DType::kInt64, {"n"}),
                                       spec("dense", DType::kFloat32, {"batch", "4"})});
  ASSERT_FALSE(unpaired.is_ok());
  EXPECT_NE(unpaired.status().message().find("no int64 (batch) offsets input"), std::string::npos)
      << unpaired.status().message();
}

TEST(BatchingTest, CandidatesAreTheBatchWhenNoBatchSymbol) {
  auto layout = detect_batch_layout({spec("behavior_ids", DType::kInt64, {"1", "4000"}),
                                     spec("candidate_ids", DType::kInt64, {"num_candidates", "1"}),
                                     spec("candidate_cates", DType::kInt64, {"num_candidates", "1"})});
  ASSERT_TRUE(layout.is_ok());
  EXPECT_EQ(layout->batch_symbol, "num_candidates");
  EXPECT_EQ(layout->roles[0], BatchRole::kFixed);
  EXPECT_EQ(layout->roles[2], BatchRole::kBatchRows);
}

// Outputs of a re-batched run equal the concatenated outputs of smaller runs, on exported
// models with ragged EmbeddingBag inputs (PyTorch Loop graphs, optimised and not).
void expect_rows_independent(const std::string& model, bool optimize) {
  SessionOptions options;
  options.optimize = optimize;
  auto session = Session::load(kZoo + model + "/model.onnx", options);
  ASSERT_TRUE(session.is_ok()) << session.status().to_string();
  auto inputs = read_tensor_dir(kZoo + model + "/test_data_set_0", "input");
  ASSERT_TRUE(inputs.is_ok());
  auto layout = detect_batch_layout((*session)->inputs());
  ASSERT_TRUE(layout.is_ok()) << layout.status().to_string();
  ASSERT_FALSE(layout->bags.empty()) << model;
  const int64_t b = *batch_size(*layout, *inputs);
  ASSERT_GE(b, 3);

  auto run_rows = [&](const std::vector<int64_t>& rows) {
    auto batch = select_rows(*layout, *inputs, rows);
    EXPECT_TRUE(batch.is_ok()) << batch.status().to_string();
    std::vector<Tensor> out;
    Status st = (*session)->run(*batch, out);
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return *out[0].clone();
  };
  std::vector<int64_t> all(static_cast<size_t>(b)), head, tail;
  for (int64_t r = 0; r < b; ++r) {
    all[static_cast<size_t>(r)] = r;
    (r < b / 3 ? head : tail).push_back(r);
  }
  const Tensor full = run_rows(all), first = run_rows(head), second = run_rows(tail);
  ASSERT_EQ(full.dtype(), DType::kFloat32);
  const int64_t width = full.numel() / b;
  std::vector<float> joined(first.data<float>(), first.data<float>() + first.numel());
  joined.insert(joined.end(), second.data<float>(), second.data<float>() + second.numel());
  auto concat = Tensor::from_vector<float>(full.shape(), joined);
  CompareResult cmp = compare_tensor(*concat, full, Tolerance{1e-5, 1e-4});
  EXPECT_TRUE(cmp.ok) << model << ": " << cmp.message;

  // Growing: 2b + 1 rows, row r equals original row r % b.
  auto grown = rebatch(*layout, *inputs, 2 * b + 1);
  ASSERT_TRUE(grown.is_ok());
  std::vector<Tensor> out;
  ASSERT_TRUE((*session)->run(*grown, out).is_ok());
  ASSERT_EQ(out[0].numel(), (2 * b + 1) * width);
  for (int64_t r = 0; r < 2 * b + 1; ++r) {
    for (int64_t c = 0; c < width; ++c) {
      EXPECT_NEAR(out[0].data<float>()[r * width + c], full.data<float>()[(r % b) * width + c], 1e-5)
          << model << " row " << r;
    }
  }
}

TEST(BatchingTest, RebatchedDlrmEqualsConcatenatedSmallerRuns) {
  expect_rows_independent("dlrm_small_opset14", true);
  expect_rows_independent("dlrm_small_opset11", false);
}

TEST(BatchingTest, RebatchedWeightedBagsEqualConcatenatedSmallerRuns) {
  expect_rows_independent("weighted_bag_opset14", true);
  expect_rows_independent("bag_modes_opset14", true);
}

}  // namespace
}  // namespace recinfer::tooling
