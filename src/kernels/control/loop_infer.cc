// Loop's shape inference (its kernel runs subgraphs and so lives in the runtime:
// runtime/loop_kernel.cc). Every output is dynamic: trip counts and carried shapes are data.
#include "kernels/control/control_infer.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

namespace {

Status infer_loop(InferContext& ctx) {
  const ir::Node& node = ctx.node();
  const ir::Graph* body = node.attr_graph("body");
  if (body == nullptr) return ctx.error(StatusCode::kInvalidArgument, "missing 'body' graph");
  const int num_carried = node.num_declared_inputs - 2;
  if (num_carried < 0) {
    return ctx.error(StatusCode::kInvalidArgument, "needs at least 2 inputs (M, cond), got {}",
                     node.num_declared_inputs);
  }
  if (static_cast<int>(body->inputs.size()) != num_carried + 2) {
    return ctx.error(StatusCode::kInvalidArgument, "body has {} inputs, expected {} (2 + {} carried)",
                     body->inputs.size(), num_carried + 2, num_carried);
  }
  if (static_cast<int>(body->outputs.size()) < num_carried + 1) {
    return ctx.error(StatusCode::kInvalidArgument, "body has {} outputs, expected at least {}",
                     body->outputs.size(), num_carried + 1);
  }
  for (int o = 0; o < ctx.num_outputs(); ++o) {
    DType dtype = DType::kUndefined;
    if (o < num_carried && ctx.input(2 + o) != nullptr) dtype = ctx.input(2 + o)->dtype;
    if (dtype == DType::kUndefined && 1 + o < static_cast<int>(body->outputs.size())) {
      dtype = body->value(body->outputs[static_cast<size_t>(1 + o)]).dtype;
    }
    ctx.set_output_dynamic(o, dtype);
  }
  return Status::ok();
}

}  // namespace

void register_control_flow_kernels(KernelRegistry& registry) {
  registry.add(ir::OpType::kLoop, {.infer = &infer_loop, .op_class = OpClass::kControl});
  registry.add(ir::OpType::kIf, {.infer = &infer_if, .op_class = OpClass::kControl});
}

}  // namespace recinfer::kernels
