#include "kernels/elementwise/avx2/fast_math_avx2.h"

#include <immintrin.h>

#include <cstring>

namespace recinfer::kernels::elementwise_avx2 {
namespace {

#define RI_AVX2_FMA __attribute__((target("avx2,fma")))

// (exp(r) - 1 - r) / r^2 for |r| <= ln2/2.
RI_AVX2_FMA inline __m256 exp_poly8(__m256 r) {
  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  return _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
}

// exp: x = n*ln2 + r, |r| <= ln2/2; exp(r) by a degree-7 polynomial; times 2^n applied as
// 2^(n/2) * 2^(n - n/2) so that n = 128 (results just below FLT_MAX) and n < -126 (subnormal
// results) need no special case. The clamp bounds make out-of-range inputs saturate to inf/0.
RI_AVX2_FMA inline __m256 exp8(__m256 x) {
  const __m256 log2e = _mm256_set1_ps(1.44269504088896341f);
  const __m256 ln2_hi = _mm256_set1_ps(0.693359375f);  // few mantissa bits: n * ln2_hi exact
  const __m256 ln2_lo = _mm256_set1_ps(-2.12194440e-4f);
  // minps/maxps return their second operand when either is NaN: x goes second to keep NaN.
  __m256 xc = _mm256_min_ps(_mm256_set1_ps(88.8f), x);
  xc = _mm256_max_ps(_mm256_set1_ps(-104.0f), xc);
  const __m256 n =
      _mm256_round_ps(_mm256_mul_ps(xc, log2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, ln2_hi, xc);
  r = _mm256_fnmadd_ps(n, ln2_lo, r);
  const __m256 p =
      _mm256_fmadd_ps(exp_poly8(r), _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
  // NaN lanes convert to INT_MIN; their scale is garbage but p is already NaN.
  const __m256i ni = _mm256_cvtps_epi32(n);
  const __m256i half = _mm256_srai_epi32(ni, 1);
  const __m256i bias = _mm256_set1_epi32(127);
  const __m256 scale1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(half, bias), 23));
  const __m256 scale2 = _mm256_castsi256_ps(
      _mm256_slli_epi32(_mm256_add_epi32(_mm256_sub_epi32(ni, half), bias), 23));
  return _mm256_mul_ps(_mm256_mul_ps(p, scale1), scale2);
}

// With e = exp(-|x|) (never overflows): 1/(1+e) for x >= 0 and e/(1+e) for x < 0, so very
// negative x gives the tiny (even subnormal) exact value rather than 1/(1+inf) = 0.
RI_AVX2_FMA inline __m256 sigmoid8(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 sign_mask = _mm256_set1_ps(-0.0f);
  const __m256 e = exp8(_mm256_or_ps(x, sign_mask));  // exp(-|x|)
  const __m256 positive = _mm256_div_ps(one, _mm256_add_ps(one, e));
  const __m256 negative = _mm256_mul_ps(e, positive);
  // NaN: the sign test uses x's sign bit; both candidates are NaN anyway.
  return _mm256_blendv_ps(positive, negative, x);
}

// tanh: an odd polynomial for |x| < 0.625 (where 1 - 2/(e^2|x| + 1) would cancel), that
// formula with x's sign elsewhere; both are computed and blended.
RI_AVX2_FMA inline __m256 tanh8(__m256 x) {
  const __m256 sign_mask = _mm256_set1_ps(-0.0f);
  const __m256 ax = _mm256_andnot_ps(sign_mask, x);
  const __m256 z = _mm256_mul_ps(x, x);
  __m256 p = _mm256_set1_ps(-5.70498872745e-3f);
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(2.06390887954e-2f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-5.37397155531e-2f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(1.33314422036e-1f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-3.33332819422e-1f));
  const __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(p, z), x, x);
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 e = exp8(_mm256_add_ps(ax, ax));
  const __m256 big_abs =
      _mm256_sub_ps(one, _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, one)));
  const __m256 big = _mm256_or_ps(big_abs, _mm256_and_ps(sign_mask, x));
  // NaN compares false, so NaN lanes take `big`, which is NaN.
  const __m256 use_small = _mm256_cmp_ps(ax, _mm256_set1_ps(0.625f), _CMP_LT_OQ);
  return _mm256_blendv_ps(big, small, use_small);
}

