// Recorder: collects the events of profiled inferences (Session::run_profiled) into one
// preallocated buffer per thread. The hot-path callbacks (per step, per parallel job) only take a
// timestamp and append to the calling thread's own buffer: no lock, no allocation, no atomic
// read-modify-write. Buffers grow only between inferences, sized from the busiest inference seen
// so far; an inference that overflows its buffer drops events (counted, reported) instead of
// allocating mid-run.
//
// Ownership and threading: the session's calling thread drives begin/end_inference and the step
// callbacks; pool workers call on_work on their own buffer. One profiled session per recorder
// at a time. take() hands the collected Profile over and leaves the recorder empty.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "profiler/event.h"
#include "runtime/executor.h"
#include "runtime/thread_pool.h"

namespace recinfer::profiler {

struct RecorderOptions {
  int64_t initial_events_per_thread = int64_t{1} << 14;
  // Inference records reserved up front, so that many profiled runs of a static plan allocate
  // nothing at all.
  int64_t expected_inferences = 0;
};

class Recorder final : public runtime::StepObserver, public runtime::WorkObserver {
 public:
  explicit Recorder(RecorderOptions options = {});
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  static int64_t now_ns();  // steady_clock, the clock of every event

  // Driven by the session on the calling thread, in this order, once per inference.
  void begin_inference(int num_threads);  // grows buffers if needed, then starts the clock
  void begin_ops();  // staging is over, steps follow
  void end_inference(const runtime::Executor& executor);
  void cancel_inference();  // the run failed: forget its events

  // Events the session does not produce itself (staging copies, queue waits), recorded on the
  // calling thread; `value` is bytes for a staging copy. Between inferences this may grow the
  // buffer; during one it only appends.
  void record(EventKind kind, int64_t begin_ns, int64_t end_ns, int64_t value = 0);

  // runtime::StepObserver (calling thread)
  void on_step_begin(int step) override;
  void on_step_planned(int step) override;
  void on_step_end(int step) override;
  // runtime::WorkObserver (any pool thread)
  void on_work(int thread, int64_t begin_ns, int64_t end_ns, int64_t chunks) override;
  void on_join_wait(int64_t begin_ns, int64_t end_ns) override;

  int64_t inferences() const { return static_cast<int64_t>(inferences_.size()); }
  // Forgets what was recorded but keeps the buffers sized for the busiest inference seen: profile
  // a warm-up run, reset(), and the measured runs neither allocate nor drop events.
  void reset();
  Profile take();

 private:
  struct alignas(64) Buffer {
    // Preallocated and already written once (so no page faults mid-run); never grown mid-run.
    std::vector<Event> slots;
    size_t used = 0;
    int64_t dropped = 0;
    size_t mark_size = 0;  // `used` and `dropped` when the current inference began
    int64_t mark_dropped = 0;
    int64_t peak = 0;  // most events one inference has wanted to add
  };
  void append(int thread, const Event& event) {
    Buffer& b = buffers_[static_cast<size_t>(thread)];
    if (b.used < b.slots.size()) {
      b.slots[b.used++] = event;
    } else {
      ++b.dropped;
    }
  }
  void grow_buffers();  // only while no inference runs
  int program_for(const runtime::Executor& executor);

  RecorderOptions options_;
  std::vector<Buffer> buffers_;
  std::vector<Program> programs_;
  std::vector<const runtime::Plan*> program_plans_;
  std::vector<InferenceRecord> inferences_;
  int num_threads_ = 1;
  bool open_ = false;
  int64_t inference_begin_ns_ = 0;
  int64_t step_begin_ns_ = 0;
  int64_t next_op_ = 0;  // op-instance index of the next step
  int64_t inference_first_op_ = 0;
  // The op running now, read by workers; written before the job is published to them, so a
  // relaxed load sees it.
  std::atomic<int64_t> current_op_{-1};
};

}  // namespace recinfer::profiler
