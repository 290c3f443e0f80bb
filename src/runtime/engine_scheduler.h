// Hands idle instances to callers. A counting semaphore holds one token per idle instance, so a
// caller blocks only when every instance is busy; with a token in hand it claims an idle
// instance with one compare-and-swap, trying first the instance its thread used last (keeps a
// caller on the CPUs it was pinned to and on warm caches), then scanning from a rotating start.
// Lock-free on the fast path (the semaphore's uncontended acquire is an atomic decrement).
#pragma once

#include <atomic>
#include <memory>
#include <semaphore>

namespace recinfer::runtime {

class InstanceScheduler {
 public:
  explicit InstanceScheduler(int instances);
  InstanceScheduler(const InstanceScheduler&) = delete;
  InstanceScheduler& operator=(const InstanceScheduler&) = delete;

  // Blocks while all instances are busy; returns the index of the instance now owned.
  int acquire();
  void release(int instance);
  int size() const { return size_; }

 private:
  int size_;
  std::unique_ptr<std::atomic<bool>[]> busy_;
  std::counting_semaphore<> idle_;
  std::atomic<unsigned> cursor_{0};
};

// Owns one instance for a scope.
class InstanceLease {
 public:
  explicit InstanceLease(InstanceScheduler& scheduler)
      : scheduler_(scheduler), index_(scheduler.acquire()) {}
  ~InstanceLease() { scheduler_.release(index_); }
  InstanceLease(const InstanceLease&) = delete;
  InstanceLease& operator=(const InstanceLease&) = delete;
  int index() const { return index_; }

 private:
  InstanceScheduler& scheduler_;
  int index_;
};

}  // namespace recinfer::runtime
