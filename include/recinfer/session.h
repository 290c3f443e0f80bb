// Session: one loaded model, ready to run. The public entry point of the engine.
//
// Ownership: the Session owns the model's weights (memory-mapped or copied, 64-byte aligned),
// its compiled kernels, one plan per distinct set of input shapes, and its thread pool.
// Thread-safety: run() must not be called concurrently on one Session; use one Session per
// caller thread, or an Engine (recinfer/engine.h), which is thread-safe and shares the weights
// between its instances.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "recinfer/limits.h"
#include "recinfer/status.h"
#include "recinfer/tensor.h"

namespace recinfer {

namespace profiler {
class Recorder;  // src/profiler/recorder.h
}

struct SessionOptions {
  int num_threads = 1;          // intra-op threads, the calling thread included
  std::vector<int> cpus;        // optional CPU ids to pin worker threads to
  bool reference_kernels = false;  // naive reference kernels everywhere (for bisecting)
  bool optimize = true;            // run the graph passes (src/passes/) at load
  std::vector<std::string> disabled_passes;  // pass names to skip (`recinfer optimize --list`)
  Limits limits;  // tensor, arena, Loop and thread limits (recinfer/limits.h)
  // External-data files with more than one hard link are refused by default: a hard link to a
  // file outside the model folder passes the folder check. Set to read them anyway.
  bool allow_external_hardlinks = false;
};

struct TensorSpec {
  std::string name;
  DType dtype = DType::kUndefined;
  std::vector<int64_t> dims;           // -1 where the model leaves the dimension symbolic
  std::vector<std::string> dim_names;  // symbol per dimension ("" when fixed or unnamed)
  bool has_shape = false;              // false when the model declares no shape at all
};

struct SessionStats {
  size_t plans = 0;            // distinct input-shape bindings compiled so far
  size_t arena_bytes = 0;      // of the most recently used plan
  int static_steps = 0;
  int dynamic_steps = 0;
  int folded_nodes = 0;
};

class Session {
 public:
  static Result<std::unique_ptr<Session>> load(const std::string& model_path,
                                               const SessionOptions& options = {});
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const std::vector<TensorSpec>& inputs() const;
  const std::vector<TensorSpec>& outputs() const;

  // Runs one inference on `inputs` (in the model's input order). On success `outputs` holds one
  // tensor per model output: views into session memory, valid until the next run() — copy them
  // to keep them. The first run with a new set of input shapes compiles a plan (allocates);
  // later runs with those shapes do not allocate when the plan is fully static.
  Status run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs);
  // run() with `recorder` timing the staging, every step (and the re-planning of dynamic steps)
  // and every thread's share of each parallel job. The recorder must outlive the call; run()
  // itself records nothing and pays nothing for this.
  Status run_profiled(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs,
                      profiler::Recorder& recorder);

  SessionStats stats() const;
  // What the graph passes did at load: per pass its matches and sites, node and dynamic-op
  // counts before and after ("" when optimize was off).
  const std::string& optimization_report() const;

  struct Impl;

 private:
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace recinfer
