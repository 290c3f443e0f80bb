#include "runtime/executor.h"

namespace recinfer::runtime {

namespace {

// Binds data-dependent outputs to the slot's reusable buffer.
class DynamicKernelContext final : public kernels::KernelContext {
 public:
  DynamicKernelContext(const ir::Node& node, const Tensor* const* inputs, int num_inputs,
                       Tensor* outputs, int num_outputs, kernels::ParallelFor& parallel,
                       size_t* capacities, const Limits* limits)
      : KernelContext(node, inputs, num_inputs, outputs, num_outputs, parallel, limits),
        outputs_(outputs), capacities_(capacities) {}

  Result<Tensor*> allocate_output(int i, DType dtype, const Shape& shape) override {
    int64_t numel = 0;
    // Bounded like Tensor::allocate, so that `need` cannot wrap and reuse a small buffer.
    const auto elem = static_cast<int64_t>(std::max<size_t>(dtype_size(dtype), 1));
    if (!shape.checked_numel(&numel, kMaxTensorBytes / elem)) {
      return error(StatusCode::kInvalidArgument, "output {} has invalid or too large shape {}", i,
                   shape.to_string());
    }
    const size_t need = static_cast<size_t>(numel) * dtype_size(dtype);
    Tensor& out = outputs_[i];
    if (need <= capacities_[i] && out.owner()) {
      out = Tensor(dtype, shape, out.raw(), out.owner());
      return &out;
    }
    auto fresh = Tensor::allocate(dtype, shape, limits().max_tensor_bytes);
    if (!fresh.is_ok()) return fresh.status().with_context(node().describe());
    out = std::move(fresh).value();
    capacities_[i] = std::max<size_t>(need, 1);
    return &out;
  }

