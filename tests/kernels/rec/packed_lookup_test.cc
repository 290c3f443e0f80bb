// PackedLookup against the per-feature ONNX chains it replaces, computed with recinfer's ONNX
// kernels: Concat(Gather(table_f, Cast(Slice(X, c_f:c_f+1, axis 1), to)) for each f, axis -1)
// flattened per batch row — and against the naive reference variant. Ids follow Cast (truncate
// toward zero, NaN -> 0) and Gather (negative wraps); anything else is an error naming the
// feature, column, row and value.
#include "kernels/rec/rec_test_util.h"

namespace recinfer::kernels::rec_test {
namespace {

using ir::OpType;

Result<std::vector<Tensor>> packed_lookup(const std::vector<Tensor>& inputs,
                                          std::vector<int64_t> columns, std::vector<int64_t> row_shape,
                                          int64_t to, KernelVariant variant,
                                          ParallelFor* parallel = nullptr) {
  return run_fused(OpType::kPackedLookup,
                   {{"columns", attr_ints(std::move(columns))},
                    {"row_shape", attr_ints(std::move(row_shape))},
                    {"to", attr_int(to)}},
                   inputs, 1, variant, parallel);
}

// The exported chains, one ONNX op at a time: (batch, 1, sum of row sizes).
Tensor onnx_chains(const Tensor& x, const std::vector<Tensor>& tables,
                   const std::vector<int64_t>& columns, int64_t to) {
  std::vector<Tensor> parts;
  for (size_t f = 0; f < tables.size(); ++f) {
    const int64_t c = columns[f];
    Tensor column = run1(OpType::kSlice, 13, {}, {x, i64({c}), i64({c + 1}), i64({1}), i64({1})});
    Tensor ids = run1(OpType::kCast, 13, {{"to", attr_int(to)}}, {column});
    Tensor rows = run1(OpType::kGather, 13, {{"axis", attr_int(0)}}, {tables[f], ids});
    parts.push_back(run1(OpType::kReshape, 14, {}, {rows, i64({x.shape()[0], 1, -1})}));
  }
  return run1(OpType::kConcat, 13, {{"axis", attr_int(-1)}}, parts);
}

template <typename TX>
Tensor packed_ids(std::mt19937& rng, int64_t batch, int64_t width, const std::vector<int64_t>& rows_of_column) {
  std::vector<TX> values(static_cast<size_t>(batch * width));
  std::uniform_real_distribution<double> dense(-3, 3);
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t c = 0; c < width; ++c) {
      const int64_t rows = rows_of_column[static_cast<size_t>(c)];
      // Columns of features: ids in [-rows, rows), some with a fraction (Cast truncates);
      // other columns: dense values.
      double v = dense(rng);
      if (rows > 0) {
        v = static_cast<double>(std::uniform_int_distribution<int64_t>(-rows, rows - 1)(rng));
        if ((b + c) % 5 == 0 && v >= 0 && v + 1 < static_cast<double>(rows)) v += 0.75;
      }
      values[static_cast<size_t>(b * width + c)] = static_cast<TX>(v);
    }
  }
  return make_tensor<TX>({batch, width}, values);
}

template <typename TX>
void check_random(int64_t batch, int64_t to) {
  std::mt19937 rng(static_cast<uint32_t>(batch * 31 + to));
  // X: 7 columns; features read columns 5, 0, 3, 0 (a column twice, out of order).
  const std::vector<int64_t> columns = {5, 0, 3, 0};
  const std::vector<int64_t> rows = {11, 3, 40, 7};
  const std::vector<int64_t> dims = {4, 1, 8, 3};
  std::vector<int64_t> rows_of_column(7, 0);
  for (size_t f = 0; f < columns.size(); ++f) {
    int64_t& r = rows_of_column[static_cast<size_t>(columns[f])];
    r = r == 0 ? rows[f] : std::min(r, rows[f]);
  }
  Tensor x = packed_ids<TX>(rng, batch, 7, rows_of_column);
  std::vector<Tensor> inputs = {x};
  std::vector<Tensor> tables;
  for (size_t f = 0; f < columns.size(); ++f) {
    tables.push_back(random_tensor<float>(rng, Shape{rows[f], dims[f]}));
    inputs.push_back(tables.back());
  }
  ThreadedFor parallel;
  auto fast = packed_lookup(inputs, columns, {1, 16}, to, KernelVariant::kOptimized, &parallel);
  auto ref = packed_lookup(inputs, columns, {1, 16}, to, KernelVariant::kReference);
  ASSERT_TRUE(fast.is_ok()) << fast.status().to_string();
  ASSERT_TRUE(ref.is_ok()) << ref.status().to_string();
  EXPECT_EQ((*fast)[0].shape(), (Shape{batch, 1, 16}));
  expect_same<float>((*fast)[0], onnx_chains(x, tables, columns, to));
  expect_same<float>((*fast)[0], (*ref)[0]);
}

