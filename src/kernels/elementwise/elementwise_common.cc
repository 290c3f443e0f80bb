#include "kernels/elementwise/elementwise_common.h"

namespace recinfer::kernels {

Status check_dtype(const InferContext& ctx, DType dtype, uint32_t types, std::string_view what) {
  if (dtype_in(dtype, types)) return Status::ok();
  return ctx.error(StatusCode::kUnsupported, "{} has dtype {}, which this op does not support",
                   what, dtype_name(dtype));
}

}  // namespace recinfer::kernels
