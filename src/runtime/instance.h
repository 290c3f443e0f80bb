// Instance: one model replica of an Engine — its own thread pool (pinned to its CPU set), one
// executor per input-shape binding (arena + input staging buffer), the core limit applied per
// step, and counters. Weights and plans are shared with the other instances. Not thread-safe:
// the Engine's scheduler gives an instance to one caller at a time; counters() may be read from
// any thread.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "recinfer/engine.h"
#include "runtime/engine_core_limit.h"
#include "runtime/engine_plans.h"
#include "runtime/executor.h"
#include "runtime/staging.h"
#include "runtime/thread_pool.h"

namespace recinfer::profiler {
class Recorder;  // src/profiler/recorder.h
}  // namespace recinfer::profiler

namespace recinfer::runtime {

struct InstanceConfig {
  int threads = 1;        // the calling thread included
  std::vector<int> cpus;  // workers pinned to cpus[1..] (the caller is pinned by the Engine)
  CoreLimit core_limit;
  InputStaging staging = InputStaging::kBatched;
  size_t max_executors = 32;
};

struct InstanceCounters {
  std::atomic<uint64_t> inferences{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> copies{0};
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> staging_ns{0};
  std::atomic<uint64_t> busy_ns{0};
  std::atomic<uint64_t> executors{0};
  DurationHistogram staging_time;
  void reset();
};

class Instance {
 public:
  Instance(std::shared_ptr<const CompiledGraph> graph, PlanCache& plans, InstanceConfig config);
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  // Runs one checked request on the calling thread with this instance's workers; copies the
  // outputs into `outputs` (see Engine::run). `submitted_ns` (steady_clock; 0 = unknown) is when
  // the request arrived, for the profiler's queue wait.
  Status run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs,
             int64_t submitted_ns = 0);
  // Records this instance's requests into `recorder` (nullptr: off). Only while no request runs.
  void set_recorder(profiler::Recorder* recorder) { recorder_ = recorder; }
  // Sets up the executor for these input shapes without running.
  Status prepare(const std::vector<Tensor>& inputs);

  const InstanceConfig& config() const { return config_; }
  const InstanceCounters& counters() const { return counters_; }
  InstanceCounters& counters() { return counters_; }
  // Tests: observe the thread cap every parallel chunk runs under.
  void set_probe(ParallelProbe* probe) { parallel_.set_probe(probe); }

 private:
  struct Entry;
  Result<Entry*> entry_for(const std::vector<Tensor>& inputs);
  Result<std::unique_ptr<Entry>> make_entry(const std::vector<Tensor>& inputs);
  Status fit_staging(Entry& e, const std::vector<Tensor>& inputs);

  std::shared_ptr<const CompiledGraph> graph_;
  PlanCache& plans_;
  InstanceConfig config_;
  bool capped_ = false;  // whether the core limit restricts any op class below `threads`
  ThreadPool pool_;
  CappedParallelFor parallel_;
  std::vector<std::unique_ptr<Entry>> entries_;
  Entry* last_ = nullptr;
  uint64_t tick_ = 0;
  InstanceCounters counters_;
  profiler::Recorder* recorder_ = nullptr;
};

// Copies an executor's outputs into caller-owned tensors, reusing those that have the right
// dtype and shape and own their storage alone.
Status copy_outputs(const Executor& executor, std::vector<Tensor>& outputs);

}  // namespace recinfer::runtime
