// ConvTranspose as GEMM + col2im per (image, group): col (M/group·K x in) = W_gᵀ · X_g, where
// W_g is stored (C/group, M/group·K), then every column entry is added into the output position
// its kernel tap reaches (conv_unfold.h). Parallel like Conv: whole (image, group) pairs per
// worker when there are enough of them, else tiled GEMMs one pair at a time.
#include <atomic>

#include "kernels/conv/conv_common.h"
#include "kernels/conv/conv_kernels.h"
#include "kernels/conv/conv_unfold.h"
#include "kernels/conv/scratch.h"
#include "kernels/dispatch.h"

namespace recinfer::kernels {

using namespace conv;  // NOLINT(google-build-using-namespace)

namespace {

template <typename T>
Status run_conv_transpose(const ConvShape& s, KernelContext& ctx) {
  const T* x = ctx.input(0)->data<T>();
  const T* w = ctx.input(1)->data<T>();
  const T* bias = ctx.input(2) != nullptr ? ctx.input(2)->data<T>() : nullptr;
  T* y = ctx.output(0).data<T>();
  const WindowGeometry& g = s.geometry;
  const int64_t in_size = g.in_size(), out_size = g.out_size();
  const int64_t cg = s.in_group(), mg = s.out_group();
  const int64_t col_rows = mg * g.kernel_size();
  const int64_t items = s.batch * s.group;
  std::atomic<int> failure{0};
  std::atomic<bool> no_memory{false};
  auto operands = [&](int64_t item, T* col) {
    const int64_t n = item / s.group, grp = item % s.group;
    dense::GemmOperands<T> ops;
    ops.a = w + grp * cg * col_rows;
    ops.trans_a = true;
    ops.b = x + (n * s.in_channels + grp * cg) * in_size;
    ops.y = col;
    ops.m = col_rows;
    ops.n = in_size;
    ops.k = cg;
    return ops;
  };
  // Output planes of pair `item`: bias (or zero), then the folded columns.
  auto fold = [&](int64_t item, const T* col) {
    const int64_t n = item / s.group, grp = item % s.group;
    T* image = y + (n * s.out_channels + grp * mg) * out_size;
    for (int64_t c = 0; c < mg; ++c) {
      const T value = bias != nullptr ? bias[grp * mg + c] : T(0);
      for (int64_t i = 0; i < out_size; ++i) image[c * out_size + i] = value;
    }
    unfold<T, true>(image, g.out, g.in, g, mg, col);
  };
  const size_t col_elements = static_cast<size_t>(col_rows * in_size);
  if (cg == 0) {
    for (int64_t item = 0; item < items; ++item) {
      T* image = y + item * mg * out_size;
      for (int64_t i = 0; i < mg * out_size; ++i) image[i] = bias ? bias[(item % s.group) * mg + i / out_size] : T(0);
    }
  } else if (items >= ctx.num_threads()) {
    ctx.parallel_for(items, 1, [&](int64_t begin, int64_t end) {
      T* col = scratch_buffer<T>(col_elements);
      if (col == nullptr && col_elements > 0) {
        no_memory.store(true);
        return;
      }
      for (int64_t item = begin; item < end; ++item) {
        const dense::GemmOperands<T> ops = operands(item, col);
        if (const int status = multiply(ops, whole(ops)); status != 0) failure.store(status);
        fold(item, col);
      }
    });
  } else {
    T* col = scratch_buffer<T>(col_elements);
    if (col == nullptr && col_elements > 0) no_memory.store(true);
    for (int64_t item = 0; item < items && !no_memory.load(); ++item) {
      const dense::GemmOperands<T> ops = operands(item, col);
      const dense::TilePlan tiles = dense::plan_tiles(1, ops.m, ops.n, ops.k, ctx.num_threads());
      ctx.parallel_for(tiles.count(), tiles.grain, [&](int64_t begin, int64_t end) {
        for (int64_t t = begin; t < end; ++t) {
          if (const int status = multiply(ops, tiles.tile(t)); status != 0) failure.store(status);
        }
      });
      fold(item, col);
    }
  }
  if (no_memory.load()) {
    return ctx.error(StatusCode::kInternal, "cannot allocate {} elements for col2im", col_elements);
  }
  if (const int status = failure.load(); status != 0) {
    return ctx.error(StatusCode::kInternal, "oneDNN sgemm failed ({})", dense::sgemm_status_name(status));
  }
  return Status::ok();
}

class ConvTransposeKernel final : public Kernel {
 public:
  explicit ConvTransposeKernel(const ir::Node& node) : attrs_(WindowAttributes::from(node)) {}

  Status prepare(const PrepareContext& /*ctx*/) override { return attrs_.status(); }

  Status compute(KernelContext& ctx) const override {
    if (ctx.output(0).numel() == 0) return Status::ok();
    const Tensor* b = ctx.input(2);
    RI_ASSIGN_OR_RETURN(const ConvShape s, bind_conv(ctx.node(), *attrs_, true, ctx.input(0)->shape(),
                                                     ctx.input(1)->shape(), b ? &b->shape() : nullptr));
    return dispatch<kFloats>(ctx.input(0)->dtype(), [&](auto tag) -> Status {
      return run_conv_transpose<decltype(tag)>(s, ctx);
    });
  }

 private:
  Result<WindowAttributes> attrs_;
};

}  // namespace

Status infer_conv_transpose(InferContext& ctx) { return infer_conv_like(ctx, true); }

std::unique_ptr<Kernel> make_conv_transpose(const ir::Node& node) {
  return std::make_unique<ConvTransposeKernel>(node);
}

}  // namespace recinfer::kernels
