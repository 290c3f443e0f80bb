// ai.recinfer DotInteraction (docs/ai_recinfer_ops.md): DLRM's feature interaction. For x of
// shape (B, F, D) and index lists i, j of length K: out[b, k] = dot(x[b, i[k], :], x[b, j[k], :]).
// Replaces BatchMatMul(x, xᵀ) (B·F·F·D multiply-adds, F² outputs) followed by a gather of the
// K = F(F-1)/2 lower-triangle entries: only the K needed dot products are computed.
// Paths: AVX-512 across 16 samples (below), AVX2 Gram rows per sample, portable dots.
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

// AVX-512 across samples: 16 samples at a time, x re-laid out as xt[f][t][lane], so every
// pair's dot product for all 16 samples is a chain of D vertical FMAs — no horizontal sums.
// The re-layouts in and out are 16x16 register transposes (gathers and scatters are microcoded,
// and slow, on CPUs with the gather-data-sampling mitigation).
constexpr int64_t kLanes = 16;

// GCC 12's avx512fintrin.h fills the unused pass-through operand of these intrinsics with a
// self-initialised `__Y`, which -Wmaybe-uninitialized flags at -O1 (the TSAN build): harmless.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
__attribute__((target("avx512f"))) inline void transpose16x16(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    r[i] = _mm512_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int i = 0; i < 4; ++i) {
    t[i] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0x88);
    t[i + 4] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0xdd);
    t[i + 8] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0x88);
    t[i + 12] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0xdd);
  }
  for (int i = 0; i < 4; ++i) {
    r[i] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88);
    r[i + 8] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0xdd);
    r[i + 4] = _mm512_shuffle_f32x4(t[i + 4], t[i + 12], 0x88);
    r[i + 12] = _mm512_shuffle_f32x4(t[i + 4], t[i + 12], 0xdd);
  }
}
#pragma GCC diagnostic pop

// xt[c·16 + lane] = x[lane][c] for the f·d elements c of a sample, lane < rows (other lanes 0).
__attribute__((target("avx512f"))) void to_lanes(const float* x, int64_t rows, int64_t cols,
                                                  float* xt) {
  __m512 r[16];
  for (int64_t c0 = 0; c0 < cols; c0 += 16) {
    const int64_t n = std::min<int64_t>(16, cols - c0);
    const __mmask16 take = static_cast<__mmask16>((1u << n) - 1u);
    for (int64_t lane = 0; lane < 16; ++lane) {
      r[lane] = lane < rows ? _mm512_maskz_loadu_ps(take, x + lane * cols + c0) : _mm512_setzero_ps();
    }
    transpose16x16(r);
    for (int64_t j = 0; j < n; ++j) _mm512_storeu_ps(xt + (c0 + j) * kLanes, r[j]);
  }
}

// The inverse: dst[lane·stride + c] = src[c·16 + lane] for c < cols, lane < rows.
__attribute__((target("avx512f"))) void from_lanes(const float* src, int64_t rows, int64_t cols,
                                                    float* dst, int64_t stride) {
  __m512 r[16];
  for (int64_t c0 = 0; c0 < cols; c0 += 16) {
    const int64_t n = std::min<int64_t>(16, cols - c0);
    const __mmask16 put = static_cast<__mmask16>((1u << n) - 1u);
    for (int64_t j = 0; j < 16; ++j) {
      r[j] = j < n ? _mm512_loadu_ps(src + (c0 + j) * kLanes) : _mm512_setzero_ps();
    }
    transpose16x16(r);
    for (int64_t lane = 0; lane < rows; ++lane) _mm512_mask_storeu_ps(dst + lane * stride + c0, put, r[lane]);
  }
}

// Dot products of all feature pairs of 16 samples, register-blocked: a 4x4 block of features
// (i in I, j in J) keeps 16 accumulators and loads 8 vectors per step, so the FMAs, not the
// loads, set the pace (one pair at a time needs two loads per FMA). Only blocks with I <= J are
// computed; gram[(i·fp + j)·16 + lane] holds the dot for i <= j up to the blocks' edges.
constexpr int64_t kFeatureBlock = 4;

