#include "kernels/elementwise/avx2/elementwise_avx2.h"

#include <atomic>

#include "kernels/elementwise/avx2/fast_math_avx2.h"

namespace recinfer::kernels::elementwise_avx2 {
namespace {

std::atomic<bool> avx2_allowed{true};

// run_range/inner_loop are always_inline, so their loops are vectorised here for AVX2.
template <typename T, template <typename> class Fn>
__attribute__((target("avx2"))) void binary_range(const BinaryPlan& plan, const void* lhs,
                                                  const void* rhs, void* out, int64_t begin,
                                                  int64_t end) {
  broadcast_detail::run_range(plan, static_cast<const T*>(lhs), static_cast<const T*>(rhs),
                              static_cast<T*>(out), begin, end, Fn<T>{});
}

template <typename T, template <typename> class Fn>
__attribute__((target("avx2"))) void unary_range(const void* in, void* out, int64_t n) {
  const T* src = static_cast<const T*>(in);
  T* dst = static_cast<T*>(out);
  const Fn<T> fn{};
  for (int64_t i = 0; i < n; ++i) dst[i] = fn(src[i]);
}

template <typename T, template <typename> class Fn>
__attribute__((target("avx2"))) void attr_unary_range(const void* in, void* out, int64_t n,
                                                      const UnaryAttrs& attrs) {
  const T* src = static_cast<const T*>(in);
  T* dst = static_cast<T*>(out);
  const Fn<T> fn(attrs);
  for (int64_t i = 0; i < n; ++i) dst[i] = fn(src[i]);
}

void elu_range(const void* in, void* out, int64_t n, const UnaryAttrs& attrs) {
  elu_f32(in, out, n, attrs.alpha);
}

}  // namespace

bool avx2_active() {
  static const bool has = __builtin_cpu_supports("avx2") != 0;
  return has && avx2_allowed.load(std::memory_order_relaxed);
}

void set_avx2_allowed(bool allowed) { avx2_allowed.store(allowed, std::memory_order_relaxed); }

#define RI_AVX2_BINARY(T, Fn)                              \
  template <>                                              \
  BinaryRangeFn find_binary_range<T, Fn>() {               \
    return avx2_active() ? &binary_range<T, Fn> : nullptr; \
  }
#define RI_AVX2_UNARY(T, Fn)                              \
  template <>                                             \
  UnaryRangeFn find_unary_range<T, Fn>() {                \
    return avx2_active() ? &unary_range<T, Fn> : nullptr; \
  }

RI_AVX2_FOR_TYPES(RI_AVX2_BINARY, AddFn)
RI_AVX2_FOR_TYPES(RI_AVX2_BINARY, SubFn)
RI_AVX2_FOR_TYPES(RI_AVX2_BINARY, MulFn)
RI_AVX2_FOR_TYPES(RI_AVX2_BINARY, MinFn)
RI_AVX2_FOR_TYPES(RI_AVX2_BINARY, MaxFn)
RI_AVX2_BINARY(float, DivFn)
RI_AVX2_BINARY(double, DivFn)
RI_AVX2_FOR_TYPES(RI_AVX2_UNARY, AbsFn)
RI_AVX2_FOR_TYPES(RI_AVX2_UNARY, NegFn)
RI_AVX2_FOR_TYPES(RI_AVX2_UNARY, ReluFn)

// The float32 transcendental functions use the intrinsics versions, which also need FMA.
#define RI_AVX2_FAST_MATH(Fn, impl)                                  \
  template <>                                                        \
  UnaryRangeFn find_unary_range<float, Fn>() {                       \
    return avx2_active() && fast_math_supported() ? &impl : nullptr; \
  }
RI_AVX2_FAST_MATH(ExpFn, exp_f32)
RI_AVX2_FAST_MATH(SigmoidFn, sigmoid_f32)
RI_AVX2_FAST_MATH(TanhFn, tanh_f32)
RI_AVX2_FAST_MATH(ErfFn, erf_f32)
RI_AVX2_FAST_MATH(GeluFn, gelu_f32)
RI_AVX2_FAST_MATH(GeluTanhFn, gelu_tanh_f32)

// LeakyRelu's select vectorises as written; Elu needs the intrinsics expm1.
#define RI_AVX2_ATTR_UNARY(T, Fn)                                \
  template <>                                                    \
  AttrUnaryRangeFn find_attr_unary_range<T, Fn>() {              \
    return avx2_active() ? &attr_unary_range<T, Fn> : nullptr;   \
  }
RI_AVX2_ATTR_UNARY(float, LeakyReluFn)
RI_AVX2_ATTR_UNARY(double, LeakyReluFn)
template <>
AttrUnaryRangeFn find_attr_unary_range<float, EluFn>() {
  return avx2_active() && fast_math_supported() ? &elu_range : nullptr;
}

}  // namespace recinfer::kernels::elementwise_avx2
