// TopK selection loops. Recommendation models take small k (tens to hundreds) out of large
// candidate sets, so the fast path is a bounded heap over element indices: O(n log k), touching
// the input once, with the heap living in the indices output itself so nothing is allocated.
// On a contiguous column, blocks of elements that cannot enter the selection are skipped by a
// vectorised threshold test. For 16 < k <= 64 over a long column the heap's sift-downs
// (unpredictable branches) dominate, so that case collects the elements that beat a threshold
// into a small stack buffer instead and selects from it in batches.
#include <algorithm>
#include <numeric>
#include <utility>

#include "kernels/dispatch.h"
#include "kernels/reduce/value_order.h"
#include "kernels/sequence/top_k.h"

namespace recinfer::kernels::sequence {
namespace {

using reduce::is_nan;
using reduce::value_less;

// "a ranks above b by value", with NaN above every number.
template <typename T>
bool value_above(T a, T b) {
  return value_less(b, a);
}

// Strict total order over positions of one column: by value, then smaller index first. Being
// total (no ties) makes the heap's result independent of visiting order.
template <typename T, bool kLargest>
struct Ranking {
  const T* column;
  int64_t stride;

  T value(int64_t position) const { return column[position * stride]; }
  static bool value_better(T a, T b) { return kLargest ? value_above(a, b) : value_above(b, a); }
  bool better(int64_t a, int64_t b) const {
    const T va = value(a);
    const T vb = value(b);
    if (value_better(va, vb)) return true;
    if (value_better(vb, va)) return false;
    return a < b;
  }
};

// Elements a contiguous column's scan tests at once against the threshold: with small k most
// of a long column fails it, so whole blocks are skipped by one vectorised test.
constexpr int64_t kScanBlock = 16;

// Whether any of x[0, kScanBlock) has a value strictly better than a threshold that is not
// NaN. NaN ranks above every number, so for the largest values "better" is !(v <= threshold)
// and for the smallest it is v < threshold: one compare per element, which vectorises.
// Not inlined: inside the scan loop GCC unrolls it into scalar compares instead of
// vectorising it.
template <typename T, bool kLargest>
[[gnu::noinline]] bool any_better(const T* __restrict__ x, T threshold) {
  unsigned any = 0;  // not bool: GCC vectorises an unsigned OR-reduction, not a bool one
  for (int64_t i = 0; i < kScanBlock; ++i) {
    any |= static_cast<unsigned>(kLargest ? !(x[i] <= threshold) : x[i] < threshold);
  }
  return any != 0;
}

// Block skipping starts at position kSkipFactor * k: on random data position j enters a
// top-k with probability about k / j, so before that most blocks hold a candidate and the
// block test would only add work.
constexpr int64_t kSkipFactor = 32;

// Calls accept(j, value) for the positions j in [k, n), in order, whose value is strictly
// better than `threshold` at that moment (accept may raise it). On a contiguous column, past
// the dense start, whole blocks where nothing beats the threshold are skipped with one
// vectorised test; the selection sees exactly the calls of a plain loop.
template <typename T, bool kLargest, typename Accept>
[[gnu::always_inline]] inline void scan_column(const Ranking<T, kLargest>& ranking, int64_t k,
                                               int64_t n, const T& threshold, Accept&& accept) {
  auto offer = [&](int64_t j) {
    const T v = ranking.value(j);
    if (Ranking<T, kLargest>::value_better(v, threshold)) accept(j, v);
  };
  int64_t j = k;
  if (ranking.stride == 1) {
    for (; j < std::min(n, kSkipFactor * k); ++j) offer(j);
    for (; j + kScanBlock <= n; j += kScanBlock) {
      if (!is_nan(threshold) && !any_better<T, kLargest>(ranking.column + j, threshold)) continue;
      for (int64_t b = j; b < j + kScanBlock; ++b) offer(b);
    }
  }
  for (; j < n; ++j) offer(j);
}

// heap[s * heap_stride] holds candidate positions, the worst candidate on top.
template <typename T, bool kLargest>
void select_column(const Ranking<T, kLargest>& ranking, int64_t n, int64_t k, int64_t* heap,
                   int64_t heap_stride) {
  auto at = [&](int64_t slot) -> int64_t& { return heap[slot * heap_stride]; };
  auto sift_down = [&](int64_t slot, int64_t size) {
    while (true) {
      int64_t child = 2 * slot + 1;
      if (child >= size) return;
      if (child + 1 < size && ranking.better(at(child), at(child + 1))) ++child;  // the worse one
      if (ranking.better(at(child), at(slot))) return;
      std::swap(at(child), at(slot));
      slot = child;
    }
  };
  for (int64_t s = 0; s < k; ++s) at(s) = s;
  for (int64_t s = k / 2 - 1; s >= 0; --s) sift_down(s, k);
  // Every candidate in the heap has a smaller index than j, so j beats the worst one exactly
  // when its value is strictly better: one compare against a cached threshold per element.
  T threshold = ranking.value(at(0));
  scan_column(ranking, k, n, threshold, [&](int64_t j, T) {
    at(0) = j;
    sift_down(0, k);
    threshold = ranking.value(at(0));
  });
  // Heap sort: the worst remaining candidate goes to the back, leaving the best at slot 0.
  for (int64_t size = k - 1; size > 0; --size) {
    std::swap(at(0), at(size));
    sift_down(0, size);
  }
}

// The buffered selection handles kMinBufferedK < k <= kMaxBufferedK, for columns at least
// kBufferFactor * k long; for smaller k the heap is shallow enough to be as cheap.
constexpr int64_t kMinBufferedK = 16;
constexpr int64_t kMaxBufferedK = 64;
constexpr int64_t kBufferFactor = 4;

// Same result as select_column (the k best positions by value, then smaller index, best first)
// for k <= kMaxBufferedK. Candidates are kept as (value, position) pairs in a stack buffer of
// kBufferFactor * k. An element is appended when its value is strictly better than the
// threshold, the k-th best candidate of the last compaction: every candidate has a smaller
// position, so an element tying the threshold cannot be among the k best. A full buffer is
// cut back to its k best (nth_element), which raises the threshold. The scan is one
// well-predicted compare per element; selection work is O(k) per k*(kBufferFactor-1) appends.
template <typename T, bool kLargest>
void select_column_buffered(const Ranking<T, kLargest>& ranking, int64_t n, int64_t k,
                            int64_t* out, int64_t out_stride) {
  struct Candidate {
    T value;
    int64_t position;
  };
  auto better = [](const Candidate& a, const Candidate& b) {
    if (Ranking<T, kLargest>::value_better(a.value, b.value)) return true;
    if (Ranking<T, kLargest>::value_better(b.value, a.value)) return false;
    return a.position < b.position;
  };
  Candidate buffer[kMaxBufferedK * kBufferFactor];
  const int64_t capacity = k * kBufferFactor;
  int64_t size = 0;
  for (int64_t j = 0; j < k; ++j) buffer[size++] = {ranking.value(j), j};
  auto keep_best_k = [&] {
    std::nth_element(buffer, buffer + k - 1, buffer + size, better);
    size = k;
    return buffer[k - 1].value;
  };
  T threshold = keep_best_k();
  scan_column(ranking, k, n, threshold, [&](int64_t j, T v) {
    buffer[size++] = {v, j};
    if (size == capacity) threshold = keep_best_k();
  });
  keep_best_k();
  std::sort(buffer, buffer + k, better);  // a strict total order: no ties left to break
  for (int64_t s = 0; s < k; ++s) out[s * out_stride] = buffer[s].position;
}

template <typename T, bool kLargest>
void top_k_heap_typed(const T* x, T* values, int64_t* indices, const TopKSplit& split,
                      ParallelFor& parallel) {
  const int64_t inner = split.inner;
  const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, split.n));
  parallel.run(split.outer * inner, grain, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      const int64_t o = c / inner;
      const int64_t i = c % inner;
      const T* column = x + o * split.n * inner + i;
      T* value_column = values + o * split.k * inner + i;
      int64_t* index_column = indices + o * split.k * inner + i;
      const Ranking<T, kLargest> ranking{column, inner};
      if (split.k > kMinBufferedK && split.k <= kMaxBufferedK &&
          split.n >= kBufferFactor * split.k) {
        select_column_buffered(ranking, split.n, split.k, index_column, inner);
      } else {
        select_column(ranking, split.n, split.k, index_column, inner);
      }
      for (int64_t s = 0; s < split.k; ++s) {
        value_column[s * inner] = column[index_column[s * inner] * inner];
      }
    }
  });
}

