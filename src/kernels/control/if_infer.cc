// If's shape inference (its kernel runs a branch subgraph and so lives in the runtime:
// runtime/if_kernel.cc). Outputs are dynamic: which branch runs is data, and the branches may
// produce different shapes. An If whose condition is a constant is inlined by the if-folding
// pass instead, so static plans never meet it.
#include "kernels/control/control_infer.h"

namespace recinfer::kernels {

Status infer_if(InferContext& ctx) {
  const ir::Node& node = ctx.node();
  const ir::Graph* then_branch = node.attr_graph("then_branch");
  const ir::Graph* else_branch = node.attr_graph("else_branch");
  if (then_branch == nullptr || else_branch == nullptr) {
    return ctx.error(StatusCode::kInvalidArgument, "needs 'then_branch' and 'else_branch' graphs");
  }
  RI_ASSIGN_OR_RETURN(const TensorInfo* cond, ctx.required_input(0));
  if (cond->dtype != DType::kBool || cond->shape.numel() != 1) {
    return ctx.error(StatusCode::kInvalidArgument, "cond must be one bool, got {} {}",
                     dtype_name(cond->dtype), cond->shape.to_string());
  }
  for (const ir::Graph* branch : {then_branch, else_branch}) {
    if (static_cast<int>(branch->outputs.size()) != ctx.num_outputs()) {
      return ctx.error(StatusCode::kInvalidArgument, "branch '{}' has {} outputs, the node {}",
                       branch->name, branch->outputs.size(), ctx.num_outputs());
    }
  }
  for (int o = 0; o < ctx.num_outputs(); ++o) {
    const auto k = static_cast<size_t>(o);
    const DType then_dtype = then_branch->value(then_branch->outputs[k]).dtype;
    const DType else_dtype = else_branch->value(else_branch->outputs[k]).dtype;
    if (then_dtype == DType::kUndefined && else_dtype == DType::kUndefined) {
      // Sequence and optional outputs carry no tensor type.
      return ctx.error(StatusCode::kUnsupported, "output {} has no tensor type in either branch",
                       o);
    }
    ctx.set_output_dynamic(o, then_dtype != DType::kUndefined ? then_dtype : else_dtype);
  }
  return Status::ok();
}

}  // namespace recinfer::kernels
