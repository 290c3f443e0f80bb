// MatMul with numpy semantics (see matmul_shape.h). float32 goes through oneDNN, other dtypes
// through the naive tile loops; both are split into (batch, row block, column block) tiles.
// When B is one matrix shared by the whole batch and A is not broadcast, the batch is folded
// into M: (batch, M, K) x (K, N) is one (batch*M, K) x (K, N) product — the usual recsys case of
// an activation times a weight — which gives oneDNN one large GEMM instead of many small ones.
#include <atomic>

#include "kernels/dense/dense_kernels.h"
#include "kernels/dense/gemm_tiles.h"
#include "kernels/dense/matmul_shape.h"
#include "kernels/dispatch.h"

namespace recinfer::kernels {

// Family helpers live in kernels::dense so their short names cannot clash across families.
using namespace dense;  // NOLINT(google-build-using-namespace)

namespace {

template <typename T>
Status matmul_typed(KernelContext& ctx, const MatMulShape& s) {
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
  int64_t batch = s.batch.numel();
  int64_t m = s.m;
  if (s.b_batch.numel() == 1 && s.a_batch == s.batch) {
    m *= batch;
    batch = 1;
  }
  const BatchOffsets offsets(s);
  const TilePlan plan = plan_tiles(batch, m, s.n, s.k, ctx.num_threads());
  std::atomic<int> failure{0};
  ctx.parallel_for(plan.count(), plan.grain, [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t) {
      const Tile tile = plan.tile(t);
      int64_t a_offset = 0;
      int64_t b_offset = 0;
      if (batch > 1) offsets.at(tile.batch, &a_offset, &b_offset);
      GemmOperands<T> ops;
      ops.a = a.data<T>() + a_offset;
      ops.b = b.data<T>() + b_offset;
      ops.y = y + tile.batch * m * s.n;
      ops.m = m;
      ops.n = s.n;
      ops.k = s.k;
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

class MatMulKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& a = *ctx.input(0);
    auto shape = matmul_shape(a.shape(), ctx.input(1)->shape());
    if (!shape.is_ok()) return shape.status().with_context(ctx.node().describe());
    return dispatch<kDenseTypes>(a.dtype(), [&](auto tag) -> Status {
      return matmul_typed<decltype(tag)>(ctx, *shape);
    });
  }
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
