// CompareCount (ai.recinfer): ReduceSum(Cast(cmp(A, B), to), axes=[-1], keepdims) without the
// N x M bool tensor. General broadcasting counts along the last axis of the broadcast shape per
// outer position. The id-match case (A is (..., N, 1), B varies only along its last axis M)
// sorts B once into per-thread scratch and answers each element of A by binary search:
// O((N + M) log M) instead of N * M; for integer Equal it counts B in a hash table instead.
#include <algorithm>

#include "kernels/compare/broadcast.h"
#include "kernels/reduce/value_order.h"
#include "kernels/rec/rec_common.h"
#include "kernels/rec/sort_values.h"
#include "kernels/rec/value_counts.h"
#include "kernels/rec/rec_kernels.h"

namespace recinfer::kernels {

using namespace rec;  // NOLINT(google-build-using-namespace)

namespace {

// The fast path pays for its sort when both sides are at least this long.
constexpr int64_t kSortedMinLength = 16;
constexpr int64_t kCountGrain = 1024;  // compared elements per parallel chunk, at least

// Broadcast of two shapes already validated by infer.
Shape broadcast_of(const Shape& a, const Shape& b) {
  const int rank = std::max(a.rank(), b.rank());
  Shape out;
  for (int d = 0; d < rank; ++d) {
    const int da = d - (rank - a.rank());
    const int db = d - (rank - b.rank());
    const int64_t dim_a = da >= 0 ? a[da] : 1;
    const int64_t dim_b = db >= 0 ? b[db] : 1;
    out.push_back(dim_a == 1 ? dim_b : dim_a);
  }
  return out;
}

// Element strides of `in` right-aligned to `out`, 0 on broadcast dims.
std::array<int64_t, Shape::kMaxRank> broadcast_strides(const Shape& in, const Shape& out) {
  std::array<int64_t, Shape::kMaxRank> strides{};
  const int pad = out.rank() - in.rank();
  int64_t stride = 1;
  for (int d = out.rank() - 1; d >= pad; --d) {
    strides[d] = in[d - pad] == 1 ? 0 : stride;
    stride *= in[d - pad];
  }
  return strides;
}

template <typename T, typename Op, bool kStepA, bool kStepB>
int64_t count_run(const T* a, const T* b, int64_t m) {
  int64_t count = 0;
  for (int64_t j = 0; j < m; ++j) count += Op::apply(a[kStepA ? j : 0], b[kStepB ? j : 0]) ? 1 : 0;
  return count;
}

// General broadcasting: one count per position of the broadcast shape without its last axis.
template <typename T, typename Op, typename To>
void count_broadcast(const Tensor& a, const Tensor& b, const Shape& full, To* out,
                     KernelContext& ctx) {
  const int outer_rank = full.rank() - 1;
  const int64_t m = full[outer_rank];
  const int64_t outer = full.product(0, outer_rank);
  const auto stride_a = broadcast_strides(a.shape(), full);
  const auto stride_b = broadcast_strides(b.shape(), full);
  const bool step_a = stride_a[outer_rank] != 0;
  const bool step_b = stride_b[outer_rank] != 0;
  auto count = step_a ? (step_b ? &count_run<T, Op, true, true> : &count_run<T, Op, true, false>)
                      : (step_b ? &count_run<T, Op, false, true> : &count_run<T, Op, false, false>);
  const T* a_data = a.data<T>();
  const T* b_data = b.data<T>();
  const int64_t grain = std::max<int64_t>(1, kCountGrain / std::max<int64_t>(m, 1));
  ctx.parallel_for(outer, grain, [&](int64_t begin, int64_t end) {
    // Decode the first position once, then step the multi-index with carries.
    std::array<int64_t, Shape::kMaxRank> index{};
    int64_t offset_a = 0;
    int64_t offset_b = 0;
    int64_t rest = begin;
    for (int d = outer_rank - 1; d >= 0; --d) {
      index[d] = rest % full[d];
      rest /= full[d];
      offset_a += index[d] * stride_a[d];
      offset_b += index[d] * stride_b[d];
    }
    for (int64_t o = begin; o < end; ++o) {
      out[o] = static_cast<To>(count(a_data + offset_a, b_data + offset_b, m));
      for (int d = outer_rank - 1; d >= 0; --d) {
        offset_a += stride_a[d];
        offset_b += stride_b[d];
        if (++index[d] < full[d]) break;
        offset_a -= index[d] * stride_a[d];
        offset_b -= index[d] * stride_b[d];
        index[d] = 0;
      }
    }
  });
}

// How many of sorted[0, valid) (ascending, NaN-free) satisfy `x Op b`.
template <typename T, typename Op>
int64_t count_sorted(const T* sorted, int64_t valid, T x) {
  if (reduce::is_nan(x)) return 0;
  const int64_t below = std::lower_bound(sorted, sorted + valid, x) - sorted;      // b < x
  const int64_t not_above = std::upper_bound(sorted, sorted + valid, x) - sorted;  // b <= x
  switch (Op::kKind) {
    case Predicate::kEqual: return not_above - below;
    case Predicate::kGreater: return below;
    case Predicate::kGreaterOrEqual: return not_above;
    case Predicate::kLess: return valid - not_above;
    default: return valid - below;  // LessOrEqual
  }
}

// A is (..., N, 1) and B is (1, ..., 1, M): out[i] counts over B for A's element i.
template <typename T, typename Op, typename To>
Status count_sorted_path(const Tensor& a, const Tensor& b, To* out, KernelContext& ctx) {
  const int64_t m = b.numel();
  if constexpr (std::is_integral_v<T>) {
    if (Op::kKind == Predicate::kEqual && m < (int64_t{1} << 32)) {
      // Equality needs no order: count B's values in a hash table and look A's up.
      ValueCounts<T> counts;
      if (!counts.build(b.data<T>(), m)) return scratch_error(ctx, 2 * m, sizeof(T) + 4);
      const T* a_data = a.data<T>();
      ctx.parallel_for(a.numel(), kCountGrain, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) out[i] = static_cast<To>(counts.count(a_data[i]));
      });
      return Status::ok();
    }
  }
  T* sorted = scratch_buffer<T>(static_cast<size_t>(m));
  if (sorted == nullptr) return scratch_error(ctx, m, sizeof(T));
  std::copy(b.data<T>(), b.data<T>() + m, sorted);
  // NaN last: they match nothing.
  if (!sort_values(sorted, m)) return scratch_error(ctx, m, sizeof(T));
  int64_t valid = m;
  while (valid > 0 && reduce::is_nan(sorted[valid - 1])) --valid;
  const T* a_data = a.data<T>();
  ctx.parallel_for(a.numel(), kCountGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      out[i] = static_cast<To>(count_sorted<T, Op>(sorted, valid, a_data[i]));
    }
  });
  return Status::ok();
}

