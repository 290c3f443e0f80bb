// ReduceLogSumExp, numerically stable: per output, m = max(x) first, then
// log(sum(exp(x - m))) + m, so large inputs do not overflow exp and very negative ones do not
// all underflow to log(0). Integer inputs are computed in double and truncated back.
// Fast paths mirror reduce_fast.cc: contiguous rows (the reduced block is innermost) and one
// middle block (columns processed in stack-resident blocks); other layouts walk each output's
// reduced elements. The reference is that walk over the unmerged shape with std::exp.
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "kernels/dispatch.h"
#include "kernels/reduce/fast_exp.h"
#include "kernels/reduce/reduce_common.h"
#include "kernels/reduce/reduce_math.h"

namespace recinfer::kernels::reduce {
namespace {

constexpr int64_t kGrainElements = 32 * 1024;

template <typename T>
using Acc = std::conditional_t<std::is_floating_point_v<T>, T, double>;

template <typename A, bool kFast>
A exp_of(A v) {
  if constexpr (kFast && std::is_same_v<A, float>) {
    return fast_exp(v);
  } else {
    return std::exp(v);
  }
}

// The shift subtracted before exp: the max when finite. A non-finite max is already the answer
// (all -inf gives -inf, any +inf gives +inf, NaN stays NaN); the sum is then skipped or
// discarded, and a shift of 0 keeps it harmless.
template <typename A>
A shift_of(A max_value) {
  return std::isfinite(max_value) ? max_value : A(0);
}
template <typename A>
A finish(A max_value, A sum) {
  return std::isfinite(max_value) ? std::log(sum) + max_value : max_value;
}

template <typename T>
T to_output(Acc<T> v) {
  if constexpr (std::is_floating_point_v<T>) {
    return v;
  } else {
    return static_cast<T>(v);  // finite: non-empty integer inputs have a finite max
  }
}

template <typename T>
void lse_rows(const T* x, T* y, int64_t rows, int64_t len, ParallelFor& parallel) {
  using A = Acc<T>;
  const int64_t grain = std::max<int64_t>(1, kGrainElements / len);
  parallel.run(rows, grain, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const T* in = x + r * len;
      const A max_value = static_cast<A>(reduce_contiguous<T, ReduceKind::kMax>(in, len));
      if (!std::isfinite(max_value)) {
        y[r] = to_output<T>(max_value);
        continue;
      }
      const A shift = max_value;
      constexpr int kLanes = 8;
      A sum[kLanes] = {};
      int64_t i = 0;
      for (; i + kLanes <= len; i += kLanes) {
        for (int l = 0; l < kLanes; ++l) sum[l] += exp_of<A, true>(static_cast<A>(in[i + l]) - shift);
      }
      for (; i < len; ++i) sum[0] += exp_of<A, true>(static_cast<A>(in[i]) - shift);
      for (int l = 1; l < kLanes; ++l) sum[0] += sum[l];
      y[r] = to_output<T>(finish(shift, sum[0]));
    }
  });
}

template <typename T>
void lse_middle(const T* x, T* y, const ReduceSplit& split, ParallelFor& parallel) {
  using A = Acc<T>;
  using MaxR = Reducer<A, ReduceKind::kMax>;
  constexpr int64_t kBlock = 256;
  const int64_t n = split.reduced;
  const int64_t inner = split.inner;
  const int64_t blocks = (inner + kBlock - 1) / kBlock;
  const int64_t grain = std::max<int64_t>(1, kGrainElements / (n * std::min(inner, kBlock)));
  parallel.run(split.outer * blocks, grain, [&](int64_t begin, int64_t end) {
    A max_value[kBlock];
    A shift[kBlock];
    A sum[kBlock];
    for (int64_t task = begin; task < end; ++task) {
      const int64_t o = task / blocks;
      const int64_t i0 = (task % blocks) * kBlock;
      const int64_t width = std::min(kBlock, inner - i0);
      const T* in = x + o * n * inner + i0;
      for (int64_t i = 0; i < width; ++i) {
        max_value[i] = MaxR::identity();
        sum[i] = 0;
      }
      for (int64_t r = 0; r < n; ++r) {
        for (int64_t i = 0; i < width; ++i) {
          max_value[i] = MaxR::combine(max_value[i], static_cast<A>(in[r * inner + i]));
        }
      }
      for (int64_t i = 0; i < width; ++i) shift[i] = shift_of(max_value[i]);
      for (int64_t r = 0; r < n; ++r) {
        for (int64_t i = 0; i < width; ++i) {
          sum[i] += exp_of<A, true>(static_cast<A>(in[r * inner + i]) - shift[i]);
        }
      }
      T* out = y + o * inner + i0;
      for (int64_t i = 0; i < width; ++i) out[i] = to_output<T>(finish(max_value[i], sum[i]));
    }
  });
}

