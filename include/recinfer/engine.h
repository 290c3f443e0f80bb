// Engine: N instances of one model served from one process — the seed's multi-instance
// parallelism (多实例并行), AI-core limit (ge.aicoreNum "cube|vector") and batched H2D
// (aclrtMemcpyBatch), mapped to a CPU (docs: /work/shared/DESIGN.md).
//
// Ownership: the Engine owns the model's weights (memory-mapped, pre-packed once by the kernels'
// prepare) and shares them, read-only, with all its instances. Each instance owns its thread
// pool (pinned to its own CPU set), one executor (arena + input staging buffer) per input-shape
// binding it has served, and its counters. Plans (static schedules per set of input shapes, i.e.
// per batch size) are built once per engine, cached and shared by the instances.
//
// Thread-safety: every member function of Engine is safe to call concurrently from any number of
// threads. run() hands the request to an idle instance, which runs it on the calling thread with
// that instance's workers; a caller waits only while all instances are busy (never while one is
// idle). inputs()/outputs()/options()/placement() return data that never changes after load().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "recinfer/session.h"
#include "recinfer/status.h"
#include "recinfer/tensor.h"

namespace recinfer {

namespace profiler {
class Recorder;  // src/profiler/recorder.h
}  // namespace profiler


// Thread caps per op class, the CPU form of ge.aicoreNum "cube|vector": `matmul` threads for
// GEMM-class ops (Gemm, FusedGemm, MatMul, DotInteraction), `vector` threads for everything else
// (gather, elementwise, reduce, compare, ...). 0 = no cap. A cap at or above the instance's
// thread count has no effect. Ops inside a Loop body run under the Loop's (vector) cap.
struct CoreLimit {
  int matmul = 0;
  int vector = 0;

  // "M|V" with positive integers (e.g. "2|1"), or "none" / "" for no cap.
  static Result<CoreLimit> parse(const std::string& text);
  std::string to_string() const;  // "2|1", or "none"
  bool active() const { return matmul > 0 || vector > 0; }
};

// How a request's input tensors reach the instance (the seed's H2D step).
enum class InputStaging {
  // --batched-input off: every input tensor is copied into the instance's staging buffer with
  // its own copy (what a naive client path does).
  kPerTensor,
  // --batched-input on: inputs that are already packed back to back in one buffer (see
  // PackedRequest) move into the instance with one copy; inputs that are not packed are bound
  // zero-copy (read in place, 0 copies).
  kBatched,
};

struct EngineOptions {
  int instances = 1;
  int cores_per_instance = 1;  // threads per instance, the calling thread included
  // Pin instance i's threads to CPUs [i*K, i*K+K) of `cpus` (wrapping when instances × K exceeds
  // the CPUs; placement().note says so). The calling thread is pinned to the instance's first
  // CPU while it runs a request and stays there afterwards (a thread that calls again usually
  // gets the same instance back, so it is not moved again).
  bool pin = true;
  std::vector<int> cpus;  // CPUs to place instances on; empty = the CPUs this process may use
  CoreLimit core_limit;
  InputStaging staging = InputStaging::kBatched;
  // Model preparation, as in SessionOptions.
  bool optimize = true;
  std::vector<std::string> disabled_passes;
  bool reference_kernels = false;
  Limits limits;  // as in SessionOptions; max_threads bounds instances x cores_per_instance
  bool allow_external_hardlinks = false;
  // Plans kept per engine (and executors per instance); the least recently used one is dropped
  // beyond this. Each distinct set of input shapes is one plan, except that the length of
  // ragged inputs — EmbeddingBag's flat id lists and per-sample weights — is left free: one plan
  // per batch size serves every id count.
  int max_plans = 32;
};

struct Placement {
  std::vector<std::vector<int>> cpus;  // per instance; empty when not pinned
  bool oversubscribed = false;         // instances × cores exceed the CPUs given
  std::string note;                    // "" or why/how CPU sets wrap
};

struct InstanceStats {
  uint64_t inferences = 0;
  uint64_t busy_ns = 0;  // time spent running requests (staging + compute + output copy)
  std::vector<int> cpus;
};

struct EngineStats {
  uint64_t inferences = 0;
  uint64_t failed = 0;
  uint64_t staging_copies = 0;  // memcpy calls that moved request inputs into an instance
  uint64_t staged_bytes = 0;    // bytes those copies moved
  uint64_t staging_ns = 0;      // time spent staging (including zero-copy binding)
  double staging_p50_ns = 0;    // median staging time of one inference (within ~6%)
  uint64_t plans_built = 0;     // plan compilations (engine-wide)
  uint64_t executors_created = 0;  // per-instance arenas set up for a plan
  int peak_in_flight = 0;       // most requests running at once
  std::vector<InstanceStats> instances;

