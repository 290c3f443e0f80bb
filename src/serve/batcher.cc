#include "serve/batcher.h"

#include <algorithm>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "serve/batcher_buckets.h"
#include "tooling/batch_concat.h"

namespace recinfer::serve {

namespace {

// Priority 0 asks for the model's default, which ranks after every explicit level (1 first).
uint32_t effective_priority(uint32_t priority) {
  return priority == 0 ? std::numeric_limits<uint32_t>::max() : priority;
}

uint64_t elapsed_ns(std::chrono::steady_clock::time_point from,
                    std::chrono::steady_clock::time_point to) {
  return to > from ? static_cast<uint64_t>(
                         std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count())
                   : 0;
}

}  // namespace

struct DynamicBatcher::Pending {
  enum class State { kQueued, kRunning, kDone };

  std::vector<Tensor> inputs;
  int64_t rows = 0;
  uint32_t priority = 0;
  uint64_t seq = 0;
  Clock::time_point arrival;
  std::optional<Clock::time_point> deadline;
  uint64_t timeout_us = 0;

  State state = State::kQueued;  // guarded by the batcher's mutex
  std::condition_variable done_cv;
  std::optional<ServeError> error;
  FailureReason reason = FailureReason::kInternal;
  BatchedResult result;
};

bool DynamicBatcher::Order::operator()(const Pending* a, const Pending* b) const {
  if (a->priority != b->priority) return a->priority < b->priority;
  return a->seq < b->seq;
}

DynamicBatcher::DynamicBatcher(BatchRunner runner, tooling::BatchLayout layout,
                               std::vector<bool> row_outputs, BatcherOptions options,
                               std::shared_ptr<ModelMetrics> metrics)
    : runner_(std::move(runner)),
      layout_(std::move(layout)),
      row_outputs_(std::move(row_outputs)),
      options_(std::move(options)),
      metrics_(std::move(metrics)) {
  std::sort(options_.preferred_batch_sizes.begin(), options_.preferred_batch_sizes.end());
  std::sort(options_.buckets.begin(), options_.buckets.end());
  const int workers = std::max(1, options_.workers);
  for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { worker_loop(); });
}

DynamicBatcher::~DynamicBatcher() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& worker : workers_) worker.join();
  std::unique_lock<std::mutex> lock(mutex_);
  exit_cv_.wait(lock, [this] { return callers_ == 0; });
}

ServeResult<BatchedResult> DynamicBatcher::infer(std::vector<Tensor> inputs, int64_t rows,
                                                 uint32_t priority,
                                                 std::optional<uint64_t> timeout_us,
                                                 FailureReason* reason) {
  Pending p;
  p.inputs = std::move(inputs);
  p.rows = rows;
  p.priority = effective_priority(priority);
  p.arrival = Clock::now();
  p.timeout_us = options_.allow_timeout_override && timeout_us.has_value()
                     ? *timeout_us
                     : options_.default_timeout_us;
  if (p.timeout_us > 0) p.deadline = p.arrival + std::chrono::microseconds(p.timeout_us);

  std::unique_lock<std::mutex> lock(mutex_);
  ++callers_;
  struct Leave {  // runs with the lock held, before it is released
    DynamicBatcher& batcher;
    ~Leave() {
      if (--batcher.callers_ == 0) batcher.exit_cv_.notify_all();
    }
  } leave{*this};
  auto failed = [&](ErrorKind kind, FailureReason why, std::string message) {
    if (reason) *reason = why;
    return ServeResult<BatchedResult>(ServeError{kind, std::move(message)});
  };
  if (stopping_) {
    return failed(ErrorKind::kUnavailable, FailureReason::kUnavailable,
                  fmt::format("model '{}' version {} is being unloaded", options_.model,
                              options_.version));
  }
  if (options_.max_queue_size > 0 && queue_.size() >= options_.max_queue_size) {
    return failed(ErrorKind::kUnavailable, FailureReason::kRejected,
                  fmt::format("model '{}': queue full ({} requests queued, max_queue_size {}); "
                              "try again later",
                              options_.model, queue_.size(), options_.max_queue_size));
  }
  p.seq = next_seq_++;
  queue_.insert(&p);
  work_cv_.notify_one();
  while (p.state != Pending::State::kDone) {
    if (p.deadline && p.state == Pending::State::kQueued) {
      if (p.done_cv.wait_until(lock, *p.deadline) == std::cv_status::timeout &&
          p.state == Pending::State::kQueued) {
        queue_.erase(&p);
        return failed(ErrorKind::kTimeout, FailureReason::kTimeout,
                      fmt::format("model '{}': request timed out after {} us in the queue",
                                  options_.model, p.timeout_us));
      }
    } else {
      p.done_cv.wait(lock);
    }
  }
  if (p.error) {
    if (reason) *reason = p.reason;
    return ServeResult<BatchedResult>(std::move(*p.error));
  }
  return ServeResult<BatchedResult>(std::move(p.result));
}

BatcherStats DynamicBatcher::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

size_t DynamicBatcher::queued() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

void DynamicBatcher::fail(Pending& p, ErrorKind kind, FailureReason reason,
                          std::string message) const {
  p.error = ServeError{kind, std::move(message)};
  p.reason = reason;
}