// expm1: below |x| = 0.34 exp8's reduction has n = 0 and r = x, so x + x^2 * poly(x) has no
// cancellation; above it |exp(x) - 1| > 0.28 and exp8(x) - 1 loses at most two bits.
RI_AVX2_FMA inline __m256 expm1_8(__m256 x) {
  const __m256 sign_mask = _mm256_set1_ps(-0.0f);
  const __m256 small = _mm256_fmadd_ps(exp_poly8(x), _mm256_mul_ps(x, x), x);
  const __m256 big = _mm256_sub_ps(exp8(x), _mm256_set1_ps(1.0f));
  // NaN compares false and takes `big`, which is NaN.
  const __m256 use_small =
      _mm256_cmp_ps(_mm256_andnot_ps(sign_mask, x), _mm256_set1_ps(0.34f), _CMP_LT_OQ);
  return _mm256_blendv_ps(big, small, use_small);
}

// erfc(z) for z >= 0 as t * exp(-z^2 + P(t)), t = 1 / (1 + z/2) (Numerical Recipes' erfcc,
// relative error below 1.2e-7 in exact arithmetic; the rounding of the exponent adds up to
// 4e-6 relative far in the tail, where it reaches -70). Relative accuracy is what 1 + erf(x)
// for x << 0 needs.
// z^2 is passed as a product a * b that the fused multiply-add evaluates exactly, so a caller
// with z = |x| / sqrt2 avoids the rounding of z in the exponent (a = |x| / 2, b = |x|).
RI_AVX2_FMA inline __m256 erfc_positive8(__m256 z, __m256 a, __m256 b) {
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 t = _mm256_div_ps(one, _mm256_fmadd_ps(_mm256_set1_ps(0.5f), z, one));
  __m256 p = _mm256_set1_ps(0.17087277f);
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.82215223f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.48851587f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.13520398f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.27886807f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.18628806f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.09678418f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.37409196f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.00002368f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.26551223f));
  return _mm256_mul_ps(t, exp8(_mm256_fnmadd_ps(a, b, p)));
}

// erf: below |x| = 1 an odd/even rational function (the float32 approximation XLA and Eigen
// use, a few ulp there); above it sign(x) * (1 - erfc(|x|)), which keeps 1 + erf(x) for
// x << 0 accurate to about an ulp of 1 (the rational function alone is 7 ulp off near |x| = 3).
// NaN takes the erfc branch and stays NaN. At most 8 ulp from erf (fast_math_avx2_test.cc).
RI_AVX2_FMA inline __m256 erf8(__m256 x) {
  const __m256 sign_mask = _mm256_set1_ps(-0.0f);
  const __m256 ax = _mm256_andnot_ps(sign_mask, x);
  const __m256 xc = _mm256_min_ps(_mm256_set1_ps(1.0f), _mm256_max_ps(_mm256_set1_ps(-1.0f), x));
  const __m256 x2 = _mm256_mul_ps(xc, xc);
  __m256 p = _mm256_set1_ps(-2.72614225801306e-10f);
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(2.77068142495902e-08f));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-2.10102402082508e-06f));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-5.69250639462346e-05f));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-7.34990630326855e-04f));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-2.95459980854025e-03f));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-1.60960333262415e-02f));
  __m256 q = _mm256_set1_ps(-1.45660718464996e-05f);
  q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(-2.13374055278905e-04f));
  q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(-1.68282697438203e-03f));
  q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(-7.37332916720468e-03f));
  q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(-1.42647390514189e-02f));
  const __m256 small = _mm256_div_ps(_mm256_mul_ps(xc, p), q);
  const __m256 big_abs = _mm256_sub_ps(_mm256_set1_ps(1.0f), erfc_positive8(ax, ax, ax));
  const __m256 big = _mm256_or_ps(big_abs, _mm256_and_ps(sign_mask, x));
  const __m256 use_small = _mm256_cmp_ps(ax, _mm256_set1_ps(1.0f), _CMP_LT_OQ);
  return _mm256_blendv_ps(big, small, use_small);
}

