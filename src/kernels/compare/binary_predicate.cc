#include "kernels/compare/binary_predicate.h"

#include <array>

namespace recinfer::kernels::compare {

Status infer_binary_predicate(InferContext& ctx, uint32_t allowed, uint32_t implemented) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* a, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* b, ctx.required_input(1));
  // Before opset 7 these ops broadcast B onto A only when asked, aligned at `axis`. Without
  // `axis` that is suffix alignment, which numpy rules reproduce; with it they do not.
  if (ctx.opset() < 7 && ctx.node().has_attr("axis")) {
    return ctx.error(StatusCode::kUnsupported, "legacy broadcast attribute axis={} (opset {})",
                     ctx.node().attr_int("axis", 0), ctx.opset());
  }
  if (a->dtype != b->dtype) {
    return ctx.error(StatusCode::kInvalidArgument, "input A is {} but input B is {}",
                     dtype_name(a->dtype), dtype_name(b->dtype));
  }
  if (!dtype_in(a->dtype, allowed)) {
    return ctx.error(StatusCode::kInvalidArgument, "input dtype {} is not allowed at opset {}",
                     dtype_name(a->dtype), ctx.opset());
  }
  if (!dtype_in(a->dtype, implemented)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(a->dtype));
  }
  const std::array<Shape, 2> shapes = {a->shape, b->shape};
  const std::array<std::string_view, 2> names = {"A", "B"};
  auto shape = broadcast_shapes(shapes, names);
  if (!shape.is_ok()) return shape.status().with_context(ctx.node().describe());
  ctx.set_output(0, DType::kBool, *shape);
  return Status::ok();
}

}  // namespace recinfer::kernels::compare
