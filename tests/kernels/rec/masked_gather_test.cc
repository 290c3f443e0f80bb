// MaskedGather against the two exporter forms it replaces, computed with recinfer's ONNX
// kernels: Mul(Gather(table, Where(ids >= 0, ids, 0)), Cast(ids >= 0)) and
// Where(ids >= 0, Gather(...), 0), with the mask reshaped to broadcast over the row dims.
#include "kernels/rec/rec_test_util.h"

namespace recinfer::kernels::rec_test {
namespace {

using ir::OpType;

template <typename T>
Tensor scalar_of(double v) {
  return make_tensor<T>({}, {static_cast<T>(v)});
}

// ids >= 0 as the exporters write it, reshaped to ids.shape + (1,) * (table rank - 1).
Tensor valid_mask(const Tensor& table, const Tensor& ids) {
  const Tensor zero = ids.dtype() == DType::kInt32 ? scalar_of<int32_t>(0) : scalar_of<int64_t>(0);
  Tensor mask = run1(OpType::kNot, 1, {}, {run1(OpType::kLess, 13, {}, {ids, zero})});
  std::vector<int64_t> shape = ids.shape().to_vector();
  for (int d = 1; d < table.rank(); ++d) shape.push_back(1);
  return run1(OpType::kReshape, 14, {}, {mask, i64(shape)});
}

Tensor gather_clamped(const Tensor& table, const Tensor& ids) {
  const Tensor zero = ids.dtype() == DType::kInt32 ? scalar_of<int32_t>(0) : scalar_of<int64_t>(0);
  Tensor ge = run1(OpType::kGreaterOrEqual, 16, {}, {ids, zero});
  Tensor safe = run1(OpType::kWhere, 16, {}, {ge, ids, zero});
  return run1(OpType::kGather, 13, {{"axis", attr_int(0)}}, {table, safe});
}

// The Mul form (float tables).
Tensor onnx_mul_form(const Tensor& table, const Tensor& ids) {
  Tensor mask = run1(OpType::kCast, 13, {{"to", attr_int(1)}}, {valid_mask(table, ids)});
  return run1(OpType::kMul, 14, {}, {gather_clamped(table, ids), mask});
}

// The Where form (any dtype).
template <typename T>
Tensor onnx_where_form(const Tensor& table, const Tensor& ids) {
  return run1(OpType::kWhere, 16, {},
              {valid_mask(table, ids), gather_clamped(table, ids), scalar_of<T>(0)});
}

Result<std::vector<Tensor>> masked_gather(const Tensor& table, const Tensor& ids,
                                          KernelVariant variant, ParallelFor* parallel = nullptr) {
  return run_fused(OpType::kMaskedGather, {}, {table, ids}, 1, variant, parallel);
}

template <typename T>
void check(const Tensor& table, const Tensor& ids, ThreadedFor& parallel) {
  auto fast = masked_gather(table, ids, KernelVariant::kOptimized, &parallel);
  auto ref = masked_gather(table, ids, KernelVariant::kReference);
  ASSERT_TRUE(fast.is_ok()) << fast.status().to_string();
  ASSERT_TRUE(ref.is_ok()) << ref.status().to_string();
  expect_same<T>((*fast)[0], onnx_where_form<T>(table, ids));
  if constexpr (std::is_same_v<T, float>) expect_same<T>((*fast)[0], onnx_mul_form(table, ids));
  expect_same<T>((*fast)[0], (*ref)[0]);
}

TEST(MaskedGatherTest, NegativeIdsGiveZeroRows) {
  Tensor table = make_tensor<float>({3, 2}, {1, 2, 3, 4, 5, 6});
  Tensor ids = make_tensor<int64_t>({2, 2}, {2, -1, 0, -7});
  auto out = masked_gather(table, ids, KernelVariant::kOptimized);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].shape(), (Shape{2, 2, 2}));
  EXPECT_EQ(values_of<float>((*out)[0]), (std::vector<float>{5, 6, 0, 0, 1, 2, 0, 0}));
}

TEST(MaskedGatherTest, RandomShapesAgainstOnnxForms) {
  std::mt19937 rng(21);
  ThreadedFor parallel;
  std::uniform_int_distribution<int64_t> dim(1, 6);
  for (int trial = 0; trial < 30; ++trial) {
    Shape table_shape{1 + trial % 9};
    for (int d = 1; d < 1 + trial % 3; ++d) table_shape.push_back(trial % 7 == 0 ? 64 : dim(rng));
    Shape ids_shape;
    for (int d = 0; d < trial % 4; ++d) ids_shape.push_back(dim(rng));
    const int64_t rows = table_shape[0];
    std::uniform_int_distribution<int64_t> id(-rows - 2, rows - 1);
    std::vector<int64_t> ids(static_cast<size_t>(ids_shape.numel()));
    for (auto& v : ids) v = id(rng);
    Tensor id_tensor = make_tensor<int64_t>(ids_shape, ids);
    if (trial % 2 == 1) id_tensor = make_tensor<int32_t>(ids_shape, {ids.begin(), ids.end()});
    if (trial % 5 == 4) {
      check<int64_t>(random_tensor<int64_t>(rng, table_shape), id_tensor, parallel);
    } else {
      check<float>(random_tensor<float>(rng, table_shape), id_tensor, parallel);
    }
  }
  // Many ids on several threads, and no ids at all.
  Tensor table = random_tensor<float>(rng, {100, 16});
  std::vector<int64_t> many(20000);
  std::uniform_int_distribution<int64_t> id(-20, 99);
  for (auto& v : many) v = id(rng);
  check<float>(table, make_tensor<int64_t>({200, 100}, many), parallel);
  check<float>(table, make_tensor<int64_t>({0}, {}), parallel);
}

TEST(MaskedGatherTest, TooLargeIdIsAnErrorNamingIdAndPosition) {
  ThreadedFor parallel;
  Tensor table = make_tensor<float>({3, 2}, {1, 2, 3, 4, 5, 6});
  std::vector<int64_t> ids(5000, -1);
  ids[4000] = 3;
  ids[1234] = 77;
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto out = masked_gather(table, make_tensor<int64_t>({5000}, ids), variant, &parallel);
    ASSERT_FALSE(out.is_ok());
    EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
    const std::string& msg = out.status().message();
    EXPECT_NE(msg.find("MaskedGather_under_test"), std::string::npos) << msg;
    EXPECT_NE(msg.find("id 77 at position 1234"), std::string::npos) << msg;
  }
  // A table with empty rows still checks ids.
  Tensor empty_rows = make_tensor<float>({3, 0}, {});
  EXPECT_TRUE(masked_gather(empty_rows, make_tensor<int32_t>({2}, {2, -9}),
                            KernelVariant::kOptimized).is_ok());
  EXPECT_FALSE(masked_gather(empty_rows, make_tensor<int32_t>({2}, {3, 0}),
                             KernelVariant::kOptimized).is_ok());
}

TEST(MaskedGatherTest, InferRejectsBadInputs) {
  Tensor table = make_tensor<float>({3, 2}, {1, 2, 3, 4, 5, 6});
  auto float_ids = masked_gather(table, make_tensor<float>({1}, {0}), KernelVariant::kOptimized);
  EXPECT_EQ(float_ids.status().code(), StatusCode::kInvalidArgument);
  auto scalar_table = masked_gather(make_tensor<float>({}, {1}), make_tensor<int64_t>({1}, {0}),
                                    KernelVariant::kOptimized);
  EXPECT_EQ(scalar_table.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recinfer::kernels::rec_test
