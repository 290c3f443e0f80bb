#include "kernels/op_runner.h"

namespace recinfer::kernels {

Result<std::vector<Tensor>> run_node(const ir::Node& node, const std::vector<Tensor>& inputs,
                                     KernelVariant variant, ParallelFor& parallel) {
  const OpSchema* op = KernelRegistry::instance().find(node.op);
  if (op == nullptr || op->make == nullptr) {
    return unsupported("{} (opset {}) cannot run eagerly", ir::op_name(node.op), node.opset);
  }
  std::vector<TensorInfo> infos(inputs.size());
  std::vector<const TensorInfo*> info_ptrs(inputs.size(), nullptr);
  std::vector<const Tensor*> input_ptrs(inputs.size(), nullptr);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined()) continue;
    infos[i] = {inputs[i].dtype(), inputs[i].shape(), &inputs[i]};
    info_ptrs[i] = &infos[i];
    input_ptrs[i] = &inputs[i];
  }
  InferContext infer_ctx(node, info_ptrs, node.outputs.size());
  RI_RETURN_IF_ERROR(op->infer(infer_ctx));
  RI_RETURN_IF_ERROR(infer_ctx.check_outputs());

  std::vector<Tensor> outputs(node.outputs.size());
  for (size_t o = 0; o < outputs.size(); ++o) {
    const TensorInfo& info = infer_ctx.output(static_cast<int>(o));
    // Omitted outputs the op describes get storage too: kernels write them unless optional.
    if (node.outputs[o] == ir::kNoValue && info.dtype == DType::kUndefined) continue;
    if (infer_ctx.output_dynamic(static_cast<int>(o))) {
      // Placeholder with the dtype but no storage; the kernel calls allocate_output.
      outputs[o] = Tensor(info.dtype, Shape{0}, nullptr);
      continue;
    }
    RI_ASSIGN_OR_RETURN(outputs[o], Tensor::allocate(info.dtype, info.shape));
  }

  KernelFactory factory = (variant == KernelVariant::kReference && op->make_reference)
                              ? op->make_reference
                              : op->make;
  std::unique_ptr<Kernel> kernel = factory(node);
  if (!kernel) return internal_error("{}: kernel factory returned null", node.describe());
  PrepareContext prepare_ctx{node, input_ptrs, variant};
  RI_RETURN_IF_ERROR(kernel->prepare(prepare_ctx));
  KernelContext ctx(node, input_ptrs.data(), static_cast<int>(input_ptrs.size()), outputs.data(),
                    static_cast<int>(outputs.size()), parallel);
  RI_RETURN_IF_ERROR(kernel->compute(ctx));
  return outputs;
}

Result<std::vector<Tensor>> run_op(ir::OpType op, int opset,
                                   std::map<std::string, ir::Attribute, std::less<>> attributes,
                                   const std::vector<Tensor>& inputs, int num_outputs,
                                   KernelVariant variant, ParallelFor* parallel) {
  ir::Node node;
  node.name = std::string(ir::op_name(op)) + "_under_test";
  node.op = op;
  node.opset = opset;
  node.attributes = std::move(attributes);
  for (size_t i = 0; i < inputs.size(); ++i) {
    node.inputs.push_back(inputs[i].defined() ? static_cast<ir::ValueId>(i) : ir::kNoValue);
  }
  node.num_declared_inputs = static_cast<int>(inputs.size());
  for (int o = 0; o < num_outputs; ++o) {
    node.outputs.push_back(static_cast<ir::ValueId>(inputs.size()) + o);
  }
  SerialFor serial;
  return run_node(node, inputs, variant, parallel ? *parallel : serial);
}

ir::Attribute attr_int(int64_t v) {
  ir::Attribute a;
  a.kind = ir::Attribute::Kind::kInt;
  a.i = v;
  return a;
}
ir::Attribute attr_float(float v) {
  ir::Attribute a;
  a.kind = ir::Attribute::Kind::kFloat;
  a.f = v;
  return a;
}
ir::Attribute attr_string(std::string v) {
  ir::Attribute a;
  a.kind = ir::Attribute::Kind::kString;
  a.s = std::move(v);
  return a;
}
ir::Attribute attr_ints(std::vector<int64_t> v) {
  ir::Attribute a;
  a.kind = ir::Attribute::Kind::kInts;
  a.ints = std::move(v);
  return a;
}
ir::Attribute attr_floats(std::vector<float> v) {
  ir::Attribute a;
  a.kind = ir::Attribute::Kind::kFloats;
  a.floats = std::move(v);
  return a;
}
ir::Attribute attr_tensor(Tensor v) {
  ir::Attribute a;
  a.kind = ir::Attribute::Kind::kTensor;
  a.tensor = std::move(v);
  return a;
}

}  // namespace recinfer::kernels
