// float32 exp / sigmoid / tanh, 8 lanes at a time with AVX2 + FMA. glibc's expf/tanhf are scalar
// calls (~5-10 ns per element); these run near memory speed. Accuracy is a few ulp (Cephes
// polynomials after Cody-Waite range reduction; fast_math_avx2_test.cc bounds the error on a
// dense sweep against double-precision std functions). Special values follow the std
// functions: exp saturates to inf / 0, sigmoid to 1 / 0, tanh to +-1, and NaN stays NaN.
//
// Portable C++ versions of these would not vectorise: GCC keeps the range clamps as branches
// under its default -ftrapping-math, so the portable kernels keep std::exp/std::tanh.
#pragma once

#include <cstdint>

namespace recinfer::kernels::elementwise_avx2 {

// n contiguous floats; `out` may equal `in`. Callers check fast_math_supported() first.
void exp_f32(const void* in, void* out, int64_t n);
void sigmoid_f32(const void* in, void* out, int64_t n);
void tanh_f32(const void* in, void* out, int64_t n);
// The MLP activations on the same building blocks: erf (at most 8 ulp), GELU exact and
// tanh-approximated (relative error ~1e-6, also for x << 0 where 1 + erf cancels), and Elu
// (expm1 without cancellation near 0).
void erf_f32(const void* in, void* out, int64_t n);
void gelu_f32(const void* in, void* out, int64_t n);
void gelu_tanh_f32(const void* in, void* out, int64_t n);
void elu_f32(const void* in, void* out, int64_t n, float alpha);

// AVX2 and FMA both present.
bool fast_math_supported();

}  // namespace recinfer::kernels::elementwise_avx2
