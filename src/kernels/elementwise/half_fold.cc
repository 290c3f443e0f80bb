#include "kernels/elementwise/half_fold.h"

#include "kernels/elementwise/broadcast.h"
#include "kernels/half_dtype.h"

namespace recinfer::kernels {

void fold_half_inputs(KernelContext& ctx, HalfFoldFn fn) {
  Tensor& out = ctx.output(0);
  const DType dtype = out.dtype();
  uint16_t* dst = out.data<uint16_t>();
  ctx.parallel_for(out.numel(), 4096, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const Tensor& first = *ctx.input(0);
      float acc = widen_half(dtype, first.data<uint16_t>()[broadcast_offset(out.shape(), first.shape(), i)]);
      for (int k = 1; k < ctx.num_inputs(); ++k) {
        const Tensor& next = *ctx.input(k);
        acc = fn(acc, widen_half(dtype, next.data<uint16_t>()[broadcast_offset(out.shape(), next.shape(), i)]));
      }
      dst[i] = narrow_to_half(dtype, acc);
    }
  });
}

}  // namespace recinfer::kernels
