// ai.recinfer DotInteraction (docs/ai_recinfer_ops.md): DLRM's feature interaction. For x of
// shape (B, F, D) and index lists i, j of length K: out[b, k] = dot(x[b, i[k], :], x[b, j[k], :]).
// Replaces BatchMatMul(x, xᵀ) (B·F·F·D multiply-adds, F² outputs) followed by a gather of the
// K = F(F-1)/2 lower-triangle entries: only the K needed dot products are computed.
#include <immintrin.h>

#include <algorithm>
#include <vector>

#include "kernels/dense/dense_kernels.h"

namespace recinfer::kernels {

namespace {

float dot_portable(const float* a, const float* b, int64_t d) {
  float acc = 0.0f;
  for (int64_t t = 0; t < d; ++t) acc += a[t] * b[t];
  return acc;
}

// Gram-matrix rows with AVX2: for one sample, xt holds x transposed (D rows of F floats, F
// padded to a multiple of 32), and row i of x·xᵀ is Σ_d x[i, d] · xt[d, :], a broadcast-FMA over
// whole rows. Dot products one pair at a time would spend most of their time in horizontal sums.
__attribute__((target("avx2,fma"))) void gram_rows_avx2(const float* x, int64_t f, int64_t d,
                                                        float* xt, int64_t fp, float* gram) {
  for (int64_t i = 0; i < f; ++i) {
    for (int64_t t = 0; t < d; ++t) xt[t * fp + i] = x[i * d + t];
  }
  for (int64_t t = 0; t < d; ++t) {
    for (int64_t i = f; i < fp; ++i) xt[t * fp + i] = 0.0f;
  }
  for (int64_t i = 0; i < f; ++i) {
    const float* xi = x + i * d;
    for (int64_t j0 = 0; j0 < fp; j0 += 32) {
      // Four independent accumulators: throughput-bound FMAs, no store/reload per step.
      __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
      __m256 a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
      const float* row = xt + j0;
      for (int64_t t = 0; t < d; ++t, row += fp) {
        const __m256 a = _mm256_broadcast_ss(xi + t);
        a0 = _mm256_fmadd_ps(a, _mm256_loadu_ps(row), a0);
        a1 = _mm256_fmadd_ps(a, _mm256_loadu_ps(row + 8), a1);
        a2 = _mm256_fmadd_ps(a, _mm256_loadu_ps(row + 16), a2);
        a3 = _mm256_fmadd_ps(a, _mm256_loadu_ps(row + 24), a3);
      }
      float* g = gram + i * fp + j0;
      _mm256_storeu_ps(g, a0);
      _mm256_storeu_ps(g + 8, a1);
      _mm256_storeu_ps(g + 16, a2);
      _mm256_storeu_ps(g + 24, a3);
    }
  }
}

class DotInteractionKernel final : public Kernel {
 public:
  explicit DotInteractionKernel(bool reference)
      : gram_(!reference && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")),
        reference_(reference) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const int64_t* li = ctx.input(1)->data<int64_t>();
    const int64_t* lj = ctx.input(2)->data<int64_t>();
    const int64_t batch = x.shape()[0], f = x.shape()[1], d = x.shape()[2];
    const int64_t k = ctx.input(1)->numel();
    for (int64_t p = 0; p < k; ++p) {
      if (li[p] < 0 || li[p] >= f || lj[p] < 0 || lj[p] >= f) {
        return ctx.error(StatusCode::kOutOfRange,
                         "pair {} is ({}, {}), outside the {} features of x {}", p, li[p], lj[p],
                         f, x.shape().to_string());
      }
    }
    const float* src = x.data<float>();
    float* out = ctx.output(0).data<float>();
    const int64_t fp = (f + 31) / 32 * 32;
    auto rows = [&](int64_t begin, int64_t end) {
      // Per-thread scratch: grows on first use only, so steady-state runs do not allocate.
      thread_local std::vector<float> scratch;
      if (gram_ && scratch.size() < static_cast<size_t>(fp * (d + f))) {
        scratch.resize(static_cast<size_t>(fp * (d + f)));
      }
      for (int64_t b = begin; b < end; ++b) {
        const float* xb = src + b * f * d;
        float* ob = out + b * k;
        if (gram_) {
          float* gram = scratch.data() + fp * d;
          gram_rows_avx2(xb, f, d, scratch.data(), fp, gram);
          for (int64_t p = 0; p < k; ++p) ob[p] = gram[li[p] * fp + lj[p]];
        } else {
          for (int64_t p = 0; p < k; ++p) ob[p] = dot_portable(xb + li[p] * d, xb + lj[p] * d, d);
        }
      }
    };
    if (reference_) {
      rows(0, batch);
    } else {
      ctx.parallel_for(batch, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, k * d)), rows);
    }
    return Status::ok();
  }

 private:
  bool gram_;  // AVX2 Gram rows; otherwise one portable dot per pair
  bool reference_;
};

}  // namespace

Status infer_dot_interaction(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* li, ctx.required_input(1));
  RI_ASSIGN_OR_RETURN(const TensorInfo* lj, ctx.required_input(2));
  if (x->dtype != DType::kFloat32 || x->shape.rank() != 3) {
    return ctx.error(StatusCode::kInvalidArgument, "x must be float32 (B, F, D), got {} {}",
                     dtype_name(x->dtype), x->shape.to_string());
  }
  if (li->dtype != DType::kInt64 || lj->dtype != DType::kInt64 || li->shape.rank() != 1 ||
      lj->shape != li->shape) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "pair indices must be int64 vectors of one length, got {} {} and {} {}",
                     dtype_name(li->dtype), li->shape.to_string(), dtype_name(lj->dtype),
                     lj->shape.to_string());
  }
  ctx.set_output(0, DType::kFloat32, Shape{x->shape[0], li->shape[0]});
  return Status::ok();
}

std::unique_ptr<Kernel> make_dot_interaction(const ir::Node& /*node*/) {
  return std::make_unique<DotInteractionKernel>(false);
}

std::unique_ptr<Kernel> make_dot_interaction_reference(const ir::Node& /*node*/) {
  return std::make_unique<DotInteractionKernel>(true);
}

}  // namespace recinfer::kernels
