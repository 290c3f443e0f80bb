// PRelu and BitShift: binary ops over BinaryKernel (binary_kernel.h) with their own shape and
// attribute rules. PRelu broadcasts the slope onto X only (unidirectional: the output has X's
// shape); BitShift broadcasts both ways and picks its functor from `direction`.
#include <string>

#include "kernels/elementwise/binary_functors.h"
#include "kernels/elementwise/binary_kernel.h"
#include "kernels/elementwise/elementwise_common.h"
#include "kernels/elementwise/elementwise_ops.h"

namespace recinfer::kernels {

namespace {

// Opset 16 added int32/int64/uint32/uint64 to float16/float/double; earlier opsets compute the
// same values on them.
constexpr uint32_t kPReluTypes = kFloats | bit(DType::kInt32) | bit(DType::kInt64) |
                                 bit(DType::kUint32) | bit(DType::kUint64);

}  // namespace

Status infer_prelu(InferContext& ctx) {
  if (ctx.num_inputs() != 2) {
    return ctx.error(StatusCode::kInvalidArgument, "expects 2 inputs (X, slope), got {}",
                     ctx.num_inputs());
  }
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* slope, ctx.required_input(1));
  RI_RETURN_IF_ERROR(check_dtype(ctx, x->dtype, kPReluTypes, "input X"));
  if (slope->dtype != x->dtype) {
    return ctx.error(StatusCode::kInvalidArgument, "slope has dtype {} but X has dtype {}",
                     dtype_name(slope->dtype), dtype_name(x->dtype));
  }
  if (!broadcasts_to(slope->shape, x->shape)) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "slope of shape {} does not broadcast to X of shape {}",
                     slope->shape.to_string(), x->shape.to_string());
  }
  ctx.set_output(0, x->dtype, x->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_prelu(const ir::Node& node) {
  return make_binary<PReluFn, kPReluTypes>(node);
}
std::unique_ptr<Kernel> make_prelu_reference(const ir::Node& node) {
  return make_binary_reference<PReluFn, kPReluTypes>(node);
}

Status infer_bit_shift(InferContext& ctx) {
  const std::string direction = ctx.node().attr_string("direction", "");
  if (direction != "LEFT" && direction != "RIGHT") {
    return ctx.error(StatusCode::kInvalidArgument,
                     "attribute direction='{}' must be \"LEFT\" or \"RIGHT\"", direction);
  }
  return infer_broadcast_same_type(ctx, kUnsignedInts, 2, 2);
}

std::unique_ptr<Kernel> make_bit_shift(const ir::Node& node) {
  if (node.attr_string("direction", "") == "LEFT") {
    return make_binary<ShiftLeftFn, kUnsignedInts>(node);
  }
  return make_binary<ShiftRightFn, kUnsignedInts>(node);
}
std::unique_ptr<Kernel> make_bit_shift_reference(const ir::Node& node) {
  if (node.attr_string("direction", "") == "LEFT") {
    return make_binary_reference<ShiftLeftFn, kUnsignedInts>(node);
  }
  return make_binary_reference<ShiftRightFn, kUnsignedInts>(node);
}

}  // namespace recinfer::kernels
