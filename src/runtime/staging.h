// Input staging: how a request's tensors reach an instance (the CPU analogue of the seed's H2D).
// An InputLayout places a request's inputs back to back in one block, each at a 64-byte aligned
// offset; a PackedRequest (recinfer/engine.h) and every instance's staging buffer use the same
// layout, so a packed request moves with one memcpy. Unpacked tensors move with one memcpy each.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "recinfer/tensor.h"

namespace recinfer::runtime {

inline size_t align_to_tensor(size_t bytes) {
  return (bytes + kTensorAlignment - 1) / kTensorAlignment * kTensorAlignment;
}

struct InputLayout {
  std::vector<size_t> offsets;  // per input, from the start of the block
  std::vector<size_t> sizes;    // per input, bytes
  size_t total = 0;             // the block, padding included

  static InputLayout of(const std::vector<DType>& dtypes, const std::vector<Shape>& shapes);
  static InputLayout of(const std::vector<Tensor>& tensors);
  // Re-lays this layout out for `tensors` (same count) in place, without allocating.
  void assign(const std::vector<Tensor>& tensors);

  // True when tensors[i] lives at tensors[0].raw() + offsets[i] for every i (a packed request
  // with this layout). Assumes the tensors have the layout's shapes and dtypes.
  bool is_packed(const std::vector<Tensor>& tensors) const;
};

struct StagingCost {
  uint32_t copies = 0;
  size_t bytes = 0;
};

// Told about every staging copy (the profiler records them); times are steady_clock ns.
class CopyObserver {
 public:
  virtual ~CopyObserver() = default;
  virtual void on_copy(int64_t begin_ns, int64_t end_ns, size_t bytes) = 0;
};

// One memcpy per input into staging + offsets[i].
StagingCost stage_per_tensor(const InputLayout& layout, const std::vector<Tensor>& inputs,
                             uint8_t* staging, CopyObserver* observer = nullptr);
// One memcpy of the whole packed block; requires layout.is_packed(inputs).
StagingCost stage_packed(const InputLayout& layout, const std::vector<Tensor>& inputs,
                         uint8_t* staging, CopyObserver* observer = nullptr);

// Durations in log-linear buckets (8 per power of two, so within 10%): a median that one
// preempted request cannot move, which a mean of microsecond staging times on a busy machine
// cannot offer. add() is one relaxed atomic increment; readers may run concurrently.
class DurationHistogram {
 public:
  static constexpr int kSubBits = 3;  // 2^kSubBits buckets per power of two
  static constexpr int kSub = 1 << kSubBits;
  static constexpr int kBuckets = kSub * 40;
  void add(uint64_t ns) { counts_[static_cast<size_t>(bucket(ns))].fetch_add(1, std::memory_order_relaxed); }
  void reset();
  // Adds this histogram's counts into `into`.
  void merge_into(std::array<uint64_t, kBuckets>& into) const;
  // The p-th percentile (0..100) of merged counts, in ns (bucket midpoint); 0 when empty.
  static double percentile(const std::array<uint64_t, kBuckets>& counts, double p);

 private:
  static int bucket(uint64_t ns);
  std::array<std::atomic<uint64_t>, kBuckets> counts_{};
};

}  // namespace recinfer::runtime
