// EmbeddingBag against the subgraph torch's export loops over per bag (Slice -> Gather -> [Mul
// by the sliced weights] -> ReduceSum|ReduceMean|ReduceMax), computed with recinfer's own ONNX
// kernels; optimised (threaded, AVX2 and portable) against the reference; id errors; infer
// errors.
#include "kernels/rec/avx2/pool_avx2.h"
#include "kernels/rec/rec_test_util.h"

namespace recinfer::kernels::rec_test {
namespace {

using ir::OpType;

struct Group {
  Tensor table, indices, starts, ends, weights;  // ends/weights undefined when omitted
};

std::vector<Tensor> inputs_of(const std::vector<Group>& groups) {
  std::vector<Tensor> inputs;
  for (const Group& g : groups) {
    inputs.insert(inputs.end(), {g.table, g.indices, g.starts, g.ends, g.weights});
  }
  return inputs;
}

int64_t value_at(const Tensor& t, int64_t i) {
  return t.dtype() == DType::kInt32 ? t.data<int32_t>()[i] : t.data<int64_t>()[i];
}

// One bag through the ONNX ops, with the raw (unclamped) bounds handed to Slice.
Tensor onnx_bag(const Group& g, int64_t start, int64_t end, const std::string& mode) {
  const Tensor s = i64({start});
  const Tensor e = i64({end});
  const Tensor axes = i64({0});
  Tensor ids = run1(OpType::kSlice, 13, {}, {g.indices, s, e, axes});
  Tensor rows = run1(OpType::kGather, 13, {{"axis", attr_int(0)}}, {g.table, ids});
  if (g.weights.defined()) {
    Tensor w = run1(OpType::kSlice, 13, {}, {g.weights, s, e, axes});
    w = run1(OpType::kUnsqueeze, 13, {}, {w, i64({1})});
    rows = run1(OpType::kMul, 14, {}, {rows, w});
  }
  if (mode == "sum") return run1(OpType::kReduceSum, 13, {{"keepdims", attr_int(0)}}, {rows, axes});
  const OpType op = mode == "mean" ? OpType::kReduceMean : OpType::kReduceMax;
  return run1(op, 13, {{"axes", attr_ints({0})}, {"keepdims", attr_int(0)}}, {rows});
}

// Output t of the fused op, computed bag by bag with the ONNX ops.
Tensor onnx_group(const Group& g, const std::string& mode) {
  const int64_t n = g.indices.numel();
  const int64_t bags = g.ends.defined() ? g.ends.numel() : g.starts.numel();
  const int64_t dim = g.table.shape()[1];
  std::vector<float> out;
  for (int64_t b = 0; b < bags; ++b) {
    const int64_t start = value_at(g.starts, b);
    const int64_t end = g.ends.defined() ? value_at(g.ends, b)
                        : b + 1 < bags   ? value_at(g.starts, b + 1)
                                         : n;
    Tensor row = onnx_bag(g, start, end, mode);
    EXPECT_EQ(row.shape(), (Shape{dim}));
    if (!row.defined()) return Tensor();
    out.insert(out.end(), row.data<float>(), row.data<float>() + dim);
  }
  return make_tensor<float>({bags, dim}, out);
}

Result<std::vector<Tensor>> fused(const std::vector<Group>& groups, const std::string& mode,
                                  KernelVariant variant, ParallelFor* parallel = nullptr) {
  return run_fused(OpType::kEmbeddingBag, {{"mode", attr_string(mode)}}, inputs_of(groups),
                   static_cast<int>(groups.size()), variant, parallel);
}

// Fused (optimised on 3 threads, and reference) == the ONNX subgraph, group by group; the
// optimised result is bit-identical to the reference (same per-column summation order).
void check_against_onnx(const std::vector<Group>& groups, const std::string& mode) {
  ThreadedFor parallel;
  auto fast = fused(groups, mode, KernelVariant::kOptimized, &parallel);
  auto ref = fused(groups, mode, KernelVariant::kReference);
  ASSERT_TRUE(fast.is_ok()) << fast.status().to_string();
  ASSERT_TRUE(ref.is_ok()) << ref.status().to_string();
  for (size_t t = 0; t < groups.size(); ++t) {
    SCOPED_TRACE("group " + std::to_string(t) + " mode " + mode);
    const Tensor expected = onnx_group(groups[t], mode);
    expect_same<float>((*fast)[t], expected, 1e-5, 1e-5);
    expect_same<float>((*fast)[t], (*ref)[t]);
  }
}

template <typename TIndex>
Tensor ids_tensor(const std::vector<int64_t>& v) {
  std::vector<TIndex> typed(v.begin(), v.end());
  return make_tensor<TIndex>({static_cast<int64_t>(v.size())}, typed);
}

// A random group: R rows of width dim, `bags` bags of 0..2*avg ids (some negative, wrapped).
Group random_group(std::mt19937& rng, int64_t rows, int64_t dim, int64_t bags, int avg,
                   bool int32_ids, bool explicit_ends, bool weighted) {
  Group g;
  g.table = random_tensor<float>(rng, {rows, dim});
  std::uniform_int_distribution<int> len(0, 2 * avg);
  std::uniform_int_distribution<int64_t> id(-rows, rows - 1);
  std::vector<int64_t> ids, starts, ends;
  for (int64_t b = 0; b < bags; ++b) {
    starts.push_back(static_cast<int64_t>(ids.size()));
    const int n = len(rng);
    for (int i = 0; i < n; ++i) ids.push_back(id(rng));
    ends.push_back(static_cast<int64_t>(ids.size()));
  }
  const int64_t n = static_cast<int64_t>(ids.size());
  if (explicit_ends) {
    // Explicit bounds need not tile the ids: bags out of order, overlapping, empty, or ending
    // past the ids (an exporter's INT64_MAX "to the end"); only start <= end and 0 <= start <= N.
    std::uniform_int_distribution<int64_t> start(0, n);
    for (int64_t b = 0; b < bags; ++b) {
      if (b % 3 == 1) starts[b] = start(rng);
      if (b % 4 == 2) {
        ends[b] = starts[b] + std::uniform_int_distribution<int64_t>(0, n + 3 - starts[b])(rng);
      }
      ends[b] = std::max(ends[b], starts[b]);
    }
    starts.push_back(n + 100);  // starts may be longer than ends: the extra ones are unread
  }
  g.indices = int32_ids ? ids_tensor<int32_t>(ids) : ids_tensor<int64_t>(ids);
  g.starts = int32_ids ? ids_tensor<int32_t>(starts) : ids_tensor<int64_t>(starts);
  if (explicit_ends) g.ends = ids_tensor<int64_t>(ends);
  if (weighted) g.weights = random_tensor<float>(rng, {n});
  return g;
}

TEST(EmbeddingBagTest, SmallExampleAllModes) {
  Group g;
  g.table = make_tensor<float>({4, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  g.indices = ids_tensor<int64_t>({0, 2, -1, 1, 3});
  g.starts = ids_tensor<int64_t>({0, 2, 2});  // bags {0, 2}, {}, {-1 -> 3, 1, 3}
  auto sum = fused({g}, "sum", KernelVariant::kOptimized);
  ASSERT_TRUE(sum.is_ok()) << sum.status().to_string();
  EXPECT_EQ((*sum)[0].shape(), (Shape{3, 2}));
  EXPECT_EQ(values_of<float>((*sum)[0]), (std::vector<float>{6, 8, 0, 0, 17, 20}));
  auto max = fused({g}, "max", KernelVariant::kOptimized);
  ASSERT_TRUE(max.is_ok());
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(values_of<float>((*max)[0]), (std::vector<float>{5, 6, -inf, -inf, 7, 8}));
  auto mean = fused({g}, "mean", KernelVariant::kOptimized);
  ASSERT_TRUE(mean.is_ok());
  const std::vector<float> m = values_of<float>((*mean)[0]);
  EXPECT_EQ(m[0], 3);
  EXPECT_TRUE(std::isnan(m[2]) && std::isnan(m[3]));  // empty bag: 0/0 like ReduceMean
  for (const std::string mode : {"sum", "mean", "max"}) check_against_onnx({g}, mode);
}

TEST(EmbeddingBagTest, RandomMultiTableAgainstOnnxSubgraph) {
  std::mt19937 rng(11);
  const int64_t dims[] = {1, 3, 8, 16, 17, 64, 72, 100};
  for (int trial = 0; trial < 24; ++trial) {
    const std::string mode = trial % 3 == 0 ? "sum" : (trial % 3 == 1 ? "mean" : "max");
    std::vector<Group> groups;
    const int tables = 1 + trial % 4;
    for (int t = 0; t < tables; ++t) {
      const int64_t dim = dims[(trial + t) % 8];
      const int64_t rows = 1 + (trial * 7 + t * 13) % 40;
      const int64_t bags = (trial + t) % 9 == 0 ? 0 : 1 + (trial * 5 + t) % 23;
      groups.push_back(random_group(rng, rows, dim, bags, 1 + (trial + t) % 5, (trial + t) % 2,
                                    (trial / 2 + t) % 2 == 1, mode == "sum" && t % 2 == 1));
    }
    check_against_onnx(groups, mode);
  }
}

TEST(EmbeddingBagTest, EmptyBagsAndNoIndices) {
  std::mt19937 rng(12);
  Group none;  // N = 0: every bag is empty
  none.table = random_tensor<float>(rng, {5, 16});
  none.indices = ids_tensor<int64_t>({});
  none.starts = ids_tensor<int64_t>({0, 0, 0});
  Group all_empty;  // explicit ends equal to the starts
  all_empty.table = random_tensor<float>(rng, {5, 8});
  all_empty.indices = ids_tensor<int32_t>({1, 2, 3});
  all_empty.starts = ids_tensor<int32_t>({2, 3, 0});
  all_empty.ends = ids_tensor<int32_t>({2, 3, 0});
  Group no_bags;
  no_bags.table = random_tensor<float>(rng, {5, 8});
  no_bags.indices = ids_tensor<int64_t>({1, 2});
  no_bags.starts = ids_tensor<int64_t>({});
  for (const std::string mode : {"sum", "mean", "max"}) {
    check_against_onnx({none, all_empty, no_bags}, mode);
  }
  auto out = fused({none, all_empty, no_bags}, "max", KernelVariant::kOptimized);
  ASSERT_TRUE(out.is_ok());
  EXPECT_EQ((*out)[2].shape(), (Shape{0, 8}));
  EXPECT_EQ((*out)[0].data<float>()[0], -std::numeric_limits<float>::infinity());
}

TEST(EmbeddingBagTest, WeightsWithRepeatedOffsetsAndOverlappingBags) {
  std::mt19937 rng(13);
  Group g;
  g.table = random_tensor<float>(rng, {6, 64});
  g.indices = ids_tensor<int64_t>({5, -6, 2, 2, 0, -1, 3});
  g.starts = ids_tensor<int64_t>({0, 0, 1, 7, 7});  // empty bags, the last two at the end
  g.weights = random_tensor<float>(rng, {7});
  check_against_onnx({g}, "sum");
  g.starts = ids_tensor<int64_t>({4, 0, 1, 7, 7});
  g.ends = ids_tensor<int64_t>({7, 3, 5, 7, int64_t{1} << 62});  // explicit, overlapping bags
  check_against_onnx({g}, "sum");
}

// Offsets that do not describe bags of the ids (unsorted, negative, past the id count; with
// explicit ends, a start outside the ids or an end before its start) would pool the wrong rows
// or NaN means silently: both kernels refuse them, naming the node, group, position and value.
TEST(EmbeddingBagTest, BadOffsetsAreErrorsNamingPositionAndValue) {
  std::mt19937 rng(17);
  struct Case {
    std::vector<int64_t> starts, ends;
    StatusCode code;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{0, 3, 1}, {}, StatusCode::kInvalidArgument,
       "offsets of group 1 must be non-decreasing: value 1 at position 2 follows 3"},
      {{-1, 2}, {}, StatusCode::kOutOfRange,
       "offsets of group 1: value -1 at position 0 is outside [0, 5] (the id count)"},
      {{0, 9}, {}, StatusCode::kOutOfRange,
       "offsets of group 1: value 9 at position 1 is outside [0, 5]"},
      {{0, 6}, {2, 7}, StatusCode::kOutOfRange,
       "starts of group 1: value 6 at position 1 is outside [0, 5]"},
      {{3, 1}, {2, 4}, StatusCode::kInvalidArgument,
       "ends of group 1: value 2 at position 0 is before its start 3"},
  };
  ThreadedFor parallel;
  for (const Case& c : cases) {
    Group ok = random_group(rng, 10, 16, 8, 3, false, false, false);
    Group g;
    g.table = random_tensor<float>(rng, {4, 16});
    g.indices = ids_tensor<int64_t>({0, 1, 2, 3, 1});
    g.starts = ids_tensor<int64_t>(c.starts);
    if (!c.ends.empty()) g.ends = ids_tensor<int64_t>(c.ends);
    for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
      auto out = fused({ok, g}, "mean", variant, &parallel);
      ASSERT_FALSE(out.is_ok()) << c.expected;
      EXPECT_EQ(out.status().code(), c.code);
      const std::string& msg = out.status().message();
      EXPECT_NE(msg.find("EmbeddingBag_under_test"), std::string::npos) << msg;
      EXPECT_NE(msg.find(c.expected), std::string::npos) << msg;
    }
  }
  // int32 offsets are read the same way.
  Group g;
  g.table = random_tensor<float>(rng, {4, 16});
  g.indices = ids_tensor<int32_t>({0, 1, 2});
  g.starts = ids_tensor<int32_t>({0, 2, 1});
  auto out = fused({g}, "sum", KernelVariant::kOptimized);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("value 1 at position 2 follows 2"), std::string::npos)
      << out.status().message();
}

TEST(EmbeddingBagTest, PortableLoopsMatchAvx2) {
  std::mt19937 rng(14);
  std::vector<Group> groups;
  for (int64_t dim : {5, 16, 64, 68, 130}) {
    groups.push_back(random_group(rng, 30, dim, 40, 4, dim % 2 == 0, false, dim == 64));
  }
  for (const std::string mode : {"sum", "mean", "max"}) {
    if (mode != "sum") groups[2].weights = Tensor();
    auto wide = fused(groups, mode, KernelVariant::kOptimized);
    rec::avx2::set_avx2_allowed(false);
    auto portable = fused(groups, mode, KernelVariant::kOptimized);
    rec::avx2::set_avx2_allowed(true);
    ASSERT_TRUE(wide.is_ok() && portable.is_ok());
    for (size_t t = 0; t < groups.size(); ++t) expect_same<float>((*wide)[t], (*portable)[t]);
  }
}

TEST(EmbeddingBagTest, MaxPropagatesNaNLikeReduceMax) {
  Group g;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  g.table = make_tensor<float>({3, 8}, std::vector<float>{1, nan, 3, 4, 5, 6, 7, 8,  //
                                                          nan, 2, 9, 9, 9, 9, 9, 9,  //
                                                          0, 0, 0, 0, 0, 0, 0, 0});
  g.indices = ids_tensor<int64_t>({0, 1, 2, 2, 1, 0});
  g.starts = ids_tensor<int64_t>({0, 3});
  check_against_onnx({g}, "max");
  check_against_onnx({g}, "sum");
}

TEST(EmbeddingBagTest, OutOfRangeIdNamesGroupIdAndPosition) {
  std::mt19937 rng(15);
  ThreadedFor parallel;
  for (int64_t bad : {4, -5, 1000000}) {
    Group ok = random_group(rng, 10, 16, 8, 3, false, false, false);
    Group g;
    g.table = random_tensor<float>(rng, {4, 16});
    g.indices = ids_tensor<int32_t>({0, 1, 2, static_cast<int32_t>(bad), 3});
    g.starts = ids_tensor<int32_t>({0, 2});
    for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
      auto out = fused({ok, g}, "sum", variant, &parallel);
      ASSERT_FALSE(out.is_ok());
      EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
      const std::string& msg = out.status().message();
      EXPECT_NE(msg.find("EmbeddingBag_under_test"), std::string::npos) << msg;
      EXPECT_NE(msg.find("id " + std::to_string(bad) + " at position 3"), std::string::npos)
          << msg;
      EXPECT_NE(msg.find("group 1"), std::string::npos) << msg;
      EXPECT_NE(msg.find("[-4, 4)"), std::string::npos) << msg;
    }
  }
  // An id outside every bag is never looked up (as with Slice + Gather): no error.
  Group g;
  g.table = random_tensor<float>(rng, {4, 8});
  g.indices = ids_tensor<int64_t>({0, 99, 1});
  g.starts = ids_tensor<int64_t>({0, 2});
  g.ends = ids_tensor<int64_t>({1, 3});
  EXPECT_TRUE(fused({g}, "sum", KernelVariant::kOptimized).is_ok());
  // Many bad ids on several threads: the first (group, bag, position) is reported.
  Group big = random_group(rng, 50, 8, 2000, 3, false, false, false);
  int64_t* ids = big.indices.data<int64_t>();
  ids[big.indices.numel() - 1] = 50;
  ids[1000] = -51;
  auto out = fused({big}, "sum", KernelVariant::kOptimized, &parallel);
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("id -51 at position 1000"), std::string::npos)
      << out.status().message();
}

