// Persistent intra-op thread pool. `num_threads` counts the calling thread, which always takes
// part in the work, so a pool of 1 starts no thread at all. Workers spin briefly before sleeping
// so back-to-back tiny ops do not pay a wake-up each. Nested parallel_for calls (from inside a
// chunk) run serially on the calling thread. Not reentrant across threads: one run() at a time
// (an Instance owns its pool).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "kernels/parallel.h"

namespace recinfer::runtime {

// Profiling hook, off by default: told how each thread spent a parallel job. Timestamps are
// std::chrono::steady_clock nanoseconds. Thread 0 is the calling thread, 1.. the workers; each
// call happens on the thread it describes, so implementations must not block or lock.
class WorkObserver {
 public:
  virtual ~WorkObserver() = default;
  // `thread` ran `chunks` (> 0) chunks of the job between begin and end.
  virtual void on_work(int thread, int64_t begin_ns, int64_t end_ns, int64_t chunks) = 0;
  // The calling thread, done with its chunks at begin, waited for the workers until end.
  virtual void on_join_wait(int64_t begin_ns, int64_t end_ns) = 0;
};

class ThreadPool final : public kernels::ParallelFor {
 public:
  // `cpus`: optional CPU ids to pin thread i (caller excluded) to cpus[i % size]; empty = no pinning.
  // At most 4096 threads.
  explicit ThreadPool(int num_threads, std::vector<int> cpus = {});
  ~ThreadPool() override;
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void run(int64_t n, int64_t grain, kernels::RangeFn fn) override;
  int num_threads() const override { return num_threads_; }

  // Caps the threads used by subsequent run() calls (<= num_threads); 0 = no cap.
  void set_thread_cap(int cap) { thread_cap_ = cap; }
  // Observes subsequent run() calls (null = off, the default: one branch per job and thread).
  // Set it only between run() calls.
  void set_work_observer(WorkObserver* observer) { observer_ = observer; }

 private:
  void worker_loop(int index);
  int64_t run_chunks();  // returns the number of chunks this thread ran
  void run_chunks_observed(int thread);

  int num_threads_;
  int thread_cap_ = 0;
  std::vector<std::thread> workers_;

  // The current job; written by the caller before bumping generation_.
  const kernels::RangeFn* job_fn_ = nullptr;
  int64_t job_n_ = 0;
  int64_t job_chunk_ = 1;
  WorkObserver* job_observer_ = nullptr;
  WorkObserver* observer_ = nullptr;
  std::atomic<int64_t> next_chunk_{0};
  std::atomic<int> pending_workers_{0};

  // (job counter << kWorkerBits) | workers (caller excluded) taking part in that job: one load
  // gives a worker both, so a worker left out of a job never reads the next job's fields.
  static constexpr int kWorkerBits = 12;
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
};

}  // namespace recinfer::runtime
