#include "kernels/rec/avx2/pool_avx2.h"

#include <immintrin.h>

#include <atomic>

namespace recinfer::kernels::rec::avx2 {
namespace {

// Only "avx2", not "fma": a weighted row is multiplied and then added, rounded twice like the
// Mul + ReduceSum it replaces (and like the portable loop), never contracted into an FMA.
#define RI_AVX2 __attribute__((target("avx2")))

constexpr int kLanes = 8;
// Columns per register block: 8 accumulators, half of the 16 ymm registers.
constexpr int kMaxVecs = 8;

template <PoolMode kMode>
RI_AVX2 inline __m256 combine(__m256 acc, __m256 v) {
  if constexpr (kMode == PoolMode::kMax) {
    // v replaces acc where v > acc or v is NaN (max_combine of pool_bag.h).
    const __m256 take = _mm256_or_ps(_mm256_cmp_ps(v, acc, _CMP_GT_OQ),
                                     _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
    return _mm256_blendv_ps(acc, v, take);
  } else {
    return _mm256_add_ps(acc, v);
  }
}

// kVecs * 8 columns starting at col, accumulated in registers over the whole bag.
template <typename TIndex, PoolMode kMode, bool kWeighted, int kVecs>
RI_AVX2 void pool_block(const BagSource& src, int64_t begin, int64_t end, int64_t col, float* out,
                        bool prefetch) {
  __m256 acc[kVecs];
  const __m256 identity = _mm256_set1_ps(pool_identity<kMode>());
#pragma GCC unroll 8
  for (int v = 0; v < kVecs; ++v) acc[v] = identity;
  for (int64_t p = begin; p < end; ++p) {
    if (prefetch) prefetch_id<TIndex>(src, p + kPrefetchDistance);
    const float* row = src.table + wrapped_row<TIndex>(src, p) * src.dim + col;
    [[maybe_unused]] const __m256 w = _mm256_set1_ps(kWeighted ? src.weights[p] : 1.0f);
#pragma GCC unroll 8
    for (int v = 0; v < kVecs; ++v) {
      __m256 x = _mm256_loadu_ps(row + v * kLanes);
      if constexpr (kWeighted) x = _mm256_mul_ps(x, w);
      acc[v] = combine<kMode>(acc[v], x);
    }
  }
  if constexpr (kMode == PoolMode::kMean) {
    const __m256 count = _mm256_set1_ps(static_cast<float>(end - begin));
#pragma GCC unroll 8
    for (int v = 0; v < kVecs; ++v) acc[v] = _mm256_div_ps(acc[v], count);
  }
#pragma GCC unroll 8
  for (int v = 0; v < kVecs; ++v) _mm256_storeu_ps(out + col + v * kLanes, acc[v]);
}

template <typename TIndex, PoolMode kMode, bool kWeighted>
struct Avx2Pool {
  RI_AVX2 static void run(const BagSource& src, int64_t begin, int64_t end, float* out) {
    const int64_t full_vecs = src.dim / kLanes;
    int64_t vec = 0;
    bool prefetch = true;  // the first pass over the bag prefetches the rows ahead
    while (vec < full_vecs) {
      const int64_t n = std::min<int64_t>(kMaxVecs, full_vecs - vec);
      const int64_t col = vec * kLanes;
      auto block = [&]<int kVecs>() {
        pool_block<TIndex, kMode, kWeighted, kVecs>(src, begin, end, col, out, prefetch);
      };
      switch (n) {
        case 8: block.template operator()<8>(); break;
        case 7: block.template operator()<7>(); break;
        case 6: block.template operator()<6>(); break;
        case 5: block.template operator()<5>(); break;
        case 4: block.template operator()<4>(); break;
        case 3: block.template operator()<3>(); break;
        case 2: block.template operator()<2>(); break;
        default: block.template operator()<1>(); break;
      }
      vec += n;
      prefetch = false;
    }
    if (full_vecs * kLanes < src.dim) {
      pool_columns<TIndex, kMode, kWeighted>(src, begin, end, full_vecs * kLanes, src.dim, out,
                                             prefetch);
    }
  }
};

std::atomic<bool> avx2_allowed{true};

bool cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2") != 0;
  return has;
}

}  // namespace

PoolBagFn find_pool_bag(PoolMode mode, DType id_dtype, bool weighted) {
  if (!avx2_allowed.load(std::memory_order_relaxed) || !cpu_has_avx2()) return nullptr;
  return pick_pool<Avx2Pool>(mode, id_dtype, weighted);
}

void set_avx2_allowed(bool allowed) { avx2_allowed.store(allowed, std::memory_order_relaxed); }

}  // namespace recinfer::kernels::rec::avx2
