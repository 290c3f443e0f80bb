#include "kernels/shape/view_kernel.h"

#include "kernels/shape/copy.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels::layout {

Status ViewKernel::compute(KernelContext& ctx) const {
  const Tensor& in = *ctx.input(0);
  Tensor* out = &ctx.output(0);
  if (shape_fn_ != nullptr) {
    Shape shape;
    RI_RETURN_IF_ERROR(shape_fn_(ctx, &shape));
    RI_ASSIGN_OR_RETURN(out, bind_output_shape(ctx, 0, in.dtype(), shape));
  }
  copy_bytes(ctx, out->raw(), in.raw(), in.bytes());
  return Status::ok();
}

}  // namespace recinfer::kernels::layout