// x >= 0 (and NaN): x; x < 0: alpha * expm1(x).
RI_AVX2_FMA inline __m256 elu8(__m256 x, __m256 alpha) {
  const __m256 negative = _mm256_mul_ps(alpha, expm1_8(x));
  return _mm256_blendv_ps(x, negative, _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ));
}

// x * Phi(x) with Phi(x) = erfc(|x|/sqrt2)/2 for x < 0 and 1 - erfc(|x|/sqrt2)/2 otherwise, so
// the tiny values for x << 0 keep their relative accuracy (1 + erf would cancel).
RI_AVX2_FMA inline __m256 gelu8(__m256 x) {
  const __m256 sign_mask = _mm256_set1_ps(-0.0f);
  const __m256 ax = _mm256_andnot_ps(sign_mask, x);
  const __m256 z = _mm256_mul_ps(ax, _mm256_set1_ps(0.70710678118654752440f));
  const __m256 half_ax = _mm256_mul_ps(ax, _mm256_set1_ps(0.5f));
  const __m256 tail = _mm256_mul_ps(_mm256_set1_ps(0.5f), erfc_positive8(z, half_ax, ax));
  const __m256 phi = _mm256_blendv_ps(_mm256_sub_ps(_mm256_set1_ps(1.0f), tail), tail, x);
  return _mm256_mul_ps(x, phi);
}

// 0.5 x (1 + tanh(u)) == x * sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3); the sigmoid form
// does not cancel for x << 0.
RI_AVX2_FMA inline __m256 gelu_tanh8(__m256 x) {
  const __m256 x3 = _mm256_mul_ps(_mm256_mul_ps(x, x), x);
  const __m256 two_u = _mm256_mul_ps(_mm256_set1_ps(2.0f * 0.79788456080286535588f),
                                     _mm256_fmadd_ps(_mm256_set1_ps(0.044715f), x3, x));
  return _mm256_mul_ps(x, sigmoid8(two_u));
}

// Full vectors straight from memory; the tail through a zero-padded stack block so it gets
// exactly the same arithmetic.
template <__m256 (*kFn)(__m256)>
RI_AVX2_FMA void apply(const void* in, void* out, int64_t n) {
  const float* src = static_cast<const float*>(in);
  float* dst = static_cast<float*>(out);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, kFn(_mm256_loadu_ps(src + i)));
  if (i < n) {
    float block[8] = {};
    const size_t tail = static_cast<size_t>(n - i) * sizeof(float);
    std::memcpy(block, src + i, tail);
    _mm256_storeu_ps(block, kFn(_mm256_loadu_ps(block)));
    std::memcpy(dst + i, block, tail);
  }
}

// apply() with one broadcast parameter.
template <__m256 (*kFn)(__m256, __m256)>
RI_AVX2_FMA void apply_with(const void* in, void* out, int64_t n, float param) {
  const float* src = static_cast<const float*>(in);
  float* dst = static_cast<float*>(out);
  const __m256 p = _mm256_set1_ps(param);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, kFn(_mm256_loadu_ps(src + i), p));
  if (i < n) {
    float block[8] = {};
    const size_t tail = static_cast<size_t>(n - i) * sizeof(float);
    std::memcpy(block, src + i, tail);
    _mm256_storeu_ps(block, kFn(_mm256_loadu_ps(block), p));
    std::memcpy(dst + i, block, tail);
  }
}

}  // namespace

void erf_f32(const void* in, void* out, int64_t n) { apply<erf8>(in, out, n); }
void gelu_f32(const void* in, void* out, int64_t n) { apply<gelu8>(in, out, n); }
void gelu_tanh_f32(const void* in, void* out, int64_t n) { apply<gelu_tanh8>(in, out, n); }
void elu_f32(const void* in, void* out, int64_t n, float alpha) {
  apply_with<elu8>(in, out, n, alpha);
}
void exp_f32(const void* in, void* out, int64_t n) { apply<exp8>(in, out, n); }
void sigmoid_f32(const void* in, void* out, int64_t n) { apply<sigmoid8>(in, out, n); }
void tanh_f32(const void* in, void* out, int64_t n) { apply<tanh8>(in, out, n); }

bool fast_math_supported() {
  static const bool has = __builtin_cpu_supports("avx2") != 0 && __builtin_cpu_supports("fma") != 0;
  return has;
}

}  // namespace recinfer::kernels::elementwise_avx2