// Every output's reduced elements, enumerated by an odometer over the reduced blocks.
template <typename T, bool kFast>
void lse_walk(const T* x, T* y, const ReduceLayout& layout, ParallelFor* parallel) {
  using A = Acc<T>;
  using MaxR = Reducer<A, ReduceKind::kMax>;
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
  auto for_each_reduced = [&](int64_t base, auto&& fn) {
    int64_t coord[Shape::kMaxRank] = {};
    for (int64_t e = 0; e < red_count; ++e) {
      int64_t offset = base;
      for (int k = 0; k < num_red; ++k) offset += coord[k] * red_stride[k];
      fn(static_cast<A>(x[offset]));
      for (int k = num_red - 1; k >= 0; --k) {
        if (++coord[k] < red_size[k]) break;
        coord[k] = 0;
      }
    }
  };
  auto run = [&](int64_t begin, int64_t end) {
    for (int64_t o = begin; o < end; ++o) {
      int64_t base = 0;
      int64_t rest = o;
      for (int k = num_kept - 1; k >= 0; --k) {
        base += (rest % kept_size[k]) * kept_stride[k];
        rest /= kept_size[k];
      }
      A max_value = MaxR::identity();
      for_each_reduced(base, [&](A v) { max_value = MaxR::combine(max_value, v); });
      const A shift = shift_of(max_value);
      A sum = 0;
      for_each_reduced(base, [&](A v) { sum += exp_of<A, kFast>(v - shift); });
      y[o] = to_output<T>(finish(max_value, sum));
    }
  };
  if (parallel != nullptr) {
    parallel->run(out_count, std::max<int64_t>(1, kGrainElements / red_count), run);
  } else {
    run(0, out_count);
  }
}

// Reducing nothing: log(0) = -inf for floats; integers take their lowest value.
template <typename T>
void fill_empty(T* y, int64_t count) {
  if constexpr (std::numeric_limits<T>::has_infinity) {
    std::fill(y, y + count, -std::numeric_limits<T>::infinity());
  } else {
    std::fill(y, y + count, std::numeric_limits<T>::lowest());
  }
}

template <typename T>
void lse_fast_typed(const Tensor& x, uint32_t mask, Tensor& y, ParallelFor& parallel) {
  const T* in = x.data<T>();
  T* out = y.data<T>();
  if (y.numel() == 0) return;
  if (x.numel() == 0) return fill_empty(out, y.numel());
  const ReduceLayout layout = reduce_layout(x.shape(), mask);
  ReduceSplit split;
  if (!reduce_split(layout, &split) || split.reduced == 1) {
    lse_walk<T, true>(in, out, layout, &parallel);
  } else if (split.inner == 1) {
    lse_rows<T>(in, out, split.outer, split.reduced, parallel);
  } else {
    lse_middle<T>(in, out, split, parallel);
  }
}

template <typename T>
void lse_reference_typed(const Tensor& x, uint32_t mask, Tensor& y) {
  if (y.numel() == 0) return;
  if (x.numel() == 0) return fill_empty(y.data<T>(), y.numel());
  ReduceLayout layout;  // every dim its own block: no merging in the reference
  for (int d = 0; d < x.rank(); ++d) {
    layout.size[layout.count] = x.shape()[d];
    layout.reduced[layout.count++] = ((mask >> d) & 1u) != 0;
  }
  lse_walk<T, false>(x.data<T>(), y.data<T>(), layout, nullptr);
}

}  // namespace

Status log_sum_exp_fast(const Tensor& x, uint32_t mask, Tensor& y, ParallelFor& parallel) {
  return dispatch<kNumeric>(x.dtype(), [&](auto tag) {
    lse_fast_typed<decltype(tag)>(x, mask, y, parallel);
    return Status::ok();
  });
}

Status log_sum_exp_reference(const Tensor& x, uint32_t mask, Tensor& y) {
  return dispatch<kNumeric>(x.dtype(), [&](auto tag) {
    lse_reference_typed<decltype(tag)>(x, mask, y);
    return Status::ok();
  });
}

}  // namespace recinfer::kernels::reduce
