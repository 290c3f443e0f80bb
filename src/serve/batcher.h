// The dynamic batcher of one model version: a queue of validated requests ordered by priority,
// then arrival, and one worker thread per Engine instance that joins queued requests into
// batches (tooling/batch_concat.h), pads them to a plan bucket, runs them and hands each request
// its rows of the outputs.
//
// Batch forming (Triton's dynamic batcher, by hand): a worker takes the queued requests in
// order that fit max_batch_size and share the head's fixed inputs (requests with other fixed
// inputs wait for a batch of their own). It runs them at once when the batch is full (the next
// request would not fit, or max_batch_size rows), when its rows are a preferred batch size or
// reach the largest one, or when the oldest queued request has waited max_queue_delay_us;
// otherwise it waits for more requests until that moment. A model with max_batch_size 0, or
// with dynamic batching off, runs each request alone.
//
// Admission: a full queue rejects a request at once (kUnavailable, FailureReason::kRejected).
// A request's queue timeout (its own when allowed, else the default; 0 = none) fails it with
// kTimeout if it is still queued when the timeout expires: its caller wakes at that moment.
//
// Errors of a batch's run fail the requests of that batch only; a batch of several requests is
// rerun one request at a time so that only the request that caused the error fails.
//
// Thread-safety: infer() is called concurrently from any number of threads. The destructor
// refuses new requests, runs every request still queued, joins the workers and waits until every
// caller has left infer().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "recinfer/tensor.h"
#include "serve/backend.h"
#include "serve/metrics.h"
#include "tooling/batching.h"

namespace recinfer::serve {

struct BatcherOptions {
  std::string model;    // for messages
  std::string version;  // for messages
  int64_t max_batch_size = 0;  // 0 = each request alone, at its own shape
  bool dynamic = true;
  uint64_t max_queue_delay_us = 100;
  std::vector<int64_t> preferred_batch_sizes;  // sorted
  std::vector<int64_t> buckets;                // plan buckets (batcher_buckets.h), sorted
  uint64_t max_queue_size = 0;                 // 0 = unbounded
  uint64_t default_timeout_us = 0;             // 0 = none
  bool allow_timeout_override = true;
  int workers = 1;
};

// Runs one batch: inputs in model order -> outputs (Engine::run, or a fake in tests).
using BatchRunner = std::function<Status(const std::vector<Tensor>&, std::vector<Tensor>&)>;

struct BatchedResult {
  std::vector<Tensor> outputs;  // every model output, in model order
  InferTimings timings;
};

struct BatcherStats {
  uint64_t executions = 0;   // batches run
  uint64_t rows = 0;         // request rows run
  uint64_t padded_rows = 0;  // rows the runner saw (padding included)
  uint64_t max_batch_requests = 0;  // most requests joined in one batch
};

class DynamicBatcher {
 public:
  // `row_outputs[k]`: output k carries one row per batch row (split back per request); other
  // outputs are returned whole to every request of a batch. `metrics` may be null.
  DynamicBatcher(BatchRunner runner, tooling::BatchLayout layout, std::vector<bool> row_outputs,
                 BatcherOptions options, std::shared_ptr<ModelMetrics> metrics);
  ~DynamicBatcher();
  DynamicBatcher(const DynamicBatcher&) = delete;
  DynamicBatcher& operator=(const DynamicBatcher&) = delete;

  // Queues one request (inputs in model order, already validated; `rows` its batch size) and
  // blocks until it has run or failed. On failure `reason` (if not null) says why, for metrics.
  ServeResult<BatchedResult> infer(std::vector<Tensor> inputs, int64_t rows, uint32_t priority,
                                   std::optional<uint64_t> timeout_us,
                                   FailureReason* reason = nullptr);

  BatcherStats stats() const;
  size_t queued() const;
  const BatcherOptions& options() const { return options_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct Pending;
  struct Order {
    bool operator()(const Pending* a, const Pending* b) const;
  };
  struct Selection {
    std::vector<Pending*> members;
    int64_t rows = 0;
    bool full = false;
  };

  void worker_loop();
  void expire_locked(Clock::time_point now);
  Selection select_locked() const;
  bool ready_locked(const Selection& selection, Clock::time_point now,
                    Clock::time_point* wake) const;
  void execute(const std::vector<Pending*>& batch, Clock::time_point start);
  void fail(Pending& p, ErrorKind kind, FailureReason reason, std::string message) const;

  BatchRunner runner_;
  tooling::BatchLayout layout_;
  std::vector<bool> row_outputs_;
  BatcherOptions options_;
  std::shared_ptr<ModelMetrics> metrics_;

  mutable std::mutex mutex_;
  std::condition_variable work_cv_;
  std::set<Pending*, Order> queue_;
  uint64_t next_seq_ = 0;
  bool stopping_ = false;
  int callers_ = 0;  // threads inside infer(); the destructor waits for them to leave
  std::condition_variable exit_cv_;
  BatcherStats stats_;
  std::vector<std::thread> workers_;
};

}  // namespace recinfer::serve
