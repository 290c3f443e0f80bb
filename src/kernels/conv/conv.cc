// Conv as im2col + GEMM per (image, group): Y_g (M/group x out) = W_g (M/group x C/group·K) ·
// col (C/group·K x out). A pointwise conv (1x..x1 kernel, stride 1, no pads) multiplies the
// input directly. With at least as many (image, group) pairs as workers each worker takes whole
// pairs with its own per-thread column buffer; otherwise the pairs run one after another and
// each GEMM is split into tiles across the workers.
#include <atomic>

#include "kernels/conv/conv_common.h"
#include "kernels/conv/conv_kernels.h"
#include "kernels/conv/conv_unfold.h"
#include "kernels/conv/scratch.h"
#include "kernels/dispatch.h"

namespace recinfer::kernels {

using namespace conv;  // NOLINT(google-build-using-namespace)

namespace {

bool is_pointwise(const WindowGeometry& g) {
  for (int i = 0; i < g.rank; ++i) {
    if (g.kernel[i] != 1 || g.stride[i] != 1 || g.pad_begin[i] != 0 || g.pad_end[i] != 0) return false;
  }
  return true;
}

template <typename T>
void add_bias(T* y, const T* bias, int64_t rows, int64_t cols) {
  if (bias == nullptr) return;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) y[r * cols + c] += bias[r];
  }
}

template <typename T>
Status run_conv(const ConvShape& s, KernelContext& ctx) {
  const T* x = ctx.input(0)->data<T>();
  const T* w = ctx.input(1)->data<T>();
  const T* bias = ctx.input(2) != nullptr ? ctx.input(2)->data<T>() : nullptr;
  T* y = ctx.output(0).data<T>();
  const WindowGeometry& g = s.geometry;
  const int64_t in_size = g.in_size(), out_size = g.out_size();
  const int64_t rows = s.in_group() * g.kernel_size();  // GEMM K
  const int64_t mg = s.out_group();
  const bool pointwise = is_pointwise(g);
  const int64_t items = s.batch * s.group;
  std::atomic<int> failure{0};
  std::atomic<bool> no_memory{false};
  // Operands of pair `item`; col == nullptr for a pointwise conv.
  auto operands = [&](int64_t item, T* col) {
    const int64_t n = item / s.group, grp = item % s.group;
    const T* image = x + (n * s.in_channels + grp * s.in_group()) * in_size;
    if (col != nullptr) unfold<T, false>(image, g.in, g.out, g, s.in_group(), col);
    dense::GemmOperands<T> ops;
    ops.a = w + grp * mg * rows;
    ops.b = col != nullptr ? col : image;
    ops.y = y + (n * s.out_channels + grp * mg) * out_size;
    ops.m = mg;
    ops.n = out_size;
    ops.k = rows;
    return ops;
  };
  if (rows == 0) {
    for (int64_t i = 0; i < ctx.output(0).numel(); ++i) y[i] = T(0);
  } else if (items >= ctx.num_threads()) {
    ctx.parallel_for(items, 1, [&](int64_t begin, int64_t end) {
      T* col = pointwise ? nullptr : scratch_buffer<T>(static_cast<size_t>(rows * out_size));
      if (!pointwise && col == nullptr) {
        no_memory.store(true);
        return;
      }
      for (int64_t item = begin; item < end; ++item) {
        const dense::GemmOperands<T> ops = operands(item, col);
        if (const int status = multiply(ops, whole(ops)); status != 0) failure.store(status);
        add_bias(ops.y, bias == nullptr ? nullptr : bias + (item % s.group) * mg, mg, out_size);
      }
    });
  } else {
    T* col = pointwise ? nullptr : scratch_buffer<T>(static_cast<size_t>(rows * out_size));
    if (!pointwise && col == nullptr) no_memory.store(true);
    for (int64_t item = 0; item < items && !no_memory.load(); ++item) {
      const dense::GemmOperands<T> ops = operands(item, col);
      const dense::TilePlan tiles = dense::plan_tiles(1, mg, out_size, rows, ctx.num_threads());
      ctx.parallel_for(tiles.count(), tiles.grain, [&](int64_t begin, int64_t end) {
        for (int64_t t = begin; t < end; ++t) {
          if (const int status = multiply(ops, tiles.tile(t)); status != 0) failure.store(status);
        }
      });
      add_bias(ops.y, bias == nullptr ? nullptr : bias + (item % s.group) * mg, mg, out_size);
    }
  }
  if (no_memory.load()) {
    return ctx.error(StatusCode::kInternal, "cannot allocate {} elements for im2col", rows * out_size);
  }
  if (const int status = failure.load(); status != 0) {
    return ctx.error(StatusCode::kInternal, "oneDNN sgemm failed ({})", dense::sgemm_status_name(status));
  }
  return Status::ok();
}

class ConvKernel final : public Kernel {
 public:
  explicit ConvKernel(const ir::Node& node) : attrs_(WindowAttributes::from(node)) {}

  Status prepare(const PrepareContext& /*ctx*/) override { return attrs_.status(); }

  Status compute(KernelContext& ctx) const override {
    if (ctx.output(0).numel() == 0) return Status::ok();
    const Tensor* b = ctx.input(2);
    RI_ASSIGN_OR_RETURN(const ConvShape s, bind_conv(ctx.node(), *attrs_, false, ctx.input(0)->shape(),
                                                     ctx.input(1)->shape(), b ? &b->shape() : nullptr));
    return dispatch<kFloats>(ctx.input(0)->dtype(), [&](auto tag) -> Status {
      return run_conv<decltype(tag)>(s, ctx);
    });
  }

 private:
  Result<WindowAttributes> attrs_;
};

}  // namespace

Status infer_conv(InferContext& ctx) { return infer_conv_like(ctx, false); }

std::unique_ptr<Kernel> make_conv(const ir::Node& node) { return std::make_unique<ConvKernel>(node); }

}  // namespace recinfer::kernels
