// build_plan: shape inference over the graph with the bound input shapes, constant folding of
// shape subgraphs, aliasing of view ops, and static memory planning of everything else.
#include <algorithm>

#include "kernels/op_runner.h"
#include "kernels/registry.h"
#include "planner/memory_planner.h"
#include "runtime/plan.h"

namespace recinfer::runtime {

namespace {

Status with_node_context(const Status& status, const ir::Node& node) {
  if (status.is_ok() || status.message().rfind("node '", 0) == 0) return status;
  return status.with_context(node.describe());
}

class PlanBuilder {
 public:
  PlanBuilder(const CompiledGraph& graph, const PlanOptions& options)
      : cg_(graph), g_(graph.graph()), options_(options), plan_(std::make_shared<Plan>()) {}

  Result<std::shared_ptr<const Plan>> build(const std::vector<std::optional<InputBinding>>& inputs);

 private:
  int add_slot(Slot slot) {
    plan_->slots.push_back(std::move(slot));
    return static_cast<int>(plan_->slots.size()) - 1;
  }
  Status bind_inputs(const std::vector<std::optional<InputBinding>>& inputs);
  void bind_constants();
  Status plan_node(int n);
  Status check_planned_size(const ir::Node& node, const std::string& output,
                            const Slot& slot) const;
  Result<bool> try_fold(int n, const std::vector<const kernels::TensorInfo*>& infos);
  void assign_memory();

