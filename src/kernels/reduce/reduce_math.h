// Element-level semantics of the reductions, shared by the fast and the reference kernels so the
// two can only differ in traversal order (and float rounding). Each reduction is
//   finalize(combine(..., combine(identity, map(x0)), ..., map(xn)), n)
// where `map` is the per-element transform (|x| for L1, x² for L2 and SumSquare), `combine` the
// associative step (also used to merge partial accumulators, so it never maps), and `finalize`
// the closing transform (÷n for Mean, sqrt for L2, log for LogSum). LogSumExp is not of this
// form (it needs the max first) and lives in log_sum_exp.cc.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/reduce/reduce_common.h"
#include "kernels/reduce/value_order.h"

namespace recinfer::kernels::reduce {

// Integer sums and products wrap around (two's complement) instead of overflowing into
// undefined behaviour: the arithmetic is done on the unsigned type of the same width.
template <typename T>
T wrap_add(T a, T b) {
  if constexpr (std::is_integral_v<T> && std::is_signed_v<T> && sizeof(T) >= sizeof(int)) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
  } else {
    return static_cast<T>(a + b);
  }
}
template <typename T>
T wrap_mul(T a, T b) {
  if constexpr (std::is_integral_v<T> && sizeof(T) >= sizeof(int)) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
  } else if constexpr (std::is_integral_v<T>) {
    // Narrow types would promote to int, where uint16 * uint16 can overflow: use unsigned.
    return static_cast<T>(static_cast<unsigned>(a) * static_cast<unsigned>(b));
  } else {
    return a * b;
  }
}

template <typename T, ReduceKind kKind>
struct Reducer {
  // The value of an empty reduction, as the ONNX spec asks: 0 for sums, 1 for products,
  // -inf / lowest for max and +inf / highest for min.
  static constexpr T identity() {
    if constexpr (kKind == ReduceKind::kMax) {
      if constexpr (std::numeric_limits<T>::has_infinity) {
        return -std::numeric_limits<T>::infinity();
      } else {
        return std::numeric_limits<T>::lowest();
      }
    } else if constexpr (kKind == ReduceKind::kMin) {
      if constexpr (std::numeric_limits<T>::has_infinity) {
        return std::numeric_limits<T>::infinity();
      } else {
        return std::numeric_limits<T>::max();
      }
    } else if constexpr (kKind == ReduceKind::kProd) {
      return T(1);
    } else {
      return T(0);
    }
  }

  static T map(T v) {
    if constexpr (kKind == ReduceKind::kL1) {
      if constexpr (std::is_signed_v<T>) {
        return v < T(0) ? static_cast<T>(wrap_mul(v, T(-1))) : v;  // |lowest| wraps
      } else {
        return v;
      }
    } else if constexpr (kKind == ReduceKind::kL2 || kKind == ReduceKind::kSumSquare) {
      return wrap_mul(v, v);
    } else {
      return v;
    }
  }

  static T combine(T acc, T v) {
    if constexpr (kKind == ReduceKind::kMax) {
      // NaN propagates (numpy semantics): once acc is NaN, `v > acc` stays false.
      return (v > acc || is_nan(v)) ? v : acc;
    } else if constexpr (kKind == ReduceKind::kMin) {
      return (v < acc || is_nan(v)) ? v : acc;
    } else if constexpr (kKind == ReduceKind::kProd) {
      return wrap_mul(acc, v);
    } else {
      return wrap_add(acc, v);
    }
  }

  static T accumulate(T acc, T v) { return combine(acc, map(v)); }

  // Whether finalize does anything (the middle-axis path skips the pass otherwise).
  static constexpr bool kHasFinalize = kKind == ReduceKind::kMean || kKind == ReduceKind::kL2 ||
                                       kKind == ReduceKind::kLogSum;

  // Mean divides by the number of reduced elements. An empty integer mean yields 0 rather than
  // dividing by zero; an empty float mean is 0/0 = NaN, like numpy. Integer L2 / LogSum go
  // through double and truncate back, as a cast of the float result would.
  static T finalize(T acc, int64_t count) {
    if constexpr (kKind == ReduceKind::kMean) {
      if constexpr (std::numeric_limits<T>::is_integer) {
        // Divide in 64 bits: the count may not fit in a narrow T.
        using Wide = std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>;
        return count == 0 ? T(0) : static_cast<T>(static_cast<Wide>(acc) / static_cast<Wide>(count));
      } else {
        return static_cast<T>(acc / static_cast<T>(count));
      }
    } else if constexpr (kKind == ReduceKind::kL2) {
      if constexpr (std::is_floating_point_v<T>) {
        return std::sqrt(acc);
      } else {
        return static_cast<T>(std::sqrt(static_cast<double>(acc)));
      }
    } else if constexpr (kKind == ReduceKind::kLogSum) {
      if constexpr (std::is_floating_point_v<T>) {
        return std::log(acc);
      } else {
        // log of 0 (or of a negative sum) has no integer value; casting -inf/NaN would be
        // undefined behaviour, so they become lowest / 0.
        if (acc <= T(0)) return acc == T(0) ? std::numeric_limits<T>::lowest() : T(0);
        return static_cast<T>(std::log(static_cast<double>(acc)));
      }
    } else {
      return acc;
    }
  }
};

// Reduces n contiguous values (mapped, not finalized). Independent lanes break the loop-carried
// dependency (floats cannot be reassociated by the compiler on its own), so the loop vectorises.
template <typename T, ReduceKind kKind>
T reduce_contiguous(const T* x, int64_t n) {
  using R = Reducer<T, kKind>;
  constexpr int kLanes = 8;
  T acc[kLanes];
  for (T& a : acc) a = R::identity();
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) acc[l] = R::accumulate(acc[l], x[i + l]);
  }
  for (; i < n; ++i) acc[0] = R::accumulate(acc[0], x[i]);
  for (int l = 1; l < kLanes; ++l) acc[0] = R::combine(acc[0], acc[l]);
  return acc[0];
}

// Calls fn.template operator()<kKind>() with the compile-time kind for a runtime one (every kind
// but LogSumExp, which has its own kernel).
template <typename Fn>
void with_reduce_kind(ReduceKind kind, Fn&& fn) {
  switch (kind) {
    case ReduceKind::kSum: fn.template operator()<ReduceKind::kSum>(); break;
    case ReduceKind::kMean: fn.template operator()<ReduceKind::kMean>(); break;
    case ReduceKind::kMax: fn.template operator()<ReduceKind::kMax>(); break;
    case ReduceKind::kMin: fn.template operator()<ReduceKind::kMin>(); break;
    case ReduceKind::kProd: fn.template operator()<ReduceKind::kProd>(); break;
    case ReduceKind::kL1: fn.template operator()<ReduceKind::kL1>(); break;
    case ReduceKind::kL2: fn.template operator()<ReduceKind::kL2>(); break;
    case ReduceKind::kLogSum: fn.template operator()<ReduceKind::kLogSum>(); break;
    case ReduceKind::kSumSquare: fn.template operator()<ReduceKind::kSumSquare>(); break;
    case ReduceKind::kLogSumExp: break;
  }
}

}  // namespace recinfer::kernels::reduce