void DynamicBatcher::expire_locked(Clock::time_point now) {
  for (auto it = queue_.begin(); it != queue_.end();) {
    Pending& p = **it;
    if (p.deadline && now >= *p.deadline) {
      it = queue_.erase(it);
      fail(p, ErrorKind::kTimeout, FailureReason::kTimeout,
           fmt::format("model '{}': request timed out after {} us in the queue", options_.model,
                       p.timeout_us));
      p.state = Pending::State::kDone;
      p.done_cv.notify_one();
    } else {
      ++it;
    }
  }
}

DynamicBatcher::Selection DynamicBatcher::select_locked() const {
  Selection s;
  Pending* head = *queue_.begin();
  if (options_.max_batch_size <= 0 || !options_.dynamic) {
    s.members = {head};
    s.rows = head->rows;
    s.full = true;
    return s;
  }
  for (Pending* p : queue_) {
    if (!s.members.empty() && !tooling::same_fixed_inputs(layout_, head->inputs, p->inputs)) {
      continue;  // waits for a batch of its own fixed inputs
    }
    if (!s.members.empty() && s.rows + p->rows > options_.max_batch_size) {
      s.full = true;
      break;
    }
    s.members.push_back(p);
    s.rows += p->rows;
    if (s.rows >= options_.max_batch_size) {
      s.full = true;
      break;
    }
  }
  return s;
}

bool DynamicBatcher::ready_locked(const Selection& s, Clock::time_point now,
                                  Clock::time_point* wake) const {
  if (s.full || stopping_ || options_.max_queue_delay_us == 0) return true;
  const auto& preferred = options_.preferred_batch_sizes;
  if (!preferred.empty() &&
      (s.rows >= preferred.back() ||
       std::binary_search(preferred.begin(), preferred.end(), s.rows))) {
    return true;
  }
  Clock::time_point oldest = (*queue_.begin())->arrival;
  for (const Pending* p : queue_) oldest = std::min(oldest, p->arrival);
  const Clock::time_point due = oldest + std::chrono::microseconds(options_.max_queue_delay_us);
  if (now >= due) return true;
  *wake = due;
  return false;
}

void DynamicBatcher::worker_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    if (queue_.empty()) {
      if (stopping_) return;
      work_cv_.wait(lock);
      continue;
    }
    const Clock::time_point now = Clock::now();
    expire_locked(now);
    if (queue_.empty()) continue;
    Selection selection = select_locked();
    Clock::time_point wake;
    if (!ready_locked(selection, now, &wake)) {
      work_cv_.wait_until(lock, wake);
      continue;
    }
    for (Pending* p : selection.members) {
      queue_.erase(p);
      p->state = Pending::State::kRunning;
    }
    if (!queue_.empty()) work_cv_.notify_one();  // another worker may form the next batch
    lock.unlock();
    execute(selection.members, Clock::now());
    lock.lock();
    for (Pending* p : selection.members) {
      p->state = Pending::State::kDone;
      p->done_cv.notify_one();
    }
  }
}

void DynamicBatcher::execute(const std::vector<Pending*>& batch, Clock::time_point start) {
  std::vector<int64_t> rows;
  int64_t total = 0;
  for (const Pending* p : batch) {
    rows.push_back(p->rows);
    total += p->rows;
  }
  const bool batched = options_.max_batch_size > 0;
  const int64_t padded = batched ? bucket_for(options_.buckets, total) : total;

  std::vector<Tensor> outputs;
  Status status;
  if (batch.size() == 1 && padded == total) {
    status = runner_(batch[0]->inputs, outputs);  // zero-copy: the request's own tensors
  } else {
    std::vector<const std::vector<Tensor>*> parts;
    for (const Pending* p : batch) parts.push_back(&p->inputs);
    auto joined = tooling::concat_batches(layout_, parts, padded);
    status = joined.is_ok() ? runner_(*joined, outputs) : joined.status();
  }
  if (!status.is_ok() && batch.size() > 1) {
    // Isolate the request that caused the error: the others then succeed.
    for (Pending* p : batch) execute({p}, start);
    return;
  }
  if (!status.is_ok()) {
    const bool internal = status.code() == StatusCode::kInternal;
    fail(*batch[0], internal ? ErrorKind::kInternal : ErrorKind::kBadRequest,
         internal ? FailureReason::kInternal : FailureReason::kBadRequest,
         fmt::format("model '{}': {}", options_.model, status.message()));
    return;
  }
  std::vector<std::vector<Tensor>> split;
  if (batched) {
    auto parts = tooling::split_outputs(outputs, row_outputs_, padded, rows);
    if (!parts.is_ok()) {
      for (Pending* p : batch) {
        fail(*p, ErrorKind::kInternal, FailureReason::kInternal,
             fmt::format("model '{}': {}", options_.model, parts.status().message()));
      }
      return;
    }
    split = std::move(parts).value();
  } else {
    split.assign(1, std::move(outputs));
  }
  const Clock::time_point end = Clock::now();
  for (size_t i = 0; i < batch.size(); ++i) {
    Pending& p = *batch[i];
    p.result.outputs = std::move(split[i]);
    p.result.timings.queue_ns = elapsed_ns(p.arrival, start);
    p.result.timings.compute_ns = elapsed_ns(start, end);
    p.result.timings.batch_size = padded;
  }
  if (metrics_) metrics_->batch_executed(total);
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.executions += 1;
  stats_.rows += static_cast<uint64_t>(total);
  stats_.padded_rows += static_cast<uint64_t>(padded);
  stats_.max_batch_requests = std::max<uint64_t>(stats_.max_batch_requests, batch.size());
}

}  // namespace recinfer::serve
