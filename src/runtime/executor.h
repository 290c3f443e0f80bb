// Runs a Plan. Owns the arena and the per-slot tensors for one plan; reusable across runs.
// Static steps run without any heap allocation; dynamic steps infer shapes and allocate (reusing
// per-slot buffers that are already large enough). Not thread-safe: one run at a time.
#pragma once

#include <memory>
#include <vector>

#include "runtime/plan.h"

namespace recinfer::runtime {

// Called around every step when profiling; null in normal runs.
class StepObserver {
 public:
  virtual ~StepObserver() = default;
  virtual void on_step_begin(int step) = 0;
  virtual void on_step_end(int step) = 0;
  // Dynamic steps only: shape inference and output allocation (re-planning) are done and the
  // kernel is about to compute.
  virtual void on_step_planned(int step) {}
};

class Executor {
 public:
  // `limits`: what data-dependent steps are checked against; null = the plan's. (A Loop body's
  // plan is built once at prepare; its executors take the enclosing session's limits.)
  static Result<std::unique_ptr<Executor>> create(std::shared_ptr<const CompiledGraph> graph,
                                                  std::shared_ptr<const Plan> plan,
                                                  const Limits* limits = nullptr);

  // `inputs`: graph inputs then captures, matching the plan's bound shapes where they were known.
  Status run(const Tensor* const* inputs, size_t num_inputs, kernels::ParallelFor& parallel,
             StepObserver* observer = nullptr);

  size_t num_outputs() const { return plan_->output_slots.size(); }
  // Valid until the next run().
  const Tensor& output(size_t i) const {
    return tensors_[static_cast<size_t>(plan_->output_slots[i])];
  }
  const Plan& plan() const { return *plan_; }
  const CompiledGraph& graph() const { return *graph_; }
  // The tensor a slot held in the last run (its shape is what the steps saw); for profiling.
  const Tensor& slot_tensor(int slot) const { return tensors_[static_cast<size_t>(slot)]; }

 private:
  Executor(std::shared_ptr<const CompiledGraph> graph, std::shared_ptr<const Plan> plan)
      : graph_(std::move(graph)), plan_(std::move(plan)) {}
  Status run_step(size_t t, kernels::ParallelFor& parallel, StepObserver* observer);
  Status run_dynamic_step(int t, const Tensor* const* inputs, kernels::ParallelFor& parallel,
                          StepObserver* observer);

  std::shared_ptr<const CompiledGraph> graph_;
  std::shared_ptr<const Plan> plan_;
  Limits limits_;
  Tensor arena_;
  std::vector<Tensor> tensors_;               // per slot
  std::vector<const Tensor*> step_inputs_;    // flattened per-step input pointers
  std::vector<size_t> step_input_offset_;     // per step, into step_inputs_
  std::vector<size_t> dynamic_capacity_;      // per slot, bytes owned for dynamic outputs
};

}  // namespace recinfer::runtime