TEST(EmbeddingBagTest, InferRejectsBadInputs) {
  std::mt19937 rng(16);
  Group g = random_group(rng, 5, 4, 3, 2, false, false, true);
  auto status_of = [](Result<std::vector<Tensor>> r) { return r.status(); };
  EXPECT_EQ(status_of(fused({g}, "mean", KernelVariant::kOptimized)).code(),
            StatusCode::kInvalidArgument);  // weights need sum
  Status bad_mode = status_of(fused({g}, "median", KernelVariant::kOptimized));
  EXPECT_NE(bad_mode.message().find("median"), std::string::npos);
  Group float_ids = g;
  float_ids.indices = random_tensor<float>(rng, {g.indices.numel()});
  EXPECT_NE(status_of(fused({float_ids}, "sum", KernelVariant::kOptimized))
                .message()
                .find("indices of group 0"),
            std::string::npos);
  Group short_weights = g;
  short_weights.weights = random_tensor<float>(rng, {g.indices.numel() + 1});
  EXPECT_FALSE(fused({short_weights}, "sum", KernelVariant::kOptimized).is_ok());
  Group short_starts = g;
  short_starts.ends = ids_tensor<int64_t>({0, 1, 2, 3});
  EXPECT_FALSE(fused({short_starts}, "sum", KernelVariant::kOptimized).is_ok());
  Group table_1d = g;
  table_1d.table = random_tensor<float>(rng, {5});
  EXPECT_FALSE(fused({table_1d}, "sum", KernelVariant::kOptimized).is_ok());
  // Wrong input count (a group cut after indices), and outputs != tables.
  auto cut = run_fused(OpType::kEmbeddingBag, {}, {g.table, g.indices}, 1,
                       KernelVariant::kOptimized);
  EXPECT_EQ(cut.status().code(), StatusCode::kInvalidArgument);
  auto two_outputs = run_fused(OpType::kEmbeddingBag, {}, {g.table, g.indices, g.starts}, 2,
                               KernelVariant::kOptimized);
  EXPECT_EQ(two_outputs.status().code(), StatusCode::kInvalidArgument);
  // Trailing optional inputs of the last group may be left out entirely.
  auto trimmed = run_fused(OpType::kEmbeddingBag, {}, {g.table, g.indices, g.starts}, 1,
                           KernelVariant::kOptimized);
  EXPECT_TRUE(trimmed.is_ok()) << trimmed.status().to_string();
}

}  // namespace
}  // namespace recinfer::kernels::rec_test
