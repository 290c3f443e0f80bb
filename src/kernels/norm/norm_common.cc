#include "kernels/norm/norm_common.h"

namespace recinfer::kernels::norm {

Status check_channel_param(const InferContext& ctx, int input, const char* what, DType dtype,
                           int64_t channels) {
  const TensorInfo* param = ctx.input(input);
  if (param == nullptr) {
    return ctx.error(StatusCode::kInvalidArgument, "input {} ({}) is required", input, what);
  }
  if (param->dtype != dtype) {
    return ctx.error(StatusCode::kInvalidArgument, "{} has dtype {}, expected {} like the input",
                     what, dtype_name(param->dtype), dtype_name(dtype));
  }
  if (param->shape.rank() != 1 || param->shape[0] != channels) {
    return ctx.error(StatusCode::kInvalidArgument, "{} must have shape ({}), got {}", what,
                     channels, param->shape.to_string());
  }
  return Status::ok();
}

}  // namespace recinfer::kernels::norm
