// The kernels' only view of threading: a non-owning callable and a parallel_for provider.
// Kernels never start threads; the runtime hands them a ParallelFor bound to the instance's pool
// and the op-class thread cap.
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>

namespace recinfer::kernels {

// Non-owning reference to a callable `void(int64_t begin, int64_t end)`; never allocates.
class RangeFn {
 public:
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, RangeFn>>>
  RangeFn(F&& fn)  // NOLINT(google-explicit-constructor)
      : object_(const_cast<void*>(static_cast<const void*>(&fn))),
        call_([](void* object, int64_t begin, int64_t end) {
          (*static_cast<std::remove_reference_t<F>*>(object))(begin, end);
        }) {}
  void operator()(int64_t begin, int64_t end) const { call_(object_, begin, end); }

 private:
  void* object_;
  void (*call_)(void*, int64_t, int64_t);
};

class ParallelFor {
 public:
  virtual ~ParallelFor() = default;
  // Splits [0, n) into chunks of at least `grain` items and runs fn on them, possibly
  // concurrently; returns when all chunks are done. fn must not throw.
  virtual void run(int64_t n, int64_t grain, RangeFn fn) = 0;
  virtual int num_threads() const = 0;
};

// Runs everything on the calling thread.
class SerialFor final : public ParallelFor {
 public:
  void run(int64_t n, int64_t /*grain*/, RangeFn fn) override {
    if (n > 0) fn(0, n);
  }
  int num_threads() const override { return 1; }
};

}  // namespace recinfer::kernels
