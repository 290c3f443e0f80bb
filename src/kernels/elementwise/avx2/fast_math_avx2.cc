#include "kernels/elementwise/avx2/fast_math_avx2.h"

#include <immintrin.h>

#include <cstring>

namespace recinfer::kernels::elementwise_avx2 {
namespace {

#define RI_AVX2_FMA __attribute__((target("avx2,fma")))

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
  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
  p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
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

}  // namespace

void exp_f32(const void* in, void* out, int64_t n) { apply<exp8>(in, out, n); }
void sigmoid_f32(const void* in, void* out, int64_t n) { apply<sigmoid8>(in, out, n); }
void tanh_f32(const void* in, void* out, int64_t n) { apply<tanh8>(in, out, n); }

bool fast_math_supported() {
  static const bool has = __builtin_cpu_supports("avx2") != 0 && __builtin_cpu_supports("fma") != 0;
  return has;
}

}  // namespace recinfer::kernels::elementwise_avx2
