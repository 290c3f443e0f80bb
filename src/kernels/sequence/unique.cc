// Unique (opset 11): distinct elements (axis absent, over the flattened input) or distinct slices
// along `axis`, with the first-occurrence index of each, the inverse mapping and counts.
// sorted=1 orders the results ascending (slices lexicographically); sorted=0 keeps the order of
// first occurrence. Y, indices and counts have data-dependent sizes, so they are allocated here;
// the scratch buffers go through Tensor::allocate so an allocation failure is a Status.
// Sorting with an index tie-break is a single naive algorithm, so there is no separate reference.
#include <algorithm>

#include "kernels/dispatch.h"
#include "kernels/reduce/output_binding.h"
#include "kernels/reduce/value_order.h"
#include "kernels/sequence/sequence_ops.h"

namespace recinfer::kernels {
namespace {

using reduce::bind_output;
using reduce::value_less;
using reduce::with_node;

// The input seen as outer x count x inner: `count` items (elements or slices) of outer*inner
// values each.
struct UniqueSplit {
  int64_t outer = 1;
  int64_t count = 0;
  int64_t inner = 1;
  int axis = -1;  // -1: flattened
};

Status unique_split(const ir::Node& node, const Shape& shape, UniqueSplit* split) {
  if (!node.has_attr("axis")) {
    split->count = shape.numel();
    return Status::ok();
  }
  const int64_t axis = node.attr_int("axis", 0);
  if (!normalize_axis(axis, shape.rank(), &split->axis)) {
    return invalid_argument("axis {} is out of range for input shape {}", axis,
                            shape.to_string());
  }
  split->outer = shape.product(0, split->axis);
  split->count = shape[split->axis];
  split->inner = shape.product(split->axis + 1, shape.rank());
  return Status::ok();
}

template <typename T>
struct ItemOrder {
  const T* x;
  UniqueSplit split;

  // Lexicographic over the item's values in row-major order: -1, 0 or 1.
  int compare(int64_t a, int64_t b) const {
    for (int64_t o = 0; o < split.outer; ++o) {
      const T* row_a = x + (o * split.count + a) * split.inner;
      const T* row_b = x + (o * split.count + b) * split.inner;
      for (int64_t i = 0; i < split.inner; ++i) {
        if (value_less(row_a[i], row_b[i])) return -1;
        if (value_less(row_b[i], row_a[i])) return 1;
      }
    }
    return 0;
  }
};

class UniqueKernel final : public Kernel {
 public:
  explicit UniqueKernel(const ir::Node& node) : sorted_(node.attr_int("sorted", 1) != 0) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    UniqueSplit split;
    Status status = unique_split(ctx.node(), x.shape(), &split);
    if (!status.is_ok()) return with_node(status, ctx.node());
    return dispatch<kAll>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      return compute_typed<T>(ctx, x, split);
    });
  }

 private:
  template <typename T>
  Status compute_typed(KernelContext& ctx, const Tensor& x, const UniqueSplit& split) const {
    const int64_t n = split.count;
    // Scratch: sorted item order, group of each item, first item / size / output slot per group.
    RI_ASSIGN_OR_RETURN(Tensor scratch, Tensor::allocate(DType::kInt64, Shape{5, n}));
    int64_t* order = scratch.data<int64_t>();
    int64_t* group_of = order + n;
    int64_t* group_first = group_of + n;
    int64_t* group_size = group_first + n;
    int64_t* slot_of = group_size + n;

    const ItemOrder<T> items{x.data<T>(), split};
    for (int64_t i = 0; i < n; ++i) order[i] = i;
    // The index tie-break makes the order total, so each group starts at its first occurrence.
    std::sort(order, order + n, [&](int64_t a, int64_t b) {
      const int c = items.compare(a, b);
      return c < 0 || (c == 0 && a < b);
    });
    int64_t groups = 0;
    for (int64_t j = 0; j < n; ++j) {
      if (j == 0 || items.compare(order[j - 1], order[j]) != 0) {
        group_first[groups] = order[j];
        group_size[groups] = 0;
        ++groups;
      }
      group_of[order[j]] = groups - 1;
      ++group_size[groups - 1];
    }
    if (sorted_) {
      for (int64_t g = 0; g < groups; ++g) slot_of[g] = g;
    } else {
      // Slots in order of first occurrence: walk the items in input order.
      std::fill(slot_of, slot_of + groups, int64_t{-1});
      int64_t next = 0;
      for (int64_t i = 0; i < n; ++i) {
        if (slot_of[group_of[i]] < 0) slot_of[group_of[i]] = next++;
      }
    }

    Shape y_shape{groups};
    if (split.axis >= 0) {
      y_shape = x.shape();
      y_shape[split.axis] = groups;
    }
    RI_ASSIGN_OR_RETURN(Tensor * y, bind_output(ctx, 0, x.dtype(), y_shape));
    const T* in = x.data<T>();
    T* out = y->data<T>();
    for (int64_t g = 0; g < groups; ++g) {
      for (int64_t o = 0; o < split.outer; ++o) {
        std::copy_n(in + (o * n + group_first[g]) * split.inner, split.inner,
                    out + (o * groups + slot_of[g]) * split.inner);
      }
    }
    if (ctx.has_output(1)) {
      RI_ASSIGN_OR_RETURN(Tensor * indices, bind_output(ctx, 1, DType::kInt64, Shape{groups}));
      for (int64_t g = 0; g < groups; ++g) indices->data<int64_t>()[slot_of[g]] = group_first[g];
    }
    if (ctx.has_output(2)) {
      RI_ASSIGN_OR_RETURN(Tensor * inverse, bind_output(ctx, 2, DType::kInt64, Shape{n}));
      for (int64_t i = 0; i < n; ++i) inverse->data<int64_t>()[i] = slot_of[group_of[i]];
    }
    if (ctx.has_output(3)) {
      RI_ASSIGN_OR_RETURN(Tensor * counts, bind_output(ctx, 3, DType::kInt64, Shape{groups}));
      for (int64_t g = 0; g < groups; ++g) counts->data<int64_t>()[slot_of[g]] = group_size[g];
    }
    return Status::ok();
  }

  bool sorted_;
};

}  // namespace

Status infer_unique(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (!dtype_in(x->dtype, kAll)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  UniqueSplit split;
  Status status = unique_split(ctx.node(), x->shape, &split);
  if (!status.is_ok()) return with_node(status, ctx.node());
  // The number of distinct items depends on the data; inverse_indices has one entry per item.
  ctx.set_output_dynamic(0, x->dtype);
  if (ctx.num_outputs() > 1) ctx.set_output_dynamic(1, DType::kInt64);
  if (ctx.num_outputs() > 2) ctx.set_output(2, DType::kInt64, Shape{split.count});
  if (ctx.num_outputs() > 3) ctx.set_output_dynamic(3, DType::kInt64);
  return Status::ok();
}

std::unique_ptr<Kernel> make_unique_kernel(const ir::Node& node) {
  return std::make_unique<UniqueKernel>(node);
}

}  // namespace recinfer::kernels
