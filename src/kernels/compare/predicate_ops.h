// The element predicates of the binary bool-producing ops, shared by the portable kernels and
// the ISA-specific variants (which look them up by Predicate at run time).
#pragma once

#include <cstdint>

namespace recinfer::kernels::compare {

enum class Predicate { kEqual, kGreater, kGreaterOrEqual, kLess, kLessOrEqual, kAnd, kOr, kXor };

struct EqualOp {
  static constexpr Predicate kKind = Predicate::kEqual;
  template <typename T>
  static bool apply(T a, T b) { return a == b; }
};
struct GreaterOp {
  static constexpr Predicate kKind = Predicate::kGreater;
  template <typename T>
  static bool apply(T a, T b) { return a > b; }
};
struct GreaterOrEqualOp {
  static constexpr Predicate kKind = Predicate::kGreaterOrEqual;
  template <typename T>
  static bool apply(T a, T b) { return a >= b; }
};
struct LessOp {
  static constexpr Predicate kKind = Predicate::kLess;
  template <typename T>
  static bool apply(T a, T b) { return a < b; }
};
struct LessOrEqualOp {
  static constexpr Predicate kKind = Predicate::kLessOrEqual;
  template <typename T>
  static bool apply(T a, T b) { return a <= b; }
};
struct AndOp {
  static constexpr Predicate kKind = Predicate::kAnd;
  template <typename T>
  static bool apply(T a, T b) { return a && b; }
};
struct OrOp {
  static constexpr Predicate kKind = Predicate::kOr;
  template <typename T>
  static bool apply(T a, T b) { return a || b; }
};
struct XorOp {
  static constexpr Predicate kKind = Predicate::kXor;
  template <typename T>
  static bool apply(T a, T b) { return a != b; }
};

// Bool tensors are read as bytes and normalised with != 0, so a stray non-0/1 byte from a
// loader or an upstream kernel cannot produce undefined behaviour or a wrong answer.
template <typename Op>
struct OnBoolBytes {
  static constexpr Predicate kKind = Op::kKind;
  static bool apply(uint8_t a, uint8_t b) { return Op::apply(a != 0, b != 0); }
};

// One contiguous run of `count` outputs; kStepA/kStepB say whether an operand advances along
// the run (stride 1) or is a single broadcast value (stride 0). Hoisting the broadcast value
// out of the loop leaves a tight loop the compiler vectorises. Always inlined so that an ISA
// variant calling it gets its own vectorisation (see avx2/predicate_avx2.cc).
template <typename T, typename Op, bool kStepA, bool kStepB>
[[gnu::always_inline]] inline void predicate_run(const T* __restrict__ a,
                                                 const T* __restrict__ b,
                                                 bool* __restrict__ out, int64_t count) {
  if constexpr (kStepA && kStepB) {
    for (int64_t j = 0; j < count; ++j) out[j] = Op::apply(a[j], b[j]);
  } else if constexpr (kStepA) {
    const T value_b = *b;
    for (int64_t j = 0; j < count; ++j) out[j] = Op::apply(a[j], value_b);
  } else if constexpr (kStepB) {
    const T value_a = *a;
    for (int64_t j = 0; j < count; ++j) out[j] = Op::apply(value_a, b[j]);
  } else {
    const bool value = Op::apply(*a, *b);
    for (int64_t j = 0; j < count; ++j) out[j] = value;
  }
}

}  // namespace recinfer::kernels::compare
