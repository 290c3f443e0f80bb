// The core limit (--core-limit M|V, the CPU form of ge.aicoreNum "cube|vector"): each step of a
// plan runs its kernel under a thread cap chosen by its op class. GEMM-class ops (Gemm,
// FusedGemm, MatMul, DotInteraction) get M threads, every other op V.
//
// Mechanism: the instance hands the executor a CappedParallelFor as the kernels' ParallelFor and
// as the step observer; before each step it sets that step's cap on the instance's pool, so
// kernels both see the cap (ctx.num_threads()) and are limited to it (parallel_for).
#pragma once

#include <algorithm>
#include <vector>

#include "recinfer/engine.h"
#include "runtime/executor.h"
#include "runtime/thread_pool.h"

namespace recinfer::runtime {

// Per step of `plan`: the thread cap of its op class (0 = none).
std::vector<int> step_thread_caps(const Plan& plan, const CompiledGraph& graph,
                                  const CoreLimit& limit);

// Test hook: told the cap in force every time a chunk of a parallel job starts, on the thread
// that runs it. Must be thread-safe.
class ParallelProbe {
 public:
  virtual ~ParallelProbe() = default;
  virtual void on_chunk(int cap) = 0;
};

class CappedParallelFor final : public kernels::ParallelFor, public StepObserver {
 public:
  explicit CappedParallelFor(ThreadPool& pool) : pool_(pool) {}

  // Caps per step for the next run (one entry per plan step); null = no caps.
  void set_step_caps(const int* caps) {
    caps_ = caps;
    set_cap(0);
  }
  void set_probe(ParallelProbe* probe) { probe_ = probe; }

  void on_step_begin(int step) override { set_cap(caps_ != nullptr ? caps_[step] : 0); }
  void on_step_end(int /*step*/) override {}

  void run(int64_t n, int64_t grain, kernels::RangeFn fn) override;
  int num_threads() const override {
    return cap_ > 0 ? std::min(cap_, pool_.num_threads()) : pool_.num_threads();
  }

 private:
  void set_cap(int cap) {
    cap_ = cap;
    pool_.set_thread_cap(cap);
  }

  ThreadPool& pool_;
  const int* caps_ = nullptr;
  int cap_ = 0;
  ParallelProbe* probe_ = nullptr;
};

}  // namespace recinfer::runtime
