// Optimised Reduce* (all but LogSumExp, see log_sum_exp.cc). The input is viewed as merged kept/reduced blocks; the common
// shapes in recommendation models get dedicated loops:
//  - innermost reduction (pooling over emb_dim, sequence length at the end): independent
//    contiguous rows, reduced with several partial accumulators so the loop vectorises;
//  - one middle block (outer x reduced x inner, e.g. sum over the sequence axis of
//    (batch, seq, emb_dim)): whole contiguous inner rows are combined element-wise;
//  - everything to one value: fixed chunks reduced in parallel, combined in chunk order so the
//    result does not depend on the thread count.
// Other layouts take a general strided walk.
#include <algorithm>

#include "kernels/dispatch.h"
#include "kernels/reduce/reduce_common.h"
#include "kernels/reduce/reduce_math.h"

namespace recinfer::kernels::reduce {
namespace {

// Work per parallel task, in input elements, so small reductions stay on one thread.
constexpr int64_t kGrainElements = 32 * 1024;

template <typename T, ReduceKind kKind>
void reduce_rows(const T* x, T* y, int64_t rows, int64_t len, ParallelFor& parallel) {
  using R = Reducer<T, kKind>;
  const int64_t grain = std::max<int64_t>(1, kGrainElements / len);
  parallel.run(rows, grain, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      y[r] = R::finalize(reduce_contiguous<T, kKind>(x + r * len, len), len);
    }
  });
}

template <typename T, ReduceKind kKind>
void reduce_all(const T* x, T* y, int64_t n, ParallelFor& parallel) {
  using R = Reducer<T, kKind>;
  constexpr int64_t kMaxChunks = 64;
  const int64_t chunks = std::clamp<int64_t>(n / kGrainElements, 1, kMaxChunks);
  const int64_t chunk_len = (n + chunks - 1) / chunks;
  T partial[kMaxChunks];
  parallel.run(chunks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      const int64_t start = std::min(c * chunk_len, n);
      const int64_t len = std::min(chunk_len, n - start);
      partial[c] = reduce_contiguous<T, kKind>(x + start, len);
    }
  });
  T acc = partial[0];
  for (int64_t c = 1; c < chunks; ++c) acc = R::combine(acc, partial[c]);
  y[0] = R::finalize(acc, n);
}

template <typename T, ReduceKind kKind>
void reduce_middle(const T* x, T* y, const ReduceSplit& split, ParallelFor& parallel) {
  using R = Reducer<T, kKind>;
  // Inner rows are cut into blocks so a single outer row (outer == 1) still parallelises and
  // each task's destination stays in L1 while the reduced rows stream past it.
  constexpr int64_t kBlock = 512;
  const int64_t inner = split.inner;
  const int64_t blocks = (inner + kBlock - 1) / kBlock;
  const int64_t task_elements = split.reduced * std::min(inner, kBlock);
  const int64_t grain = std::max<int64_t>(1, kGrainElements / task_elements);
  parallel.run(split.outer * blocks, grain, [&](int64_t begin, int64_t end) {
    for (int64_t task = begin; task < end; ++task) {
      const int64_t o = task / blocks;
      const int64_t i0 = (task % blocks) * kBlock;
      const int64_t width = std::min(kBlock, inner - i0);
      const T* src = x + o * split.reduced * inner + i0;
      T* dst = y + o * inner + i0;
      for (int64_t i = 0; i < width; ++i) dst[i] = R::map(src[i]);
      for (int64_t r = 1; r < split.reduced; ++r) {
        const T* row = src + r * inner;
        for (int64_t i = 0; i < width; ++i) dst[i] = R::accumulate(dst[i], row[i]);
      }
      if constexpr (R::kHasFinalize) {
        for (int64_t i = 0; i < width; ++i) dst[i] = R::finalize(dst[i], split.reduced);
      }
    }
  });
}

