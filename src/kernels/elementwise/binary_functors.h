// Scalar semantics of the binary elementwise ops, one functor template per op. Shared by the
// optimised (broadcast-plan) kernels and the naive reference kernels, so both compute exactly the
// same per-element function and tests of one against the other check the iteration.
//
// Signed integer overflow is undefined behaviour in C++, but a model can hand us any values, so
// integer Add/Sub/Mul/Neg wrap (two's complement, like numpy) by computing in unsigned types.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace recinfer::kernels {

// Unsigned type at least as wide as int, so small types do not promote back to signed int.
template <typename T>
using WrapType =
    std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, std::make_unsigned_t<T>>;

template <typename T>
inline T wrap_add(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(static_cast<WrapType<T>>(a) + static_cast<WrapType<T>>(b));
  } else {
    return a + b;
  }
}
template <typename T>
inline T wrap_sub(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(static_cast<WrapType<T>>(a) - static_cast<WrapType<T>>(b));
  } else {
    return a - b;
  }
}
template <typename T>
inline T wrap_mul(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(static_cast<WrapType<T>>(a) * static_cast<WrapType<T>>(b));
  } else {
    return a * b;
  }
}

template <typename T>
struct AddFn {
  T operator()(T a, T b) const { return wrap_add(a, b); }
};
template <typename T>
struct SubFn {
  T operator()(T a, T b) const { return wrap_sub(a, b); }
};
template <typename T>
struct MulFn {
  T operator()(T a, T b) const { return wrap_mul(a, b); }
};

// Integer division truncates toward zero like C. The kernel rejects a zero divisor before
// running; MIN / -1 overflows (and traps on x86), so it wraps to MIN like numpy.
template <typename T>
struct DivFn {
  static constexpr bool kNonZeroRhs = std::is_integral_v<T>;
  T operator()(T a, T b) const {
    if constexpr (std::is_signed_v<T> && std::is_integral_v<T>) {
      if (b == -1) return wrap_sub(T{0}, a);
    }
    return a / b;
  }
};

// Min/Max propagate NaN like numpy's minimum/maximum (std::min would drop it depending on the
// argument order). The comparison picks b when either side is NaN, so only a NaN in `a` needs
// the extra select; this shape maps onto minps/maxps + one blend and vectorises fully.
template <typename T>
struct MinFn {
  T operator()(T a, T b) const {
    const T m = a < b ? a : b;
    if constexpr (std::is_floating_point_v<T>) {
      return a != a ? a : m;
    } else {
      return m;
    }
  }
};
template <typename T>
struct MaxFn {
  T operator()(T a, T b) const {
    const T m = a > b ? a : b;
    if constexpr (std::is_floating_point_v<T>) {
      return a != a ? a : m;
    } else {
      return m;
    }
  }
};

// Mod with fmod=1: the result has the sign of the dividend (C fmod / %).
template <typename T>
struct FmodFn {
  static constexpr bool kNonZeroRhs = std::is_integral_v<T>;
  T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) {
      return std::fmod(a, b);
    } else {
      if constexpr (std::is_signed_v<T>) {
        if (b == -1) return T{0};  // MIN % -1 traps on x86
      }
      return static_cast<T>(a % b);
    }
  }
};

// Mod with fmod=0 (integers only): the result has the sign of the divisor, like Python's %.
template <typename T>
struct IntModFn {
  static constexpr bool kNonZeroRhs = true;
  T operator()(T a, T b) const {
    if constexpr (std::is_signed_v<T>) {
      if (b == -1) return T{0};
      T r = static_cast<T>(a % b);
      if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
      return r;
    } else {
      return static_cast<T>(a % b);
    }
  }
};

// PRelu: x where x >= 0 (and NaN), slope * x below 0. Unsigned x is never negative.
template <typename T>
struct PReluFn {
  T operator()(T x, T slope) const {
    if constexpr (std::is_unsigned_v<T>) {
      return x;
    } else {
      return x < T{0} ? wrap_mul(slope, x) : x;
    }
  }
};

// BitShift (unsigned types only). Shifting by the bit width or more is undefined in C++; numpy
// gives 0 for both directions, and so do these.
template <typename T>
struct ShiftLeftFn {
  T operator()(T x, T amount) const {
    if (amount >= sizeof(T) * 8) return T{0};
    return static_cast<T>(static_cast<WrapType<T>>(x) << amount);
  }
};
template <typename T>
struct ShiftRightFn {
  T operator()(T x, T amount) const {
    if (amount >= sizeof(T) * 8) return T{0};
    return static_cast<T>(x >> amount);
  }
};

}  // namespace recinfer::kernels
