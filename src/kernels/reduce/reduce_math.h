// Element-level semantics of the reductions, shared by the fast and the reference kernels so the
// two can only differ in traversal order (and float rounding).
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/reduce/reduce_common.h"
#include "kernels/reduce/value_order.h"

namespace recinfer::kernels::reduce {

template <typename T, ReduceKind kKind>
struct Reducer {
  // The value of an empty reduction: 0 for sums; -inf (floats) / lowest (ints) for max, as the
  // ONNX spec asks.
  static constexpr T identity() {
    if constexpr (kKind == ReduceKind::kMax) {
      if constexpr (std::numeric_limits<T>::has_infinity) {
        return -std::numeric_limits<T>::infinity();
      } else {
        return std::numeric_limits<T>::lowest();
      }
    } else {
      return T(0);
    }
  }

  static T combine(T acc, T v) {
    if constexpr (kKind == ReduceKind::kMax) {
      // NaN propagates (numpy semantics): once acc is NaN, `v > acc` stays false.
      return (v > acc || is_nan(v)) ? v : acc;
    } else {
      return static_cast<T>(acc + v);
    }
  }

  // Mean divides by the number of reduced elements. An empty integer mean yields 0 rather than
  // dividing by zero; an empty float mean is 0/0 = NaN, like numpy.
  static T finalize(T acc, int64_t count) {
    if constexpr (kKind == ReduceKind::kMean) {
      if constexpr (std::numeric_limits<T>::is_integer) {
        // Divide in 64 bits: the count may not fit in a narrow T.
        using Wide = std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>;
        return count == 0 ? T(0) : static_cast<T>(static_cast<Wide>(acc) / static_cast<Wide>(count));
      } else {
        return static_cast<T>(acc / static_cast<T>(count));
      }
    } else {
      return acc;
    }
  }
};

// Reduces n contiguous values. Independent lanes break the loop-carried dependency (floats
// cannot be reassociated by the compiler on its own), so the loop vectorises.
template <typename T, ReduceKind kKind>
T reduce_contiguous(const T* x, int64_t n) {
  using R = Reducer<T, kKind>;
  constexpr int kLanes = 8;
  T acc[kLanes];
  for (T& a : acc) a = R::identity();
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) acc[l] = R::combine(acc[l], x[i + l]);
  }
  for (; i < n; ++i) acc[0] = R::combine(acc[0], x[i]);
  for (int l = 1; l < kLanes; ++l) acc[0] = R::combine(acc[0], acc[l]);
  return acc[0];
}

}  // namespace recinfer::kernels::reduce
