// CountDistinct (ai.recinfer): the number of distinct values of X (optionally only those with
// `v comparison bound`), i.e. Unique -> compare -> Cast -> ReduceSum with a static scalar
// output. Values are equal as Unique sees them: NaNs are one value, -0 equals 0. The optimised
// kernel counts integers' distinct keys in a hash table, and filters floats into per-thread
// scratch, sorts and counts runs; the reference compares every pair.
#include <algorithm>

#include "kernels/reduce/value_order.h"
#include "kernels/rec/rec_common.h"
#include "kernels/rec/sort_values.h"
#include "kernels/rec/value_counts.h"
#include "kernels/rec/rec_kernels.h"

namespace recinfer::kernels {

using namespace rec;  // NOLINT(google-build-using-namespace)
using reduce::value_less;

namespace {

template <typename T>
bool same_value(T a, T b) {
  return !value_less(a, b) && !value_less(b, a);
}

// Keep(v): whether v counts (passes the comparison with the bound, if there is one).
template <typename T, typename Keep>
Status count_distinct_sorted(KernelContext& ctx, const Tensor& x, Keep keep, int64_t* result) {
  const int64_t n = x.numel();
  if constexpr (std::is_integral_v<T>) {
    // Integers need no order: the distinct keys of a hash table (O(n) instead of a sort).
    ValueCounts<T> counts;
    if (n < (int64_t{1} << 32)) {
      if (!counts.build_if(x.data<T>(), n, keep)) return scratch_error(ctx, 2 * n, sizeof(T) + 4);
      *result = counts.distinct();
      return Status::ok();
    }
  }
  T* values = scratch_buffer<T>(static_cast<size_t>(n));
  if (values == nullptr && n > 0) return scratch_error(ctx, n, sizeof(T));
  int64_t kept = 0;
  const T* data = x.data<T>();
  for (int64_t i = 0; i < n; ++i) {
    if (keep(data[i])) values[kept++] = data[i];
  }
  if (!sort_values(values, kept)) return scratch_error(ctx, kept, sizeof(T));
  int64_t distinct = 0;
  for (int64_t i = 0; i < kept; ++i) {
    if (i == 0 || value_less(values[i - 1], values[i])) ++distinct;
  }
  *result = distinct;
  return Status::ok();
}

template <typename T, typename Keep>
Status count_distinct_pairwise(KernelContext& /*ctx*/, const Tensor& x, Keep keep,
                               int64_t* result) {
  const T* data = x.data<T>();
  int64_t distinct = 0;
  for (int64_t i = 0; i < x.numel(); ++i) {
    bool seen = false;
    for (int64_t j = 0; j < i && !seen; ++j) seen = same_value(data[i], data[j]);
    if (!seen && keep(data[i])) ++distinct;
  }
  *result = distinct;
  return Status::ok();
}

template <bool kReference>
class CountDistinctKernel final : public Kernel {
 public:
  explicit CountDistinctKernel(const ir::Node& node)
      : predicate_(parse_comparison(node.attr_string("comparison", ""))) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor* bound = ctx.input(1);
    int64_t distinct = 0;
    RI_RETURN_IF_ERROR(dispatch<kCompareDTypes>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      auto count = [&](auto keep) {
        return kReference ? count_distinct_pairwise<T>(ctx, x, keep, &distinct)
                          : count_distinct_sorted<T>(ctx, x, keep, &distinct);
      };
      if (!predicate_) return count([](T) { return true; });
      const T limit = *bound->data<T>();
      Status status = Status::ok();
      with_comparison(*predicate_, [&]<typename Op>() {
        status = count([limit](T v) { return Op::apply(v, limit); });
      });
      return status;
    }));
    with_count_output(ctx.output(0), [&](auto* out) {
      *out = static_cast<std::remove_pointer_t<decltype(out)>>(distinct);
    });
    return Status::ok();
  }

 private:
  std::optional<Predicate> predicate_;
};

}  // namespace

Status infer_count_distinct(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  const TensorInfo* bound = ctx.input(1);
  if (!dtype_in(x->dtype, kCompareDTypes)) {
    return ctx.error(StatusCode::kInvalidArgument, "X must be int64, int32 or float32, got {}",
                     dtype_name(x->dtype));
  }
  std::optional<Predicate> predicate;
  RI_RETURN_IF_ERROR(comparison_attr(ctx, true, &predicate));
  if (predicate.has_value() != (bound != nullptr)) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "attribute comparison and input bound must be given together");
  }
  if (bound != nullptr &&
      (bound->dtype != x->dtype || bound->shape.rank() > 1 || bound->shape.numel() != 1)) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "bound must be a scalar (or shape (1)) of X's dtype {}, got {} {}",
                     dtype_name(x->dtype), dtype_name(bound->dtype), bound->shape.to_string());
  }
  DType to = DType::kUndefined;
  RI_RETURN_IF_ERROR(count_dtype_attr(ctx, &to));
  ctx.set_output(0, to, ctx.node().attr_int("keepdims", 0) != 0 ? Shape{1} : Shape{});
  return Status::ok();
}

std::unique_ptr<Kernel> make_count_distinct(const ir::Node& node) {
  return std::make_unique<CountDistinctKernel<false>>(node);
}

std::unique_ptr<Kernel> make_count_distinct_reference(const ir::Node& node) {
  return std::make_unique<CountDistinctKernel<true>>(node);
}

}  // namespace recinfer::kernels
