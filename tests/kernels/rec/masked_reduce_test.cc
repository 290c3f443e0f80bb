// MaskedReduce against NonZero(mask) -> Transpose(perm [1, 0]) -> GatherND(X) ->
// ReduceSum|ReduceMean|ReduceMax(axes [0], keepdims) with recinfer's ONNX kernels.
#include "kernels/rec/rec_test_util.h"

namespace recinfer::kernels::rec_test {
namespace {

using ir::OpType;

Tensor onnx_masked_reduce(const Tensor& x, const Tensor& mask, const std::string& mode,
                          int64_t keepdims) {
  Tensor points = run1(OpType::kNonZero, 13, {}, {mask});
  points = run1(OpType::kTranspose, 13, {{"perm", attr_ints({1, 0})}}, {points});
  Tensor rows = run1(OpType::kGatherND, 13, {}, {x, points});
  if (mode == "sum") {
    return run1(OpType::kReduceSum, 13, {{"keepdims", attr_int(keepdims)}}, {rows, i64({0})});
  }
  const OpType op = mode == "mean" ? OpType::kReduceMean : OpType::kReduceMax;
  return run1(op, 13, {{"axes", attr_ints({0})}, {"keepdims", attr_int(keepdims)}}, {rows});
}

Tensor mask_with(std::mt19937& rng, const Shape& shape, double p_true) {
  std::bernoulli_distribution dist(p_true);
  std::vector<bool> values(static_cast<size_t>(shape.numel()));
  for (size_t i = 0; i < values.size(); ++i) values[i] = dist(rng);
  return make_tensor<bool>(shape, values);
}

void check(const Tensor& x, const Tensor& mask) {
  ThreadedFor parallel;
  for (const std::string mode : {"sum", "mean", "max"}) {
    for (int64_t keepdims : {0, 1}) {
      SCOPED_TRACE(x.shape().to_string() + " mask " + mask.shape().to_string() + " " + mode);
      const Attrs attrs = {{"mode", attr_string(mode)}, {"keepdims", attr_int(keepdims)}};
      auto fast = run_fused(OpType::kMaskedReduce, attrs, {x, mask}, 1,
                            KernelVariant::kOptimized, &parallel);
      auto ref = run_fused(OpType::kMaskedReduce, attrs, {x, mask}, 1, KernelVariant::kReference);
      ASSERT_TRUE(fast.is_ok()) << fast.status().to_string();
      ASSERT_TRUE(ref.is_ok()) << ref.status().to_string();
      expect_same<float>((*fast)[0], onnx_masked_reduce(x, mask, mode, keepdims), 1e-5, 1e-5);
      expect_same<float>((*fast)[0], (*ref)[0]);  // same per-column order: bit-identical
    }
  }
}

TEST(MaskedReduceTest, RandomShapesAgainstOnnxSubgraph) {
  std::mt19937 rng(41);
  const std::vector<std::pair<Shape, Shape>> shapes = {
      {{8, 5, 16}, {8, 5}},       // (batch, seq, emb_dim) with a padding mask
      {{4, 5, 6}, {2, 3}},        // mask smaller than X
      {{7}, {7}},                 // no rest: scalar output
      {{6, 3, 4}, {6}},
      {{3, 4, 2, 300}, {3, 4, 2}},  // rest wider than one column block
      {{2, 3, 4, 5}, {2, 2, 4}},
      {{0, 3}, {0}},
      {{5, 0}, {5}},
  };
  for (const auto& [x_shape, mask_shape] : shapes) {
    const Tensor x = random_tensor<float>(rng, x_shape);
    check(x, mask_with(rng, mask_shape, 0.5));
    check(x, mask_with(rng, mask_shape, 0.0));  // nothing selected: 0, NaN, -inf
    check(x, mask_with(rng, mask_shape, 1.0));
  }
}

TEST(MaskedReduceTest, EmptySelectionGivesReductionIdentities) {
  const Tensor x = make_tensor<float>({2, 2}, {1, 2, 3, 4});
  const Tensor none = make_tensor<bool>({2}, {false, false});
  for (const std::string mode : {"sum", "mean", "max"}) {
    auto out = run_fused(OpType::kMaskedReduce, {{"mode", attr_string(mode)}}, {x, none}, 1,
                         KernelVariant::kOptimized);
    ASSERT_TRUE(out.is_ok());
    EXPECT_EQ((*out)[0].shape(), (Shape{1, 2}));
    const float v = (*out)[0].data<float>()[0];
    if (mode == "sum") {
      EXPECT_EQ(v, 0.0f);
    } else if (mode == "mean") {
      EXPECT_TRUE(std::isnan(v));
    } else {
      EXPECT_EQ(v, -std::numeric_limits<float>::infinity());
    }
  }
}

TEST(MaskedReduceTest, InferRejectsBadInputs) {
  const Tensor x = make_tensor<float>({2, 2}, {1, 2, 3, 4});
  auto status = [&](const Tensor& in, const Tensor& mask, Attrs attrs = {}) {
    return run_fused(OpType::kMaskedReduce, std::move(attrs), {in, mask}, 1,
                     KernelVariant::kOptimized)
        .status();
  };
  EXPECT_EQ(status(x, make_tensor<bool>({3}, {true, true, true})).code(),
            StatusCode::kInvalidArgument);  // mask longer than X
  EXPECT_EQ(status(x, make_tensor<int64_t>({2}, {1, 0})).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status(x, make_tensor<bool>({}, {true})).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status(x, make_tensor<bool>({2, 2, 1}, {true, true, true, true})).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(status(make_tensor<int64_t>({2}, {1, 2}), make_tensor<bool>({2}, {true, true})).code(),
            StatusCode::kInvalidArgument);
  Status bad_mode = status(x, make_tensor<bool>({2}, {true, true}), {{"mode", attr_string("min")}});
  EXPECT_NE(bad_mode.message().find("MaskedReduce_under_test"), std::string::npos);
}

}  // namespace
}  // namespace recinfer::kernels::rec_test