TEST(PackedLookupTest, MatchesTheOnnxChainsFloatInt64) { check_random<float>(300, 7); }
TEST(PackedLookupTest, MatchesTheOnnxChainsFloatInt32) { check_random<float>(5, 6); }
TEST(PackedLookupTest, MatchesTheOnnxChainsDouble) { check_random<double>(257, 7); }
TEST(PackedLookupTest, BatchOfOne) { check_random<float>(1, 7); }

TEST(PackedLookupTest, HandChecked) {
  // X rows: (2, 9.5, 1.9), (-1, 0, 0); features: column 2 -> t0 (2 rows), column 0 -> t1 (3 rows).
  Tensor x = make_tensor<float>({2, 3}, {2, 9.5f, 1.9f, -1, 0, 0});
  Tensor t0 = make_tensor<float>({2, 1}, {10, 11});
  Tensor t1 = make_tensor<float>({3, 2}, {0, 1, 2, 3, 4, 5});
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = packed_lookup({x, t0, t1}, {2, 0}, {3}, 7, variant);
    ASSERT_TRUE(out.is_ok()) << out.status().to_string();
    EXPECT_EQ((*out)[0].shape(), (Shape{2, 3}));
    // Row 0: t0[1] (1.9 truncates), t1[2]; row 1: t0[0], t1[-1] = t1[2].
    EXPECT_EQ(values_of<float>((*out)[0]), (std::vector<float>{11, 4, 5, 10, 4, 5}));
  }
}

TEST(PackedLookupTest, OutOfRangeIdNamesFeatureColumnRowAndValue) {
  Tensor x = make_tensor<float>({3, 2}, {0, 1, 1, 2, 1, 7});
  Tensor t0 = make_tensor<float>({2, 1}, {10, 11});
  Tensor t1 = make_tensor<float>({3, 1}, {0, 1, 2});
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = packed_lookup({x, t0, t1}, {0, 1}, {2}, 7, variant);
    ASSERT_FALSE(out.is_ok());
    EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
    const std::string& m = out.status().message();
    EXPECT_NE(m.find("feature 1 (column 1"), std::string::npos) << m;
    EXPECT_NE(m.find("value 7 at row 2"), std::string::npos) << m;
    EXPECT_NE(m.find("[-3, 3)"), std::string::npos) << m;
  }
  // Huge and infinite values are errors too (Cast saturates them), never a wild read.
  Tensor inf = make_tensor<float>({1, 1}, {std::numeric_limits<float>::infinity()});
  auto out = packed_lookup({inf, t0}, {0}, {1}, 7, KernelVariant::kOptimized);
  EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
}

TEST(PackedLookupTest, BadAttributesAndInputsAreRefused) {
  Tensor x = make_tensor<float>({1, 2}, {0, 0});
  Tensor t = make_tensor<float>({2, 2}, {0, 1, 2, 3});
  // Column outside X, row_shape not matching the rows, int8 ids, an integer packed input.
  EXPECT_EQ(packed_lookup({x, t}, {2}, {2}, 7, KernelVariant::kOptimized).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(packed_lookup({x, t}, {0}, {3}, 7, KernelVariant::kOptimized).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(packed_lookup({x, t}, {0}, {2}, 3, KernelVariant::kOptimized).status().code(),
            StatusCode::kInvalidArgument);
  Tensor ints = make_tensor<int64_t>({1, 2}, {0, 0});
  EXPECT_EQ(packed_lookup({ints, t}, {0}, {2}, 7, KernelVariant::kOptimized).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recinfer::kernels::rec_test
