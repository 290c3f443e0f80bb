// ai.recinfer DotInteraction (docs/ai_recinfer_ops.md): DLRM's feature interaction. For x of
// shape (B, F, D) and index lists i, j of length K: out[b, k] = dot(x[b, i[k], :], x[b, j[k], :]).
// Replaces BatchMatMul(x, xᵀ) (B·F·F·D multiply-adds, F² outputs) followed by a gather of the
// K = F(F-1)/2 lower-triangle entries: only the K needed dot products are computed.
#include <immintrin.h>

#include <algorithm>

#include "kernels/dense/dense_kernels.h"

namespace recinfer::kernels {

namespace {

float dot_portable(const float* a, const float* b, int64_t d) {
  float acc = 0.0f;
  for (int64_t t = 0; t < d; ++t) acc += a[t] * b[t];
  return acc;
}

__attribute__((target("avx2,fma"))) float dot_avx2(const float* a, const float* b, int64_t d) {
  __m256 acc0 = _mm256_setzero_ps();
  __m256 acc1 = _mm256_setzero_ps();
  int64_t t = 0;
  for (; t + 16 <= d; t += 16) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + t), _mm256_loadu_ps(b + t), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + t + 8), _mm256_loadu_ps(b + t + 8), acc1);
  }
  for (; t + 8 <= d; t += 8) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + t), _mm256_loadu_ps(b + t), acc0);
  }
  __m256 acc = _mm256_add_ps(acc0, acc1);
  __m128 sum = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
  sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
  sum = _mm_add_ss(sum, _mm_shuffle_ps(sum, sum, 1));
  float out = _mm_cvtss_f32(sum);
  for (; t < d; ++t) out += a[t] * b[t];
  return out;
}

using DotFn = float (*)(const float*, const float*, int64_t);

class DotInteractionKernel final : public Kernel {
 public:
  explicit DotInteractionKernel(bool reference)
      : dot_(!reference && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
                 ? &dot_avx2
                 : &dot_portable),
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
    auto rows = [&](int64_t begin, int64_t end) {
      for (int64_t b = begin; b < end; ++b) {
        const float* xb = src + b * f * d;
        float* ob = out + b * k;
        for (int64_t p = 0; p < k; ++p) ob[p] = dot_(xb + li[p] * d, xb + lj[p] * d, d);
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
  DotFn dot_;
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
