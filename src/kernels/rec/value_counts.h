// Occurrence counts of integer values in an open-addressing hash table (linear probing, table at
// most half full), for CompareCount's Equal: the id-match count needs, per candidate id, how
// often it occurs in the behaviour sequence — O(N + M) lookups instead of sorting the sequence
// (the -1 padding makes every radix digit vary, so a sort pays all its passes), and for
// CountDistinct of integers. Storage is
// per-thread scratch that grows on first use, so steady-state inference does not allocate.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "kernels/rec/rec_common.h"

namespace recinfer::kernels::rec {

template <typename T>
class ValueCounts {
  static_assert(std::is_integral_v<T>);
  using U = std::make_unsigned_t<T>;

 public:
  // Counts `values[0, n)`. False only when the scratch cannot be allocated.
  bool build(const T* values, int64_t n) {
    return build_if(values, n, [](T) { return true; });
  }

  // Counts the values with keep(v).
  template <typename Keep>
  bool build_if(const T* values, int64_t n, Keep keep) {
    distinct_ = 0;
    capacity_ = 16;
    while (capacity_ < 2 * static_cast<uint64_t>(n)) capacity_ *= 2;
    slots_ = scratch_buffer<Slot>(capacity_);
    if (slots_ == nullptr) return false;
    std::fill(slots_, slots_ + capacity_, Slot{});  // count 0 marks an empty slot
    const uint64_t mask = capacity_ - 1;
    for (int64_t i = 0; i < n; ++i) {
      if (!keep(values[i])) continue;
      const U key = static_cast<U>(values[i]);
      for (uint64_t at = hash(key) & mask;; at = (at + 1) & mask) {
        Slot& slot = slots_[at];
        if (slot.count == 0) {
          slot = {key, 1};
          ++distinct_;
          break;
        }
        if (slot.key == key) {
          ++slot.count;
          break;
        }
      }
    }
    return true;
  }

  // How many different values were counted.
  int64_t distinct() const { return distinct_; }

  int64_t count(T value) const {
    const U key = static_cast<U>(value);
    const uint64_t mask = capacity_ - 1;
    for (uint64_t at = hash(key) & mask;; at = (at + 1) & mask) {
      const Slot& slot = slots_[at];
      if (slot.count == 0) return 0;
      if (slot.key == key) return slot.count;
    }
  }

 private:
  // Fibonacci hashing: the multiply spreads consecutive ids, the high bits are the best mixed.
  static uint64_t hash(U key) {
    return (static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> 20;
  }

  struct Slot {
    U key = 0;
    uint32_t count = 0;  // B holds fewer than 2^32 values (checked by the caller)
  };

  uint64_t capacity_ = 0;
  int64_t distinct_ = 0;
  Slot* slots_ = nullptr;
};

}  // namespace recinfer::kernels::rec
