#include "runtime/engine_scheduler.h"

namespace recinfer::runtime {

namespace {
// The instance this thread used last, per scheduler.
thread_local const InstanceScheduler* t_scheduler = nullptr;
thread_local int t_last = 0;
}  // namespace

InstanceScheduler::InstanceScheduler(int instances)
    : size_(instances), busy_(static_cast<size_t>(instances), 0) {}

int InstanceScheduler::take_idle_locked() {
  const int start = t_scheduler == this ? t_last : static_cast<int>(cursor_++ % static_cast<unsigned>(size_));
  for (int k = 0; k < size_; ++k) {
    const int i = (start + k) % size_;
    if (!busy_[static_cast<size_t>(i)]) {
      busy_[static_cast<size_t>(i)] = 1;
      return i;
    }
  }
  return -1;
}

int InstanceScheduler::acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  int instance = head_ == nullptr ? take_idle_locked() : -1;
  if (instance < 0) {
    Waiter self;
    if (tail_ != nullptr) tail_->next = &self;
    else head_ = &self;
    tail_ = &self;
    ++waiting_;
    self.ready.wait(lock, [&] { return self.instance >= 0; });
    instance = self.instance;  // release() already unlinked us and marked it busy
  }
  lock.unlock();
  t_scheduler = this;
  t_last = instance;
  return instance;
}

void InstanceScheduler::release(int instance) {
  std::lock_guard<std::mutex> lock(mutex_);
  Waiter* oldest = head_;
  if (oldest == nullptr) {
    busy_[static_cast<size_t>(instance)] = 0;
    return;
  }
  // Hand the instance over without marking it idle, so no newcomer can take it first.
  head_ = oldest->next;
  if (head_ == nullptr) tail_ = nullptr;
  --waiting_;
  oldest->instance = instance;
  // Notify under the lock: the waiter's condition variable lives on its stack and may be
  // destroyed as soon as it sees `instance` set, which it cannot before we unlock.
  oldest->ready.notify_one();
}

int InstanceScheduler::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiting_;
}

}  // namespace recinfer::runtime