  double copies_per_inference() const {
    return inferences ? static_cast<double>(staging_copies) / static_cast<double>(inferences) : 0.0;
  }
  double staged_bytes_per_inference() const {
    return inferences ? static_cast<double>(staged_bytes) / static_cast<double>(inferences) : 0.0;
  }
  double staging_us_per_inference() const {
    return inferences ? static_cast<double>(staging_ns) / 1e3 / static_cast<double>(inferences)
                      : 0.0;
  }
};

// A request whose input tensors live back to back in one 64-byte aligned buffer (each tensor at
// a 64-byte aligned offset, in the model's input order), so a kBatched engine stages it with one
// copy. Fill the tensors in place (allocate) or copy existing ones in once (pack), then pass
// tensors() to Engine::run as often as needed. Not thread-safe to modify while a run reads it.
class PackedRequest {
 public:
  PackedRequest() = default;
  static Result<PackedRequest> allocate(const std::vector<DType>& dtypes,
                                        const std::vector<Shape>& shapes);
  static Result<PackedRequest> pack(const std::vector<Tensor>& tensors);

  const std::vector<Tensor>& tensors() const { return tensors_; }
  Tensor& tensor(size_t i) { return tensors_[i]; }
  size_t bytes() const { return buffer_.bytes(); }

 private:
  Tensor buffer_;
  std::vector<Tensor> tensors_;  // views into buffer_
};

class Engine {
 public:
  // Loads, optimises and compiles the model once, then creates the instances and their pinned
  // thread pools. Fails on bad options (instances or cores < 1, far more threads than CPUs,
  // CPU ids this process may not use) and on anything Session::load would fail on.
  static Result<std::unique_ptr<Engine>> load(const std::string& model_path,
                                              const EngineOptions& options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const std::vector<TensorSpec>& inputs() const;
  const std::vector<TensorSpec>& outputs() const;
  const EngineOptions& options() const;
  const Placement& placement() const;
  const std::string& optimization_report() const;

  // Runs one inference on an idle instance (waiting only while every instance is busy).
  // `outputs` receives one tensor per model output, owned by the caller: tensors already in
  // `outputs` with the right dtype and shape and sole ownership of their storage are written in
  // place, so a caller that reuses its vector does not allocate; others are replaced by fresh
  // tensors. The first request with a new set of input shapes builds a plan (use prepare() to
  // do that ahead of time); later ones do not allocate when the plan is static.
  Status run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs);

  // Builds the plan for these input shapes and sets it up on every instance now, so requests of
  // this batch size never compile on the hot path. Waits for each instance to be idle in turn.
  Status prepare(const std::vector<Tensor>& example_inputs);

  EngineStats stats() const;
  void reset_stats();  // zeroes the counters (not the plan caches)

  // Profiling (`recinfer profile` with engine options): instance i records its requests — ops
  // per thread, staging copies, queue waits — into recorders[i] (one per instance; nullptr or
  // an empty vector turns recording off). Not thread-safe: call only while no request runs.
  Status set_recorders(const std::vector<profiler::Recorder*>& recorders);

  struct Impl;

 private:
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace recinfer
