#include "kernels/elementwise/binary_kernel.h"

#include "kernels/elementwise/elementwise_common.h"

namespace recinfer::kernels {

Status broadcast_all(InferContext& ctx, Shape* out) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* first, ctx.required_input(0));
  Shape shape = first->shape;
  for (int i = 1; i < ctx.num_inputs(); ++i) {
    RI_ASSIGN_OR_RETURN(const TensorInfo* input, ctx.required_input(i));
    Shape next;
    Status status = broadcast_shapes(shape, input->shape, &next);
    if (!status.is_ok()) {
      return ctx.error(StatusCode::kInvalidArgument, "input {}: {}", i, status.message());
    }
    shape = next;
  }
  *out = shape;
  return Status::ok();
}

Status infer_broadcast_same_type(InferContext& ctx, uint32_t types, int min_inputs,
                                 int max_inputs) {
  if (ctx.num_inputs() < min_inputs || ctx.num_inputs() > max_inputs) {
    return ctx.error(StatusCode::kInvalidArgument, "expects {} to {} inputs, got {}", min_inputs,
                     max_inputs, ctx.num_inputs());
  }
  RI_ASSIGN_OR_RETURN(const TensorInfo* first, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_dtype(ctx, first->dtype, types, "input 0"));
  for (int i = 1; i < ctx.num_inputs(); ++i) {
    RI_ASSIGN_OR_RETURN(const TensorInfo* input, ctx.required_input(i));
    if (input->dtype != first->dtype) {
      return ctx.error(StatusCode::kInvalidArgument,
                       "input {} has dtype {} but input 0 has dtype {}; they must match", i,
                       dtype_name(input->dtype), dtype_name(first->dtype));
    }
  }
  Shape out;
  RI_RETURN_IF_ERROR(broadcast_all(ctx, &out));
  ctx.set_output(0, first->dtype, out);
  return Status::ok();
}

Status zero_divisor_error(KernelContext& ctx, int64_t index) {
  return ctx.error(StatusCode::kInvalidArgument,
                   "integer division by zero: divisor input 1 ({}) is 0 at flat index {}",
                   ctx.input(1)->shape().to_string(), index);
}

}  // namespace recinfer::kernels
