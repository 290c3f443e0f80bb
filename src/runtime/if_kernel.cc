// ONNX If: runs then_branch or else_branch by the runtime value of cond and copies the branch's
// outputs out (the branch executor's buffers die with it). Both branches are compiled and planned
// once in prepare, with unknown capture shapes, so they run with dynamic shapes; an If whose cond
// is a constant never gets here: passes/if_folding.cc inlines the chosen branch.
#include <cstring>

#include "runtime/control_flow.h"
#include "runtime/executor.h"

namespace recinfer::runtime {

namespace {

struct Branch {
  std::shared_ptr<const CompiledGraph> graph;
  std::shared_ptr<const Plan> plan;
  size_t first_capture = 0;  // index into the node's inputs
};

class IfKernel final : public kernels::Kernel {
 public:
  Status prepare(const kernels::PrepareContext& ctx) override {
    // The loader and the writer append captures in attribute-name order: else, then then.
    size_t next = static_cast<size_t>(ctx.node.num_declared_inputs);
    RI_RETURN_IF_ERROR(prepare_branch(ctx, "else_branch", &else_, &next));
    RI_RETURN_IF_ERROR(prepare_branch(ctx, "then_branch", &then_, &next));
    if (next != ctx.node.inputs.size()) {
      return internal_error("{}: {} inputs, but 1 + {} captures", ctx.node.describe(),
                            ctx.node.inputs.size(), next - 1);
    }
    return Status::ok();
  }

  Status compute(kernels::KernelContext& ctx) const override {
    const Tensor* cond = ctx.input(0);
    if (cond == nullptr || cond->dtype() != DType::kBool || cond->numel() != 1) {
      return ctx.error(StatusCode::kInvalidArgument, "cond must be one bool");
    }
    const Branch& branch = cond->data<bool>()[0] ? then_ : else_;
    const ir::Graph& graph = branch.graph->graph();
    std::vector<const Tensor*> inputs(graph.captures.size());
    for (size_t c = 0; c < inputs.size(); ++c) {
      inputs[c] = ctx.input(static_cast<int>(branch.first_capture + c));
    }
    RI_ASSIGN_OR_RETURN(auto executor, Executor::create(branch.graph, branch.plan));
    RI_RETURN_IF_ERROR(executor->run(inputs.data(), inputs.size(), ctx.parallel()));
    for (int o = 0; o < ctx.num_outputs(); ++o) {
      if (ctx.node().outputs[static_cast<size_t>(o)] == ir::kNoValue) continue;
      const Tensor& value = executor->output(static_cast<size_t>(o));
      RI_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(o, value.dtype(), value.shape()));
      if (value.bytes() > 0) std::memcpy(out->raw(), value.raw(), value.bytes());
    }
    return Status::ok();
  }

 private:
  static Status prepare_branch(const kernels::PrepareContext& ctx, const char* name,
                               Branch* branch, size_t* next_capture) {
    const ir::Attribute* attr = ctx.node.attr(name);
    if (attr == nullptr || attr->kind != ir::Attribute::Kind::kGraph || !attr->graph) {
      return invalid_argument("{}: missing '{}' graph", ctx.node.describe(), name);
    }
    const std::string where = ctx.node.describe() + " " + name;
    auto compiled = CompiledGraph::compile(attr->graph, ctx.variant);
    if (!compiled.is_ok()) return compiled.status().with_context(where);
    branch->graph = std::move(compiled).value();
    const ir::Graph& graph = branch->graph->graph();
    if (!graph.inputs.empty()) {
      return invalid_argument("{}: a branch takes no inputs, got {}", where, graph.inputs.size());
    }
    std::vector<std::optional<InputBinding>> unknown(graph.captures.size());
    auto plan = build_plan(*branch->graph, unknown);
    if (!plan.is_ok()) return plan.status().with_context(where);
    branch->plan = std::move(plan).value();
    branch->first_capture = *next_capture;
    *next_capture += graph.captures.size();
    return Status::ok();
  }

  Branch then_;
  Branch else_;
};

}  // namespace

std::unique_ptr<kernels::Kernel> make_if_kernel() { return std::make_unique<IfKernel>(); }

}  // namespace recinfer::runtime