template <typename T, ReduceKind kKind>
void reduce_general(const T* x, T* y, const ReduceLayout& layout, ParallelFor& parallel) {
  using R = Reducer<T, kKind>;
  int64_t stride[Shape::kMaxRank];
  int64_t running = 1;
  for (int b = layout.count - 1; b >= 0; --b) {
    stride[b] = running;
    running *= layout.size[b];
  }
  int64_t kept_size[Shape::kMaxRank], kept_stride[Shape::kMaxRank];
  int64_t red_size[Shape::kMaxRank], red_stride[Shape::kMaxRank];
  int num_kept = 0, num_red = 0;
  int64_t out_count = 1, red_count = 1;
  for (int b = 0; b < layout.count; ++b) {
    if (layout.reduced[b]) {
      red_size[num_red] = layout.size[b];
      red_stride[num_red++] = stride[b];
      red_count *= layout.size[b];
    } else {
      kept_size[num_kept] = layout.size[b];
      kept_stride[num_kept++] = stride[b];
      out_count *= layout.size[b];
    }
  }
  // The general path only runs with two or more reduced blocks; the last one is the inner loop.
  const int64_t last_size = red_size[num_red - 1];
  const int64_t last_stride = red_stride[num_red - 1];
  const int64_t grain = std::max<int64_t>(1, kGrainElements / red_count);
  parallel.run(out_count, grain, [&](int64_t begin, int64_t end) {
    for (int64_t o = begin; o < end; ++o) {
      int64_t base = 0;
      int64_t rest = o;
      for (int k = num_kept - 1; k >= 0; --k) {
        base += (rest % kept_size[k]) * kept_stride[k];
        rest /= kept_size[k];
      }
      int64_t coord[Shape::kMaxRank] = {};
      T acc = R::identity();
      for (int64_t run = 0; run < red_count / last_size; ++run) {
        int64_t offset = base;
        for (int k = 0; k < num_red - 1; ++k) offset += coord[k] * red_stride[k];
        if (last_stride == 1) {
          acc = R::combine(acc, reduce_contiguous<T, kKind>(x + offset, last_size));
        } else {
          for (int64_t i = 0; i < last_size; ++i) {
            acc = R::accumulate(acc, x[offset + i * last_stride]);
          }
        }
        for (int k = num_red - 2; k >= 0; --k) {
          if (++coord[k] < red_size[k]) break;
          coord[k] = 0;
        }
      }
      y[o] = R::finalize(acc, red_count);
    }
  });
}

template <typename T, ReduceKind kKind>
void reduce_typed(const Tensor& x, uint32_t mask, Tensor& y, ParallelFor& parallel) {
  using R = Reducer<T, kKind>;
  const T* in = x.data<T>();
  T* out = y.data<T>();
  const int64_t out_count = y.numel();
  if (out_count == 0) return;
  if (x.numel() == 0) {  // reducing over an empty set: the spec's identity value
    std::fill(out, out + out_count, R::finalize(R::identity(), 0));
    return;
  }
  const ReduceLayout layout = reduce_layout(x.shape(), mask);
  ReduceSplit split;
  if (!reduce_split(layout, &split)) {
    reduce_general<T, kKind>(in, out, layout, parallel);
  } else if (split.inner == 1 && split.outer == 1) {
    reduce_all<T, kKind>(in, out, split.reduced, parallel);
  } else if (split.inner == 1) {
    reduce_rows<T, kKind>(in, out, split.outer, split.reduced, parallel);
  } else {
    reduce_middle<T, kKind>(in, out, split, parallel);
  }
}

}  // namespace

Status reduce_fast(ReduceKind kind, const Tensor& x, uint32_t mask, Tensor& y,
                   ParallelFor& parallel) {
  if (kind == ReduceKind::kLogSumExp) return log_sum_exp_fast(x, mask, y, parallel);
  return dispatch<kNumeric>(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    with_reduce_kind(kind, [&]<ReduceKind kKind>() { reduce_typed<T, kKind>(x, mask, y, parallel); });
    return Status::ok();
  });
}

}  // namespace recinfer::kernels::reduce