 private:
  Tensor* outputs_;
  size_t* capacities_;
};

}  // namespace

Result<std::unique_ptr<Executor>> Executor::create(std::shared_ptr<const CompiledGraph> graph,
                                                   std::shared_ptr<const Plan> plan,
                                                   const Limits* limits) {
  std::unique_ptr<Executor> ex(new Executor(std::move(graph), std::move(plan)));
  const Plan& p = *ex->plan_;
  ex->limits_ = limits != nullptr ? *limits : p.limits;
  if (p.arena_bytes > 0) {
    RI_ASSIGN_OR_RETURN(ex->arena_, Tensor::allocate(DType::kUint8,
                                                     Shape{static_cast<int64_t>(p.arena_bytes)},
                                                     ex->limits_.arena_limit()));
  }
  ex->tensors_.resize(p.slots.size());
  ex->dynamic_capacity_.assign(p.slots.size(), 0);
  for (size_t s = 0; s < p.slots.size(); ++s) {
    const Slot& slot = p.slots[s];
    if (slot.kind == SlotKind::kConstant) {
      ex->tensors_[s] = slot.constant;
    } else if (slot.kind == SlotKind::kArena) {
      ex->tensors_[s] = Tensor(slot.dtype, slot.shape, ex->arena_.data<uint8_t>() + slot.offset,
                               ex->arena_.owner());
    } else if (slot.kind == SlotKind::kDynamic) {
      ex->tensors_[s] = Tensor(slot.dtype, Shape{0}, nullptr);
    }
  }
  for (const Step& step : p.steps) {
    ex->step_input_offset_.push_back(ex->step_inputs_.size());
    for (int s : step.input_slots) {
      ex->step_inputs_.push_back(s < 0 ? nullptr : &ex->tensors_[static_cast<size_t>(s)]);
    }
  }
  return ex;
}

Status Executor::run_dynamic_step(int t, const Tensor* const* inputs,
                                  kernels::ParallelFor& parallel, StepObserver* observer) {
  const Step& step = plan_->steps[static_cast<size_t>(t)];
  const ir::Node& node = graph_->graph().nodes[static_cast<size_t>(step.node)];
  std::vector<kernels::TensorInfo> infos(step.input_slots.size());
  std::vector<const kernels::TensorInfo*> info_ptrs(step.input_slots.size(), nullptr);
  for (size_t i = 0; i < step.input_slots.size(); ++i) {
    if (inputs[i] == nullptr) continue;
    infos[i] = {inputs[i]->dtype(), inputs[i]->shape(), inputs[i]};
    info_ptrs[i] = &infos[i];
  }
  kernels::InferContext ictx(node, info_ptrs, node.outputs.size());
  Status st = graph_->infer(static_cast<size_t>(step.node))(ictx);
  if (!st.is_ok()) {
    return st.message().rfind("node '", 0) == 0 ? st : st.with_context(node.describe());
  }
  RI_RETURN_IF_ERROR(ictx.check_outputs());
  Tensor* outputs = &tensors_[static_cast<size_t>(step.first_output_slot)];
  size_t* capacities = &dynamic_capacity_[static_cast<size_t>(step.first_output_slot)];
  DynamicKernelContext ctx(node, inputs, static_cast<int>(step.input_slots.size()), outputs,
                           step.num_outputs, parallel, capacities, &limits_);
  for (int o = 0; o < step.num_outputs; ++o) {
    const kernels::TensorInfo& info = ictx.output(o);
    // Omitted outputs the op describes get storage too (see PlanBuilder::plan_node).
    if (node.outputs[static_cast<size_t>(o)] == ir::kNoValue && info.dtype == DType::kUndefined) {
      continue;
    }
    if (ictx.output_dynamic(o)) {
      // Keep the reusable buffer; the kernel sizes it through allocate_output.
      outputs[o] = Tensor(info.dtype, Shape{0}, outputs[o].raw(), outputs[o].owner());
      continue;
    }
    RI_ASSIGN_OR_RETURN(Tensor * bound, ctx.allocate_output(o, info.dtype, info.shape));
    (void)bound;
  }
  if (observer) observer->on_step_planned(t);
  return graph_->kernel(static_cast<size_t>(step.node)).compute(ctx);
}

Status Executor::run(const Tensor* const* inputs, size_t num_inputs, kernels::ParallelFor& parallel,
                     StepObserver* observer) {
  const Plan& p = *plan_;
  if (num_inputs != p.input_slots.size()) {
    return invalid_argument("expected {} inputs, got {}", p.input_slots.size(), num_inputs);
  }
  for (size_t i = 0; i < num_inputs; ++i) tensors_[static_cast<size_t>(p.input_slots[i])] = *inputs[i];
  for (int s : p.input_view_slots) {  // views of this run's inputs: no copy, no allocation
    const Slot& slot = p.slots[static_cast<size_t>(s)];
    const Tensor& root = tensors_[static_cast<size_t>(slot.view_of)];
    tensors_[static_cast<size_t>(s)] = Tensor(slot.dtype, slot.shape, const_cast<void*>(root.raw()), root.owner());
  }
  const auto& nodes = graph_->graph().nodes;
  for (size_t t = 0; t < p.steps.size(); ++t) {
    Status st;
    if (observer == nullptr) [[likely]] {
      st = run_step(t, parallel, nullptr);
    } else {
      observer->on_step_begin(static_cast<int>(t));
      st = run_step(t, parallel, observer);
      observer->on_step_end(static_cast<int>(t));
    }
    if (!st.is_ok()) {
      const ir::Node& node = nodes[static_cast<size_t>(p.steps[t].node)];
      return st.message().rfind("node '", 0) == 0 ? st : st.with_context(node.describe());
    }
  }
  return Status::ok();
}

Status Executor::run_step(size_t t, kernels::ParallelFor& parallel, StepObserver* observer) {
  const Step& step = plan_->steps[t];
  const Tensor* const* step_inputs = step_inputs_.data() + step_input_offset_[t];
  if (step.dynamic) return run_dynamic_step(static_cast<int>(t), step_inputs, parallel, observer);
  const ir::Node& node = graph_->graph().nodes[static_cast<size_t>(step.node)];
  kernels::KernelContext ctx(node, step_inputs, static_cast<int>(step.input_slots.size()),
                             &tensors_[static_cast<size_t>(step.first_output_slot)],
                             step.num_outputs, parallel, &limits_);
  return graph_->kernel(static_cast<size_t>(step.node)).compute(ctx);
}

}  // namespace recinfer::runtime
