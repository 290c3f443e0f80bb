// MatMul with numpy semantics (see matmul_shape.h). float32 goes through oneDNN, other dtypes
// through the naive tile loops; both are split into (batch, row block, column block) tiles.
// When one operand is shared by the whole batch and the shapes allow it (see matmul_fold.h), the
// batch is folded into one large GEMM instead of many small ones.
#include <atomic>

#include "kernels/dense/dense_kernels.h"
#include "kernels/dense/gemm_tiles.h"
#include "kernels/dense/matmul_fold.h"
#include "kernels/dense/matmul_shape.h"
#include "kernels/dispatch.h"

namespace recinfer::kernels {

// Family helpers live in kernels::dense so their short names cannot clash across families.
using namespace dense;  // NOLINT(google-build-using-namespace)

namespace {

// `a_transposed`: A's matrix stored transposed (K, M), prepacked from a constant A whose batch
// dims are all 1, or null.
template <typename T>
Status matmul_typed(KernelContext& ctx, const MatMulShape& s, const Tensor* a_transposed) {
  const Tensor& a = *ctx.input(0);
  const Tensor& b = *ctx.input(1);
  Tensor& out = ctx.output(0);
  if (out.numel() == 0) return Status::ok();
  T* y = out.data<T>();
  if (s.k == 0) {
    // Sum over an empty K: all zeros (output storage may be reused, so write them).
    for (int64_t i = 0; i < out.numel(); ++i) y[i] = T(0);
    return Status::ok();
  }
  MatMulFold fold = plan_matmul_fold(s);
  const T* left = fold.swap_operands ? b.data<T>() : a.data<T>();
  const T* right = fold.swap_operands ? a.data<T>() : b.data<T>();
  if (fold.trans_b && a_transposed != nullptr && a_transposed->dtype() == a.dtype()) {
    // The weight's transpose is prepacked: a plain (not transposed) right operand, which
    // oneDNN serves with the kernels it already uses for every other product.
    right = a_transposed->data<T>();
    fold.trans_b = false;
  }
  const BatchOffsets offsets(s);
  const TilePlan plan = plan_tiles(fold.batch, fold.m, fold.n, fold.k, ctx.num_threads());
  std::atomic<int> failure{0};
  ctx.parallel_for(plan.count(), plan.grain, [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t) {
      const Tile tile = plan.tile(t);
      int64_t a_offset = 0;
      int64_t b_offset = 0;
      if (fold.batch > 1) offsets.at(tile.batch, &a_offset, &b_offset);
      GemmOperands<T> ops;
      ops.a = left + a_offset;
      ops.b = right + b_offset;
      ops.y = y + tile.batch * fold.m * fold.n;
      ops.m = fold.m;
      ops.n = fold.n;
      ops.k = fold.k;
      ops.trans_b = fold.trans_b;
      if constexpr (std::is_same_v<T, float>) {
        const int status = sgemm_tile(ops, tile, 1.0f, 0.0f);
        if (status != 0) failure.store(status, std::memory_order_relaxed);
      } else {
        naive_gemm_tile(ops, tile);
      }
    }
  });
  if (const int status = failure.load(); status != 0) {
    return ctx.error(StatusCode::kInternal, "oneDNN sgemm failed ({}) for A {} and B {}",
                     sgemm_status_name(status), a.shape().to_string(), b.shape().to_string());
  }
  return Status::ok();
}

// A constant A of rank >= 2 whose batch dims are all 1, as its matrix transposed (K, M).
template <typename T>
Result<Tensor> transposed_matrix(const Tensor& a) {
  const int64_t m = a.shape()[a.rank() - 2];
  const int64_t k = a.shape()[a.rank() - 1];
  RI_ASSIGN_OR_RETURN(Tensor t, Tensor::allocate(a.dtype(), Shape{k, m}));
  const T* src = a.data<T>();
  T* dst = t.data<T>();
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t kk = 0; kk < k; ++kk) dst[kk * m + i] = src[i * k + kk];
  }
  return t;
}

class MatMulKernel final : public Kernel {
 public:
  // A shared weight times (batch, K, 1) columns runs as X (batch, K) times the weight
  // transposed (matmul_fold.h): prepack that transpose once when the weight is a constant.
  Status prepare(const PrepareContext& ctx) override {
    const Tensor* a = ctx.constant_inputs.empty() ? nullptr : ctx.constant_inputs[0];
    if (a == nullptr || a->rank() < 2 || a->shape().product(0, a->rank() - 2) != 1 ||
        !dtype_in(a->dtype(), kDenseTypes) || a->numel() == 0) {
      return Status::ok();
    }
    Status status = dispatch<kDenseTypes>(a->dtype(), [&](auto tag) -> Status {
      RI_ASSIGN_OR_RETURN(a_transposed_, transposed_matrix<decltype(tag)>(*a));
      return Status::ok();
    });
    return status.is_ok() ? status : status.with_context(ctx.node.describe());
  }

  Status compute(KernelContext& ctx) const override {
    const Tensor& a = *ctx.input(0);
    auto shape = matmul_shape(a.shape(), ctx.input(1)->shape());
    if (!shape.is_ok()) return shape.status().with_context(ctx.node().describe());
    const Tensor* a_transposed = a_transposed_.defined() ? &a_transposed_ : nullptr;
    return dispatch<kDenseTypes>(a.dtype(), [&](auto tag) -> Status {
      return matmul_typed<decltype(tag)>(ctx, *shape, a_transposed);
    });
  }

 private:
  Tensor a_transposed_;
};

}  // namespace

Status infer_matmul(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* a, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* b, ctx.required_input(1));
  if (a->dtype != b->dtype) {
    return ctx.error(StatusCode::kInvalidArgument, "dtypes differ: A {}, B {}",
                     dtype_name(a->dtype), dtype_name(b->dtype));
  }
  if (!dtype_in(a->dtype, kDenseTypes)) {
    return ctx.error(StatusCode::kUnsupported, "dtype {} is not supported", dtype_name(a->dtype));
  }
  auto shape = matmul_shape(a->shape, b->shape);
  if (!shape.is_ok()) return shape.status().with_context(ctx.node().describe());
  ctx.set_output(0, a->dtype, shape->out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_matmul(const ir::Node& /*node*/) {
  return std::make_unique<MatMulKernel>();
}

}  // namespace recinfer::kernels
