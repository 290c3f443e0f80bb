#include "runtime/thread_pool.h"

#include "runtime/cpu_affinity.h"

#include <omp.h>

#include <algorithm>
#include <chrono>

namespace recinfer::runtime {

namespace {
thread_local bool t_in_parallel = false;
constexpr int kSpinIterations = 20000;

inline int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline void cpu_relax() {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#endif
}
}  // namespace

ThreadPool::ThreadPool(int num_threads, std::vector<int> cpus)
    : num_threads_(std::clamp(num_threads, 1, 1 << kWorkerBits)) {
  workers_.reserve(static_cast<size_t>(num_threads_ - 1));
  for (int i = 0; i < num_threads_ - 1; ++i) {
    int cpu = cpus.empty() ? -1 : cpus[static_cast<size_t>(i + 1) % cpus.size()];
    workers_.emplace_back([this, i, cpu] {
      if (cpu >= 0) {
        pin_current_thread(cpu);
      } else {
        unpin_current_thread();
      }
      // oneDNN is built on OpenMP: keep GEMM calls made from this worker single-threaded.
      omp_set_num_threads(1);
      worker_loop(i);
    });
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
    generation_.fetch_add(uint64_t{1} << kWorkerBits);
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

int64_t ThreadPool::run_chunks() {
  const int64_t chunks = (job_n_ + job_chunk_ - 1) / job_chunk_;
  int64_t ran = 0;
  for (;;) {
    int64_t c = next_chunk_.fetch_add(1, std::memory_order_relaxed);
    if (c >= chunks) break;
    int64_t begin = c * job_chunk_;
    int64_t end = std::min(job_n_, begin + job_chunk_);
    (*job_fn_)(begin, end);
    ++ran;
  }
  return ran;
}

void ThreadPool::run_chunks_observed(int thread) {
  const int64_t begin = now_ns();
  const int64_t ran = run_chunks();
  if (ran > 0) job_observer_->on_work(thread, begin, now_ns(), ran);
}

void ThreadPool::worker_loop(int index) {
  uint64_t seen = 0;
  for (;;) {
    uint64_t gen = generation_.load(std::memory_order_acquire);
    for (int spin = 0; gen == seen && spin < kSpinIterations; ++spin) {
      cpu_relax();
      gen = generation_.load(std::memory_order_acquire);
    }
    if (gen == seen) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
      gen = generation_.load(std::memory_order_acquire);
    }
    seen = gen;
    if (stop_.load()) return;
    const auto job_workers = static_cast<int>(gen & ((uint64_t{1} << kWorkerBits) - 1));
    if (index < job_workers) {
      t_in_parallel = true;
      if (job_observer_ == nullptr) {
        run_chunks();
      } else {
        run_chunks_observed(index + 1);
      }
      t_in_parallel = false;
      pending_workers_.fetch_sub(1, std::memory_order_acq_rel);
    }
  }
}

void ThreadPool::run(int64_t n, int64_t grain, kernels::RangeFn fn) {
  if (n <= 0) return;
  grain = std::max<int64_t>(1, grain);
  int threads = thread_cap_ > 0 ? std::min(thread_cap_, num_threads_) : num_threads_;
  const int64_t max_useful = (n + grain - 1) / grain;
  threads = static_cast<int>(std::min<int64_t>(threads, max_useful));
  if (threads <= 1 || t_in_parallel || workers_.empty()) {
    fn(0, n);
    return;
  }
  // A few chunks per thread balance uneven work without much scheduling overhead.
  int64_t chunk = std::max(grain, (n + threads * 4 - 1) / (threads * 4));
  job_fn_ = &fn;
  job_n_ = n;
  job_chunk_ = chunk;
  job_observer_ = observer_;
  next_chunk_.store(0, std::memory_order_relaxed);
  pending_workers_.store(threads - 1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const uint64_t counter = (generation_.load(std::memory_order_relaxed) >> kWorkerBits) + 1;
    generation_.store((counter << kWorkerBits) | static_cast<uint64_t>(threads - 1),
                      std::memory_order_release);
  }
  wake_.notify_all();
  t_in_parallel = true;
  if (job_observer_ == nullptr) {
    run_chunks();
    t_in_parallel = false;
    while (pending_workers_.load(std::memory_order_acquire) > 0) cpu_relax();
    return;
  }
  run_chunks_observed(0);
  t_in_parallel = false;
  const int64_t wait_begin = now_ns();
  while (pending_workers_.load(std::memory_order_acquire) > 0) cpu_relax();
  job_observer_->on_join_wait(wait_begin, now_ns());
}

}  // namespace recinfer::runtime