__attribute__((target("avx512f"))) void gram_blocks_avx512(const float* xt, int64_t fp, int64_t d,
                                                            float* gram) {
  const int64_t feature_stride = d * kLanes;
  for (int64_t i0 = 0; i0 < fp; i0 += kFeatureBlock) {
    for (int64_t j0 = i0; j0 < fp; j0 += kFeatureBlock) {
      __m512 acc[kFeatureBlock * kFeatureBlock];
      for (__m512& v : acc) v = _mm512_setzero_ps();
      const float* a = xt + i0 * feature_stride;
      const float* b = xt + j0 * feature_stride;
      for (int64_t t = 0; t < d; ++t, a += kLanes, b += kLanes) {
        __m512 av[kFeatureBlock], bv[kFeatureBlock];
        for (int64_t r = 0; r < kFeatureBlock; ++r) {
          av[r] = _mm512_loadu_ps(a + r * feature_stride);
          bv[r] = _mm512_loadu_ps(b + r * feature_stride);
        }
        for (int64_t r = 0; r < kFeatureBlock; ++r) {
          for (int64_t c = 0; c < kFeatureBlock; ++c) {
            acc[r * kFeatureBlock + c] = _mm512_fmadd_ps(av[r], bv[c], acc[r * kFeatureBlock + c]);
          }
        }
      }
      for (int64_t r = 0; r < kFeatureBlock; ++r) {
        for (int64_t c = 0; c < kFeatureBlock; ++c) {
          _mm512_storeu_ps(gram + ((i0 + r) * fp + j0 + c) * kLanes, acc[r * kFeatureBlock + c]);
        }
      }
    }
  }
}

int64_t padded_features(int64_t f) { return (f + kFeatureBlock - 1) / kFeatureBlock * kFeatureBlock; }

// Scratch of one 16-sample block: the features in lanes (f rounded up to the feature block, the
// padding features zero), the Gram blocks, and the K wanted dots in lanes.
int64_t lane_scratch_floats(int64_t f, int64_t d, int64_t k) {
  const int64_t fp = padded_features(f);
  return (fp * d + fp * fp + k) * kLanes;
}

__attribute__((target("avx512f"))) void dot_block_avx512(const float* x, int64_t rows, int64_t f,
                                                          int64_t d, const int64_t* li,
                                                          const int64_t* lj, int64_t k,
                                                          float* scratch, float* out) {
  const int64_t fp = padded_features(f);
  float* xt = scratch;
  float* gram = xt + fp * d * kLanes;
  float* tile = gram + fp * fp * kLanes;
  to_lanes(x, rows, f * d, xt);
  std::fill(xt + f * d * kLanes, xt + fp * d * kLanes, 0.0f);
  gram_blocks_avx512(xt, fp, d, gram);
  for (int64_t p = 0; p < k; ++p) {
    const int64_t i = std::min(li[p], lj[p]), j = std::max(li[p], lj[p]);
    _mm512_storeu_ps(tile + p * kLanes, _mm512_loadu_ps(gram + (i * fp + j) * kLanes));
  }
  from_lanes(tile, rows, k, out, k);
}

class DotInteractionKernel final : public Kernel {
 public:
  explicit DotInteractionKernel(bool reference)
      : across_samples_(!reference && __builtin_cpu_supports("avx512f")),
        gram_(!reference && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")),
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
    if (across_samples_) {
      const int64_t blocks = (batch + kLanes - 1) / kLanes;
      ctx.parallel_for(blocks, 1, [&](int64_t begin, int64_t end) {
        // Per-thread scratch: grows on first use only, so steady-state runs do not allocate.
        thread_local std::vector<float> scratch;
        const auto need = static_cast<size_t>(lane_scratch_floats(f, d, k));
        if (scratch.size() < need) scratch.resize(need);
        for (int64_t blk = begin; blk < end; ++blk) {
          const int64_t b0 = blk * kLanes;
          dot_block_avx512(src + b0 * f * d, std::min(kLanes, batch - b0), f, d, li, lj, k,
                           scratch.data(), out + b0 * k);
        }
      });
      return Status::ok();
    }
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
  bool across_samples_;  // AVX-512, 16 samples per vector
  bool gram_;            // AVX2 Gram rows; otherwise one portable dot per pair
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
