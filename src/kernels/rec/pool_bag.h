// Pooling one bag of embedding rows: the portable loops (used as they are on CPUs without AVX2
// and for the columns past the last full AVX2 vector) and the contract of the ISA variants.
// Every variant computes, per column, the same operations in the same (index) order, so the
// portable, AVX2 and reference results are bit-identical.
#pragma once

#include <cstdint>
#include <limits>

#include "kernels/rec/rec_common.h"

namespace recinfer::kernels::rec {

// One table with its ids. Ids handed to a pool function are already range-checked; negative
// ones are wrapped (Gather-style) by the pool function.
struct BagSource {
  const float* table = nullptr;
  int64_t rows = 0;
  int64_t dim = 0;
  const void* ids = nullptr;         // int32 or int64, as the pool function was chosen for
  const float* weights = nullptr;    // per-sample weights, or nullptr
  int64_t num_ids = 0;               // length of ids (bounds the prefetch look-ahead)
};

// Writes the pooled row of ids[begin, end) (count = end - begin, may be 0) to out[0, dim).
using PoolBagFn = void (*)(const BagSource& src, int64_t begin, int64_t end, float* out);

// How many ids ahead the pool loops prefetch: enough rows in flight to hide a DRAM miss behind
// the accumulation of the rows before them.
inline constexpr int64_t kPrefetchDistance = 8;

template <typename TIndex>
[[gnu::always_inline]] inline int64_t wrapped_row(const BagSource& src, int64_t position) {
  const int64_t id = static_cast<const TIndex*>(src.ids)[position];
  return id < 0 ? id + src.rows : id;
}

// Prefetches the row of ids[position] when it exists and is in range (prefetching is only a
// hint, but the address arithmetic of an arbitrary id should not overflow).
template <typename TIndex>
[[gnu::always_inline]] inline void prefetch_id(const BagSource& src, int64_t position) {
  if (position >= src.num_ids) return;
  const int64_t row = wrapped_row<TIndex>(src, position);
  if (static_cast<uint64_t>(row) < static_cast<uint64_t>(src.rows)) {
    prefetch_row(src.table + row * src.dim, src.dim * static_cast<int64_t>(sizeof(float)));
  }
}

// NaN propagates as in ReduceMax: once acc is NaN, `v > acc` stays false.
[[gnu::always_inline]] inline float max_combine(float acc, float v) {
  return (v > acc || v != v) ? v : acc;
}

template <PoolMode kMode>
constexpr float pool_identity() {
  return kMode == PoolMode::kMax ? -std::numeric_limits<float>::infinity() : 0.0f;
}

// Columns [col_begin, col_end) of the pooled row, accumulated in out itself.
template <typename TIndex, PoolMode kMode, bool kWeighted>
[[gnu::always_inline]] inline void pool_columns(const BagSource& src, int64_t begin, int64_t end,
                                                int64_t col_begin, int64_t col_end,
                                                float* __restrict__ out, bool prefetch) {
  for (int64_t c = col_begin; c < col_end; ++c) out[c] = pool_identity<kMode>();
  for (int64_t p = begin; p < end; ++p) {
    if (prefetch) prefetch_id<TIndex>(src, p + kPrefetchDistance);
    const float* __restrict__ row = src.table + wrapped_row<TIndex>(src, p) * src.dim;
    const float w = kWeighted ? src.weights[p] : 1.0f;
    for (int64_t c = col_begin; c < col_end; ++c) {
      const float v = kWeighted ? row[c] * w : row[c];
      out[c] = kMode == PoolMode::kMax ? max_combine(out[c], v) : out[c] + v;
    }
  }
  if constexpr (kMode == PoolMode::kMean) {
    // sum / count like ReduceMean: an empty bag gives 0/0 = NaN.
    const float count = static_cast<float>(end - begin);
    for (int64_t c = col_begin; c < col_end; ++c) out[c] = out[c] / count;
  }
}

template <typename TIndex, PoolMode kMode, bool kWeighted>
struct PortablePool {
  static void run(const BagSource& src, int64_t begin, int64_t end, float* out) {
    pool_columns<TIndex, kMode, kWeighted>(src, begin, end, 0, src.dim, out, true);
  }
};

// The instantiation of Pool<TIndex, mode, weighted>::run for run-time choices (weights come
// only with mode sum; infer enforces it).
template <template <typename, PoolMode, bool> class Pool>
PoolBagFn pick_pool(PoolMode mode, DType id_dtype, bool weighted) {
  auto for_index = [&]<typename TIndex>() -> PoolBagFn {
    switch (mode) {
      case PoolMode::kSum:
        return weighted ? &Pool<TIndex, PoolMode::kSum, true>::run
                        : &Pool<TIndex, PoolMode::kSum, false>::run;
      case PoolMode::kMean: return &Pool<TIndex, PoolMode::kMean, false>::run;
      default: return &Pool<TIndex, PoolMode::kMax, false>::run;
    }
  };
  return id_dtype == DType::kInt32 ? for_index.template operator()<int32_t>()
                                   : for_index.template operator()<int64_t>();
}

// The pool function for a bag: AVX2 when the CPU has it (and it is allowed), else portable.
PoolBagFn find_pool_bag(PoolMode mode, DType id_dtype, bool weighted);

}  // namespace recinfer::kernels::rec
