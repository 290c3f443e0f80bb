// Hardmax: 1 at the first maximum of each group (softmax_split.h's axis semantics), 0 elsewhere.
// NaN counts as the largest value, as in ArgMax. One strided scan per group, so the kernel is
// already the naive form and doubles as the reference.
#include <algorithm>

#include "kernels/dispatch.h"
#include "kernels/reduce/reduce_ops.h"
#include "kernels/reduce/softmax_split.h"
#include "kernels/reduce/value_order.h"

namespace recinfer::kernels {
namespace {

using reduce::is_nan;
using reduce::softmax_split;
using reduce::SoftmaxSplit;

template <typename T>
void hardmax_typed(const T* x, T* y, const SoftmaxSplit& split, ParallelFor& parallel) {
  const int64_t n = split.n;
  const int64_t inner = split.inner;
  const int64_t grain = std::max<int64_t>(1, 16384 / n);
  parallel.run(split.outer * inner, grain, [&](int64_t begin, int64_t end) {
    for (int64_t g = begin; g < end; ++g) {
      const int64_t base = (g / inner) * n * inner + (g % inner);
      const T* in = x + base;
      T* out = y + base;
      T best = in[0];
      int64_t best_index = 0;
      for (int64_t r = 0; r < n; ++r) {
        const T v = in[r * inner];
        if (v > best || (is_nan(v) && !is_nan(best))) {
          best = v;
          best_index = r;
        }
        out[r * inner] = T(0);
      }
      out[best_index * inner] = T(1);
    }
  });
}

class HardmaxKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    Tensor& y = ctx.output(0);
    SoftmaxSplit split;
    Status status = softmax_split(ctx.node(), x.shape(), &split);
    if (!status.is_ok()) return status.with_context(ctx.node().describe());
    if (x.numel() == 0) return Status::ok();
    return dispatch<kFloats>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      hardmax_typed<T>(x.data<T>(), y.data<T>(), split, ctx.parallel());
      return Status::ok();
    });
  }
};

}  // namespace

std::unique_ptr<Kernel> make_hardmax(const ir::Node& /*node*/) {
  return std::make_unique<HardmaxKernel>();
}

}  // namespace recinfer::kernels