bool sorted_path_applies(const Shape& a, const Shape& b, int64_t m) {
  const bool a_column = a.rank() == 0 || a[a.rank() - 1] == 1;
  const bool b_row = b.rank() >= 1 && b[b.rank() - 1] == m && b.numel() == m;
  return a_column && b_row && m >= kSortedMinLength && a.numel() >= kSortedMinLength;
}

template <bool kReference>
class CompareCountKernel final : public Kernel {
 public:
  explicit CompareCountKernel(const ir::Node& node)
      : predicate_(parse_comparison(node.attr_string("comparison", "")).value_or(
            Predicate::kEqual)) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    Tensor& out = ctx.output(0);
    const Shape full = broadcast_of(a.shape(), b.shape());
    Status status = Status::ok();
    with_comparison(predicate_, [&]<typename Op>() {
      status = dispatch<kCompareDTypes>(a.dtype(), [&](auto tag) {
        using T = decltype(tag);
        Status inner = Status::ok();
        with_count_output(out, [&](auto* counts) {
          if constexpr (kReference) {
            count_reference<T, Op>(a, b, full, counts);
          } else if (sorted_path_applies(a.shape(), b.shape(), full[full.rank() - 1])) {
            inner = count_sorted_path<T, Op>(a, b, counts, ctx);
          } else {
            count_broadcast<T, Op>(a, b, full, counts, ctx);
          }
        });
        return inner;
      });
    });
    return status;
  }

 private:
  // Naive: every element of the broadcast result mapped back into A and B.
  template <typename T, typename Op, typename To>
  static void count_reference(const Tensor& a, const Tensor& b, const Shape& full, To* out) {
    const int64_t m = full[full.rank() - 1];
    const int64_t outer = full.product(0, full.rank() - 1);
    for (int64_t o = 0; o < outer; ++o) {
      int64_t count = 0;
      for (int64_t j = 0; j < m; ++j) {
        const int64_t flat = o * m + j;
        const T x = a.data<T>()[compare::broadcast_offset(a.shape(), full, flat)];
        const T y = b.data<T>()[compare::broadcast_offset(b.shape(), full, flat)];
        if (Op::apply(x, y)) ++count;
      }
      out[o] = static_cast<To>(count);
    }
  }

  Predicate predicate_;
};

}  // namespace

Status infer_compare_count(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* a, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* b, ctx.required_input(1));
  if (a->dtype != b->dtype || !dtype_in(a->dtype, kCompareDTypes)) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "A and B must have the same dtype, int64, int32 or float32; got {} and {}",
                     dtype_name(a->dtype), dtype_name(b->dtype));
  }
  std::optional<Predicate> predicate;
  RI_RETURN_IF_ERROR(comparison_attr(ctx, false, &predicate));
  DType to = DType::kUndefined;
  RI_RETURN_IF_ERROR(count_dtype_attr(ctx, &to));
  const std::array<Shape, 2> shapes = {a->shape, b->shape};
  const std::array<std::string_view, 2> names = {"A", "B"};
  auto full = compare::broadcast_shapes(shapes, names);
  if (!full.is_ok()) return full.status().with_context(ctx.node().describe());
  if (full->rank() == 0) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "A and B broadcast to a scalar, which has no last axis to count along");
  }
  Shape out;
  for (int d = 0; d + 1 < full->rank(); ++d) out.push_back((*full)[d]);
  if (ctx.node().attr_int("keepdims", 1) != 0) out.push_back(1);
  ctx.set_output(0, to, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_compare_count(const ir::Node& node) {
  return std::make_unique<CompareCountKernel<false>>(node);
}

std::unique_ptr<Kernel> make_compare_count_reference(const ir::Node& node) {
  return std::make_unique<CompareCountKernel<true>>(node);
}

}  // namespace recinfer::kernels