  const CompiledGraph& cg_;
  const ir::Graph& g_;
  PlanOptions options_;
  std::shared_ptr<Plan> plan_;
  std::vector<kernels::TensorInfo> info_;  // per slot
  std::vector<char> known_;                // per slot: dtype+shape known at plan time
  std::vector<char> free_length_;          // per slot: a ragged input (length varies per run)
  std::vector<int> alias_root_;            // per slot
};

Status PlanBuilder::bind_inputs(const std::vector<std::optional<InputBinding>>& inputs) {
  std::vector<ir::ValueId> ids = g_.inputs;
  ids.insert(ids.end(), g_.captures.begin(), g_.captures.end());
  if (inputs.size() != ids.size()) {
    return invalid_argument("plan expects {} inputs, got {}", ids.size(), inputs.size());
  }
  for (size_t k = 0; k < ids.size(); ++k) {
    Slot slot;
    slot.kind = SlotKind::kInput;
    slot.input_index = static_cast<int>(k);
    if (inputs[k]) {
      slot.dtype = inputs[k]->dtype;
      slot.shape = inputs[k]->shape;
    }
    int s = add_slot(slot);
    plan_->value_slot[static_cast<size_t>(ids[k])] = s;
    plan_->input_slots.push_back(s);
    info_[static_cast<size_t>(s)] = {slot.dtype, slot.shape, nullptr};
    known_[static_cast<size_t>(s)] = inputs[k].has_value();
    free_length_[static_cast<size_t>(s)] = inputs[k].has_value() && inputs[k]->free_length;
  }
  return Status::ok();
}

void PlanBuilder::bind_constants() {
  for (size_t v = 0; v < g_.values.size(); ++v) {
    const ir::Value& value = g_.values[v];
    if (!value.constant || plan_->value_slot[v] >= 0) continue;
    Slot slot;
    slot.kind = SlotKind::kConstant;
    slot.dtype = value.constant->dtype();
    slot.shape = value.constant->shape();
    slot.constant = *value.constant;
    int s = add_slot(slot);
    plan_->value_slot[v] = s;
    info_[static_cast<size_t>(s)] = {slot.dtype, slot.shape, &plan_->slots[static_cast<size_t>(s)].constant};
    known_[static_cast<size_t>(s)] = 1;
  }
}

Result<bool> PlanBuilder::try_fold(int n, const std::vector<const kernels::TensorInfo*>& infos) {
  const ir::Node& node = g_.nodes[static_cast<size_t>(n)];
  if (node.op == ir::OpType::kLoop) return false;
  // Shape only reads its input's shape, so a known shape is enough to fold it.
  const bool shape_only = node.op == ir::OpType::kShape;
  std::vector<Tensor> inputs(infos.size());
  for (size_t i = 0; i < infos.size(); ++i) {
    if (infos[i] == nullptr) continue;
    if (infos[i]->value != nullptr) {
      inputs[i] = *infos[i]->value;
    } else if (shape_only) {
      inputs[i] = Tensor(infos[i]->dtype, infos[i]->shape, nullptr);
    } else {
      return false;
    }
  }
  kernels::SerialFor serial;
  RI_ASSIGN_OR_RETURN(std::vector<Tensor> outputs, kernels::run_node(node, inputs, cg_.variant(), serial));
  for (size_t o = 0; o < node.outputs.size(); ++o) {
    if (node.outputs[o] == ir::kNoValue) continue;
    Slot slot;
    slot.kind = SlotKind::kConstant;
    slot.dtype = outputs[o].dtype();
    slot.shape = outputs[o].shape();
    slot.constant = outputs[o];
    int s = add_slot(slot);
    plan_->value_slot[static_cast<size_t>(node.outputs[o])] = s;
    info_[static_cast<size_t>(s)] = {slot.dtype, slot.shape, &plan_->slots[static_cast<size_t>(s)].constant};
    known_[static_cast<size_t>(s)] = 1;
  }
  ++plan_->stats.folded_nodes;
  return true;
}

Status PlanBuilder::plan_node(int n) {
  const ir::Node& node = g_.nodes[static_cast<size_t>(n)];
  Step step;
  step.node = n;
  bool inputs_known = true;
  bool all_constant = true;
  std::vector<const kernels::TensorInfo*> infos;
  for (ir::ValueId in : node.inputs) {
    if (in == ir::kNoValue) {
      step.input_slots.push_back(-1);
      infos.push_back(nullptr);
      continue;
    }
    int s = plan_->value_slot[static_cast<size_t>(in)];
    if (s < 0) {
      return internal_error("{}: input '{}' used before it is produced", node.describe(),
                            g_.value(in).name);
    }
    step.input_slots.push_back(s);
    infos.push_back(&info_[static_cast<size_t>(s)]);
    inputs_known = inputs_known && known_[static_cast<size_t>(s)];
    all_constant = all_constant && info_[static_cast<size_t>(s)].value != nullptr;
  }

  kernels::InferContext ictx(node, infos, node.outputs.size());
  bool dynamic = !inputs_known;
  if (inputs_known) {
    RI_RETURN_IF_ERROR(with_node_context(cg_.infer(static_cast<size_t>(n))(ictx), node));
    RI_RETURN_IF_ERROR(ictx.check_outputs());
    for (size_t o = 0; o < node.outputs.size(); ++o) {
      dynamic = dynamic || ictx.output_dynamic(static_cast<int>(o));
    }
  }
  // Shape of a ragged input is a run-time value: folding it would bind the plan to one length.
  const bool shape_of_ragged = node.op == ir::OpType::kShape && !step.input_slots.empty() &&
                               step.input_slots[0] >= 0 &&
                               free_length_[static_cast<size_t>(step.input_slots[0])];
  // Random ops are never folded: each run draws anew.
  if (!dynamic && !shape_of_ragged && !kernels::is_nondeterministic_op(node.op) &&
      (all_constant || node.op == ir::OpType::kShape)) {
    bool small = true;
    for (size_t o = 0; o < node.outputs.size(); ++o) {
      small = small && ictx.output(static_cast<int>(o)).shape.numel() <= options_.fold_max_elements;
    }
    if (small) {
      RI_ASSIGN_OR_RETURN(bool folded, try_fold(n, infos));
      if (folded) return Status::ok();
    }
  }

  if (!dynamic && kernels::is_view_op(node.op) && node.outputs.size() == 1 &&
      node.outputs[0] != ir::kNoValue && !step.input_slots.empty() && step.input_slots[0] >= 0) {
    const Slot& source = plan_->slots[static_cast<size_t>(step.input_slots[0])];
    const int root = source.kind == SlotKind::kInput       ? step.input_slots[0]
                     : source.kind == SlotKind::kInputView ? source.view_of
                                                           : -1;
    // A ragged input's length differs per run, so a view of it cannot keep a planned shape.
    if (root >= 0 && !free_length_[static_cast<size_t>(root)]) {
      Slot slot;
      slot.kind = SlotKind::kInputView;
      slot.dtype = ictx.output(0).dtype;
      slot.shape = ictx.output(0).shape;
      slot.view_of = root;
      const int s = add_slot(slot);
      plan_->value_slot[static_cast<size_t>(node.outputs[0])] = s;
      plan_->input_view_slots.push_back(s);
      info_[static_cast<size_t>(s)] = {slot.dtype, slot.shape, nullptr};
      known_[static_cast<size_t>(s)] = 1;
      ++plan_->stats.input_views;
      return Status::ok();
    }
  }

  step.dynamic = dynamic;
  step.first_output_slot = static_cast<int>(plan_->slots.size());
  step.num_outputs = static_cast<int>(node.outputs.size());
  for (size_t o = 0; o < node.outputs.size(); ++o) {
    Slot slot;
    ir::ValueId out = node.outputs[o];
    // An omitted output still gets storage when the op describes it: kernels write their
    // outputs unconditionally (optional ones excepted, behind has_output), so a null buffer
    // would be written through. Read by no one, it lives for this step only.
    if (out == ir::kNoValue && (!inputs_known || ictx.output(static_cast<int>(o)).dtype ==
                                                     DType::kUndefined)) {
      add_slot(slot);  // keeps the node's outputs consecutive
      continue;
    }
    if (dynamic) {
      slot.kind = SlotKind::kDynamic;
      slot.dtype = inputs_known ? ictx.output(static_cast<int>(o)).dtype : g_.value(out).dtype;
    } else {
      slot.kind = SlotKind::kArena;
      slot.dtype = ictx.output(static_cast<int>(o)).dtype;
      slot.shape = ictx.output(static_cast<int>(o)).shape;
      const std::string name = out == ir::kNoValue ? fmt::format("(omitted output {})", o)
                                                   : g_.value(out).name;
      RI_RETURN_IF_ERROR(check_planned_size(node, name, slot));
    }
    int s = add_slot(slot);
    if (out == ir::kNoValue) continue;
    plan_->value_slot[static_cast<size_t>(out)] = s;
    info_[static_cast<size_t>(s)] = {slot.dtype, slot.shape, nullptr};
    known_[static_cast<size_t>(s)] = !dynamic;
    if (!dynamic && o == 0 && kernels::is_view_op(node.op) && step.input_slots[0] >= 0 &&
        plan_->slots[static_cast<size_t>(step.input_slots[0])].kind == SlotKind::kArena) {
      alias_root_[static_cast<size_t>(s)] = alias_root_[static_cast<size_t>(step.input_slots[0])];
      ++plan_->stats.aliased_values;
    }
  }
  if (dynamic) ++plan_->stats.dynamic_steps;
  plan_->steps.push_back(std::move(step));
  return Status::ok();
}

Status PlanBuilder::check_planned_size(const ir::Node& node, const std::string& output,
                                       const Slot& slot) const {
  const uint64_t max_bytes = options_.limits.max_tensor_bytes;
  const auto elem = static_cast<int64_t>(dtype_size(slot.dtype));
  int64_t numel = 0;
  const bool fits = slot.shape.checked_numel(&numel, INT64_MAX / std::max<int64_t>(elem, 1));
  if (fits && static_cast<uint64_t>(numel) * static_cast<uint64_t>(elem) <= max_bytes) {
    return Status::ok();
  }
  return invalid_argument(
      "{}: output '{}' of shape {} ({}) is {}, more than the tensor limit {} (raise with "
      "--max-tensor-bytes)",
      node.describe(), output, slot.shape.to_string(), dtype_name(slot.dtype),
      fits ? format_bytes(static_cast<uint64_t>(numel) * static_cast<uint64_t>(elem))
           : std::string("beyond 2^63 elements"),
      format_bytes(max_bytes));
}

void PlanBuilder::assign_memory() {
  const size_t num_slots = plan_->slots.size();
  const int end_step = static_cast<int>(plan_->steps.size());
  std::vector<int> first(num_slots, -1), last(num_slots, -1);
  for (int t = 0; t < end_step; ++t) {
    const Step& step = plan_->steps[static_cast<size_t>(t)];
    for (int o = 0; o < step.num_outputs; ++o) {
      auto root = static_cast<size_t>(alias_root_[static_cast<size_t>(step.first_output_slot + o)]);
      if (first[root] < 0) first[root] = t;
      last[root] = std::max(last[root], t);
    }
    for (int s : step.input_slots) {
      if (s < 0) continue;
      auto root = static_cast<size_t>(alias_root_[static_cast<size_t>(s)]);
      last[root] = std::max(last[root], t);
    }
  }
  for (int s : plan_->output_slots) {
    last[static_cast<size_t>(alias_root_[static_cast<size_t>(s)])] = end_step;
  }
  std::vector<planner::BufferRequest> requests;
  std::vector<size_t> request_slot;
  for (size_t s = 0; s < num_slots; ++s) {
    const Slot& slot = plan_->slots[s];
    if (slot.kind != SlotKind::kArena || alias_root_[s] != static_cast<int>(s)) continue;
    requests.push_back({static_cast<size_t>(slot.shape.numel()) * dtype_size(slot.dtype),
                        std::max(first[s], 0), std::max(last[s], first[s])});
    request_slot.push_back(s);
  }
  planner::MemoryPlan memory = planner::plan_memory(requests, kTensorAlignment);
  for (size_t r = 0; r < requests.size(); ++r) plan_->slots[request_slot[r]].offset = memory.offsets[r];
  for (size_t s = 0; s < num_slots; ++s) {
    if (plan_->slots[s].kind == SlotKind::kArena) {
      plan_->slots[s].offset = plan_->slots[static_cast<size_t>(alias_root_[s])].offset;
    }
  }
  plan_->arena_bytes = memory.arena_bytes;
}

Result<std::shared_ptr<const Plan>> PlanBuilder::build(
    const std::vector<std::optional<InputBinding>>& inputs) {
  // Upper bound on slots, reserved so pointers into slots stay valid while planning.
  size_t max_slots = g_.values.size();
  for (const ir::Node& node : g_.nodes) max_slots += node.outputs.size();
  plan_->slots.reserve(max_slots);
  info_.resize(max_slots);
  known_.assign(max_slots, 0);
  free_length_.assign(max_slots, 0);
  alias_root_.resize(max_slots);
  for (size_t s = 0; s < max_slots; ++s) alias_root_[s] = static_cast<int>(s);
  plan_->value_slot.assign(g_.values.size(), -1);

  RI_RETURN_IF_ERROR(bind_inputs(inputs));
  bind_constants();
  for (int n = 0; n < static_cast<int>(g_.nodes.size()); ++n) RI_RETURN_IF_ERROR(plan_node(n));
  for (ir::ValueId out : g_.outputs) {
    int s = plan_->value_slot[static_cast<size_t>(out)];
    if (s < 0) return internal_error("graph output '{}' is never produced", g_.value(out).name);
    plan_->output_slots.push_back(s);
  }
  assign_memory();
  plan_->limits = options_.limits;
  if (plan_->arena_bytes > options_.limits.arena_limit()) {
    return invalid_argument(
        "the plan for these input shapes needs an arena of {}, more than the arena limit {} ({})",
        format_bytes(plan_->arena_bytes), format_bytes(options_.limits.arena_limit()),
        options_.limits.max_arena_bytes > 0
            ? "set by --max-arena-bytes"
            : "this machine's memory; raise with --max-arena-bytes");
  }
  return std::shared_ptr<const Plan>(plan_);
}

}  // namespace

Result<std::shared_ptr<const Plan>> build_plan(const CompiledGraph& graph,
                                               const std::vector<std::optional<InputBinding>>& inputs,
                                               const PlanOptions& options) {
  PlanBuilder builder(graph, options);
  return builder.build(inputs);
}

}  // namespace recinfer::runtime