template <typename T>
void top_k_reference_typed(const T* x, T* values, int64_t* indices, const TopKSplit& split,
                           int64_t* order) {
  const int64_t inner = split.inner;
  for (int64_t o = 0; o < split.outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const T* column = x + o * split.n * inner + i;
      std::iota(order, order + split.n, int64_t{0});
      // Stability keeps equal values in index order.
      std::stable_sort(order, order + split.n, [&](int64_t a, int64_t b) {
        const T va = column[a * inner];
        const T vb = column[b * inner];
        return split.largest ? value_above(va, vb) : value_above(vb, va);
      });
      for (int64_t s = 0; s < split.k; ++s) {
        values[(o * split.k + s) * inner + i] = column[order[s] * inner];
        indices[(o * split.k + s) * inner + i] = order[s];
      }
    }
  }
}

}  // namespace

Status top_k_heap(const Tensor& x, const TopKSplit& split, Tensor& values, Tensor& indices,
                  ParallelFor& parallel) {
  if (split.k == 0) return Status::ok();
  return dispatch<kNumeric>(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if (split.largest) {
      top_k_heap_typed<T, true>(x.data<T>(), values.data<T>(), indices.data<int64_t>(), split,
                                parallel);
    } else {
      top_k_heap_typed<T, false>(x.data<T>(), values.data<T>(), indices.data<int64_t>(), split,
                                 parallel);
    }
    return Status::ok();
  });
}

Status top_k_reference(const Tensor& x, const TopKSplit& split, Tensor& values,
                       Tensor& indices) {
  if (split.k == 0) return Status::ok();
  RI_ASSIGN_OR_RETURN(Tensor order, Tensor::allocate(DType::kInt64, Shape{split.n}));
  return dispatch<kNumeric>(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    top_k_reference_typed<T>(x.data<T>(), values.data<T>(), indices.data<int64_t>(), split,
                             order.data<int64_t>());
    return Status::ok();
  });
}

}  // namespace recinfer::kernels::sequence
