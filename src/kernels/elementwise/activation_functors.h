// Scalar semantics of the unary activations that take float attributes (LeakyRelu, Elu, Selu,
// Celu, HardSigmoid, HardSwish, ThresholdedRelu, Shrink) and of GELU (ai.recinfer Gelu).
// A functor with attributes is constructed from UnaryAttrs, which the kernel factory reads from
// the node once (unary_kernel.h); the attributes keep their ONNX names. NaN stays NaN wherever
// the ONNX reference (numpy) keeps it, so every comparison below is written with that in mind.
#pragma once

#include <cmath>

namespace recinfer::kernels {

// ONNX attribute values of one node; each op reads only its own fields.
struct UnaryAttrs {
  float alpha = 0;
  float beta = 0;
  float gamma = 0;
  float lambd = 0;
  float bias = 0;
};

template <typename T>
struct LeakyReluFn {
  T alpha;
  explicit LeakyReluFn(const UnaryAttrs& a) : alpha(static_cast<T>(a.alpha)) {}
  T operator()(T x) const { return x < T{0} ? alpha * x : x; }
};
// expm1 rather than the spec's exp(x) - 1: the same function without the cancellation near 0.
template <typename T>
struct EluFn {
  T alpha;
  explicit EluFn(const UnaryAttrs& a) : alpha(static_cast<T>(a.alpha)) {}
  T operator()(T x) const { return x < T{0} ? alpha * std::expm1(x) : x; }
};
template <typename T>
struct SeluFn {
  T alpha;
  T gamma;
  explicit SeluFn(const UnaryAttrs& a)
      : alpha(static_cast<T>(a.alpha)), gamma(static_cast<T>(a.gamma)) {}
  T operator()(T x) const { return x > T{0} ? gamma * x : gamma * alpha * std::expm1(x); }
};
// max(0, x) + min(0, alpha * (exp(x / alpha) - 1)); infer rejects alpha == 0.
template <typename T>
struct CeluFn {
  T alpha;
  explicit CeluFn(const UnaryAttrs& a) : alpha(static_cast<T>(a.alpha)) {}
  T operator()(T x) const { return x > T{0} ? x : alpha * std::expm1(x / alpha); }
};

// max(0, min(1, v)) that keeps NaN (see ReluFn).
template <typename T>
inline T clamp01(T v) {
  v = v < T{0} ? T{0} : v;
  return T{1} < v ? T{1} : v;
}
template <typename T>
struct HardSigmoidFn {
  T alpha;
  T beta;
  explicit HardSigmoidFn(const UnaryAttrs& a)
      : alpha(static_cast<T>(a.alpha)), beta(static_cast<T>(a.beta)) {}
  T operator()(T x) const { return clamp01(alpha * x + beta); }
};
// x * HardSigmoid(x) with alpha = 1/6 (as a float, like the spec's function body), beta = 0.5.
template <typename T>
struct HardSwishFn {
  T operator()(T x) const {
    return x * clamp01(static_cast<T>(1.0f / 6.0f) * x + static_cast<T>(0.5));
  }
};
template <typename T>
struct ThresholdedReluFn {
  T alpha;
  explicit ThresholdedReluFn(const UnaryAttrs& a) : alpha(static_cast<T>(a.alpha)) {}
  T operator()(T x) const { return x <= alpha ? T{0} : x; }
};
// The spec's nested where(): NaN falls through to 0.
template <typename T>
struct ShrinkFn {
  T lambd;
  T bias;
  explicit ShrinkFn(const UnaryAttrs& a)
      : lambd(static_cast<T>(a.lambd)), bias(static_cast<T>(a.bias)) {}
  T operator()(T x) const { return x < -lambd ? x + bias : (x > lambd ? x - bias : T{0}); }
};

// GELU, x * Phi(x). erfc(-x/sqrt2) == 1 + erf(x/sqrt2) without its cancellation for x << 0.
template <typename T>
struct GeluFn {
  T operator()(T x) const {
    return static_cast<T>(0.5) * x * std::erfc(-x * static_cast<T>(0.70710678118654752440));
  }
};
// The tanh approximation 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3), evaluated as
// the equal x / (1 + exp(-2u)), which does not cancel for x << 0.
template <typename T>
struct GeluTanhFn {
  T operator()(T x) const {
    const T two_u = static_cast<T>(2 * 0.79788456080286535588) *
                    (x + static_cast<T>(0.044715) * x * x * x);
    return x / (T{1} + std::exp(-two_u));
  }
};

}  // namespace recinfer::kernels
