#include "runtime/engine_scheduler.h"

namespace recinfer::runtime {

namespace {
// The instance this thread used last, per scheduler.
thread_local const InstanceScheduler* t_scheduler = nullptr;
thread_local int t_last = 0;
}  // namespace

InstanceScheduler::InstanceScheduler(int instances)
    : size_(instances), busy_(new std::atomic<bool>[static_cast<size_t>(instances)]),
      idle_(instances) {
  for (int i = 0; i < size_; ++i) busy_[static_cast<size_t>(i)].store(false);
}

int InstanceScheduler::acquire() {
  idle_.acquire();
  // Holding a token guarantees an idle instance: a token is released only after its instance
  // was marked idle, and no more callers hold tokens than there are idle instances.
  const int start = t_scheduler == this
                        ? t_last
                        : static_cast<int>(cursor_.fetch_add(1, std::memory_order_relaxed) %
                                           static_cast<unsigned>(size_));
  for (int k = 0;; ++k) {
    const int i = (start + k) % size_;
    std::atomic<bool>& busy = busy_[static_cast<size_t>(i)];
    bool expected = false;
    if (!busy.load(std::memory_order_relaxed) &&
        busy.compare_exchange_strong(expected, true, std::memory_order_acquire)) {
      t_scheduler = this;
      t_last = i;
      return i;
    }
  }
}

void InstanceScheduler::release(int instance) {
  busy_[static_cast<size_t>(instance)].store(false, std::memory_order_release);
  idle_.release();
}

}  // namespace recinfer::runtime
