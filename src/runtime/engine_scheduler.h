// Hands idle instances to callers in arrival order. A caller takes an idle instance at once
// only when nobody is waiting; otherwise it joins a FIFO queue and a releasing caller hands its
// instance directly to the oldest waiter. The hand-off is what makes admission fair: with a
// plain counting semaphore, a caller that just finished re-acquires before the woken waiter
// runs, and under more callers than instances some requests starved (p99 28.9 ms against a
// p50 of 0.5 ms, 4 callers on 1 instance). Among idle instances a caller prefers the one its
// thread used last (keeps it on the CPUs it was pinned to and on warm caches).
// Waiters live on their callers' stacks: no allocation per request.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace recinfer::runtime {

class InstanceScheduler {
 public:
  explicit InstanceScheduler(int instances);
  InstanceScheduler(const InstanceScheduler&) = delete;
  InstanceScheduler& operator=(const InstanceScheduler&) = delete;

  // Blocks while all instances are busy or earlier callers wait; returns the index of the
  // instance now owned. Callers are served in the order they called acquire().
  int acquire();
  void release(int instance);
  int size() const { return size_; }
  // Callers queued right now (for tests and metrics).
  int waiting() const;

 private:
  struct Waiter {
    std::condition_variable ready;
    int instance = -1;  // set by the releasing caller
    Waiter* next = nullptr;
  };
  int take_idle_locked();

  int size_;
  mutable std::mutex mutex_;
  std::vector<char> busy_;
  Waiter* head_ = nullptr;  // oldest waiter
  Waiter* tail_ = nullptr;
  int waiting_ = 0;
  unsigned cursor_ = 0;
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
