// Pad: grows (positive pads) or crops (negative pads) every dim at both ends, filling new
// elements with a constant, the reflection of the input about its edge (reflect, edge element not
// repeated) or the edge element itself (edge). Opset < 11 take `pads` and `value` as attributes;
// opset 11+ take pads and constant_value as inputs (opset 18 adds axes, supported too).
//
// The fast path works on output rows (the last dim): a row whose outer coordinates fall outside
// the input in constant mode is one fill; otherwise its interior is one memcpy from the mapped
// source row and only the padded ends go element by element.
#include <algorithm>
#include <cstring>

#include "kernels/dispatch.h"
#include "kernels/shape/copy.h"
#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

enum class PadMode { kConstant, kReflect, kEdge };

// The pads list without heap storage (compute must not allocate).
struct PadList {
  std::array<int64_t, 2 * Shape::kMaxRank> values{};
  int size = 0;
};

struct PadPlan {
  Shape out;
  std::array<int64_t, Shape::kMaxRank> begin{};  // pad before each dim (negative crops)
  PadMode mode = PadMode::kConstant;
};

Status parse_mode(const ir::Node& node, PadMode* mode) {
  const std::string name = node.attr_string("mode", "constant");
  if (name == "constant") *mode = PadMode::kConstant;
  else if (name == "reflect") *mode = PadMode::kReflect;
  else if (name == "edge") *mode = PadMode::kEdge;
  else if (name == "wrap") {
    return node_error(node, StatusCode::kUnsupported, "mode 'wrap' is not supported");
  } else {
    return node_error(node, StatusCode::kInvalidArgument, "unknown mode '{}'", name);
  }
  return Status::ok();
}

// pads holds 2*n entries (all begins, then all ends) for `axes` (all dims when axes is empty).
Status plan_pad(const ir::Node& node, const Shape& in, const PadList& pads,
                const IntList* axes_in, PadPlan* plan) {
  const int rank = in.rank();
  IntList axes;
  if (axes_in != nullptr) {
    axes = *axes_in;
    RI_RETURN_IF_ERROR(normalize_axes(node, &axes, rank, "axes"));
  } else {
    axes.size = rank;
    for (int d = 0; d < rank; ++d) axes.values[static_cast<size_t>(d)] = d;
  }
  if (pads.size != 2 * axes.size) {
    return node_error(node, StatusCode::kInvalidArgument,
                      "pads has {} entries, expected {} for input {}", pads.size,
                      2 * axes.size, in.to_string());
  }
  RI_RETURN_IF_ERROR(parse_mode(node, &plan->mode));
  plan->out = in;
  plan->begin.fill(0);
  for (int i = 0; i < axes.size; ++i) {
    const int d = static_cast<int>(axes[i]);
    const int64_t before = pads.values[static_cast<size_t>(i)];
    const int64_t after = pads.values[static_cast<size_t>(i + axes.size)];
    const int64_t dim = in[d] + before + after;
    if (dim < 0) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "pads {} and {} crop dim {} of size {} below zero", before, after, d,
                        in[d]);
    }
    // Reflection mirrors about the edge element, so it can reach at most dim-1 elements out;
    // edge needs an element to repeat.
    const int64_t grow = std::max(before, after);
    if (plan->mode == PadMode::kReflect && grow > 0 && grow > in[d] - 1) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "reflect pad {} on dim {} needs at least {} elements, the input has {}",
                        grow, d, grow + 1, in[d]);
    }
    if (plan->mode == PadMode::kEdge && grow > 0 && in[d] == 0) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "edge pad {} on empty dim {}", grow, d);
    }
    plan->out[d] = dim;
    plan->begin[static_cast<size_t>(d)] = before;
  }
  return check_output_shape(node, plan->out);
}

// Source coordinate of output coordinate `o` on a dim of size n; -1 for the constant.
inline int64_t source_coord(int64_t o, int64_t begin, int64_t n, PadMode mode) {
  const int64_t x = o - begin;
  if (x >= 0 && x < n) return x;
  switch (mode) {
    case PadMode::kConstant: return -1;
    case PadMode::kEdge: return x < 0 ? 0 : n - 1;
    case PadMode::kReflect: return x < 0 ? -x : 2 * (n - 1) - x;
  }
  return -1;
}

// Reads pads (and axes) from attributes (opset < 11) or from input values.
Status read_pads(const ir::Node& node, const Tensor* pads_value, const Tensor* axes_value,
                 PadList* pads, IntList* axes, bool* has_axes) {
  *has_axes = false;
  constexpr int64_t kMax = 2 * Shape::kMaxRank;
  if (node.opset < 11) {
    const ir::Attribute* attr = node.attr("pads");
    if (attr == nullptr || attr->kind != ir::Attribute::Kind::kInts) {
      return node_error(node, StatusCode::kInvalidArgument, "ints attribute 'pads' is required");
    }
    if (static_cast<int64_t>(attr->ints.size()) > kMax) {
      return node_error(node, StatusCode::kUnsupported, "pads has {} entries, at most {} allowed",
                        attr->ints.size(), kMax);
    }
    pads->size = static_cast<int>(attr->ints.size());
    std::copy(attr->ints.begin(), attr->ints.end(), pads->values.begin());
    return Status::ok();
  }
  if (pads_value->numel() > kMax) {
    return node_error(node, StatusCode::kUnsupported, "pads has {} entries, at most {} allowed",
                      pads_value->numel(), kMax);
  }
  pads->size = static_cast<int>(pads_value->numel());
  for (int64_t i = 0; i < pads_value->numel(); ++i) {
    pads->values[static_cast<size_t>(i)] = index_at(*pads_value, i);
  }
  if (axes_value != nullptr) {
    *has_axes = true;
    RI_RETURN_IF_ERROR(read_int_list(node, *axes_value, "axes", Shape::kMaxRank, axes));
  }
  return Status::ok();
}

// The fill value as the data dtype's bytes.
Status constant_bytes(const ir::Node& node, DType dtype, const Tensor* value_input,
                      uint64_t* bits) {
  *bits = 0;
  if (node.opset >= 11) {
    if (value_input == nullptr || value_input->numel() == 0) return Status::ok();
    if (value_input->dtype() != dtype || value_input->numel() != 1) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "constant_value must be one {} element, got {} of shape {}",
                        dtype_name(dtype), dtype_name(value_input->dtype()),
                        value_input->shape().to_string());
    }
    std::memcpy(bits, value_input->raw(), dtype_size(dtype));
    return Status::ok();
  }
  const float value = node.attr_float("value", 0.0f);
  return dispatch<kAll>(dtype, [&](auto tag) {
    using T = decltype(tag);
    const T v = static_cast<T>(value);
    std::memcpy(bits, &v, sizeof(T));
    return Status::ok();
  });
}

template <typename U>
void pad_rows(const Tensor& in, Tensor& out, const PadPlan& plan, U fill, int64_t begin_row,
              int64_t end_row) {
  const Shape& os = out.shape();
  const int last = os.rank() - 1;
  const auto in_strides = contiguous_strides(in.shape());
  const int64_t row_len = os[last];
  const int64_t n = in.shape()[last];
  const int64_t lead = plan.begin[static_cast<size_t>(last)];
  // Output columns [lo, hi) read input columns [lo - lead, hi - lead) directly.
  const int64_t lo = std::clamp<int64_t>(lead, 0, row_len);
  const int64_t hi = std::clamp<int64_t>(lead + n, lo, row_len);
  const U* src = in.data<U>();
  U* dst = out.data<U>();
  for (int64_t row = begin_row; row < end_row; ++row) {
    U* out_row = dst + row * row_len;
    int64_t base = 0;
    bool outside = false;
    int64_t rest = row;
    for (int d = last - 1; d >= 0; --d) {
      const int64_t c = source_coord(rest % os[d], plan.begin[static_cast<size_t>(d)],
                                     in.shape()[d], plan.mode);
      rest /= os[d];
      if (c < 0) outside = true;
      base += c * in_strides[d];
    }
    if (outside) {
      std::fill(out_row, out_row + row_len, fill);
      continue;
    }
    const U* in_row = src + base;
    for (int64_t x = 0; x < lo; ++x) {
      const int64_t c = source_coord(x, lead, n, plan.mode);
      out_row[x] = c < 0 ? fill : in_row[c];
    }
    if (hi > lo) std::memcpy(out_row + lo, in_row + (lo - lead), (hi - lo) * sizeof(U));
    for (int64_t x = hi; x < row_len; ++x) {
      const int64_t c = source_coord(x, lead, n, plan.mode);
      out_row[x] = c < 0 ? fill : in_row[c];
    }
  }
}

// Naive: every output element maps its full coordinate on its own.
template <typename U>
void pad_naive(const Tensor& in, Tensor& out, const PadPlan& plan, U fill) {
  const Shape& os = out.shape();
  const auto in_strides = contiguous_strides(in.shape());
  for (int64_t flat = 0; flat < out.numel(); ++flat) {
    int64_t rest = flat;
    int64_t offset = 0;
    bool outside = false;
    for (int d = os.rank() - 1; d >= 0; --d) {
      const int64_t c = source_coord(rest % os[d], plan.begin[static_cast<size_t>(d)],
                                     in.shape()[d], plan.mode);
      rest /= os[d];
      if (c < 0) outside = true;
      offset += c * in_strides[d];
    }
    out.data<U>()[flat] = outside ? fill : in.data<U>()[offset];
  }
}

template <bool kReference>
class PadKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const ir::Node& node = ctx.node();
    const Tensor& in = *ctx.input(0);
    PadList pads;
    IntList axes;
    bool has_axes = false;
    RI_RETURN_IF_ERROR(read_pads(node, ctx.input(1), ctx.input(3), &pads, &axes, &has_axes));
    PadPlan plan;
    RI_RETURN_IF_ERROR(plan_pad(node, in.shape(), pads, has_axes ? &axes : nullptr, &plan));
    uint64_t bits = 0;
    RI_RETURN_IF_ERROR(constant_bytes(node, in.dtype(), ctx.input(2), &bits));
    RI_ASSIGN_OR_RETURN(Tensor * out, bind_output_shape(ctx, 0, in.dtype(), plan.out));
    if (out->numel() == 0) return Status::ok();
    switch (dtype_size(in.dtype())) {
      case 1: return run<uint8_t>(ctx, in, *out, plan, bits);
      case 2: return run<uint16_t>(ctx, in, *out, plan, bits);
      case 4: return run<uint32_t>(ctx, in, *out, plan, bits);
      case 8: return run<uint64_t>(ctx, in, *out, plan, bits);
      default:
        return ctx.error(StatusCode::kUnsupported, "dtype {} is not supported",
                         dtype_name(in.dtype()));
    }
  }

 private:
  template <typename U>
  static Status run(KernelContext& ctx, const Tensor& in, Tensor& out, const PadPlan& plan,
                    uint64_t bits) {
    U fill;
    std::memcpy(&fill, &bits, sizeof(U));
    if constexpr (kReference) {
      pad_naive<U>(in, out, plan, fill);
    } else {
      if (out.rank() == 0) {  // a scalar has nothing to pad
        std::memcpy(out.raw(), in.raw(), sizeof(U));
        return Status::ok();
      }
      const int64_t row_len = out.shape()[out.rank() - 1];
      const int64_t rows = out.numel() / row_len;
      const int64_t grain = std::max<int64_t>(1, 16384 / row_len);
      ctx.parallel_for(rows, grain, [&](int64_t begin, int64_t end) {
        pad_rows<U>(in, out, plan, fill, begin, end);
      });
    }
    return Status::ok();
  }
};

}  // namespace

Status infer_pad(InferContext& ctx) {
  const ir::Node& node = ctx.node();
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  if (!dtype_in(data->dtype, kAll)) {
    return ctx.error(StatusCode::kUnsupported, "data dtype {} is not supported",
                     dtype_name(data->dtype));
  }
  const Tensor* pads_value = nullptr;
  const Tensor* axes_value = nullptr;
  if (node.opset >= 11) {
    RI_ASSIGN_OR_RETURN(const TensorInfo* pads, ctx.required_input(1));
    if (pads->dtype != DType::kInt64 || pads->shape.rank() != 1) {
      return ctx.error(StatusCode::kInvalidArgument, "pads must be a 1-D int64 tensor, got {} {}",
                       dtype_name(pads->dtype), pads->shape.to_string());
    }
    const TensorInfo* value = ctx.input(2);
    if (value != nullptr && value->dtype != data->dtype) {
      return ctx.error(StatusCode::kInvalidArgument, "constant_value has dtype {}, data {}",
                       dtype_name(value->dtype), dtype_name(data->dtype));
    }
    const TensorInfo* axes = ctx.input(3);
    if (axes != nullptr) RI_RETURN_IF_ERROR(check_index_input(node, *axes, "axes"));
    if (pads->value == nullptr || (axes != nullptr && axes->value == nullptr)) {
      ctx.set_output_dynamic(0, data->dtype);
      return Status::ok();
    }
    pads_value = pads->value;
    axes_value = axes != nullptr ? axes->value : nullptr;
  }
  PadList pads;
  IntList axes;
  bool has_axes = false;
  RI_RETURN_IF_ERROR(read_pads(node, pads_value, axes_value, &pads, &axes, &has_axes));
  PadPlan plan;
  RI_RETURN_IF_ERROR(plan_pad(node, data->shape, pads, has_axes ? &axes : nullptr, &plan));
  ctx.set_output(0, data->dtype, plan.out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_pad(const ir::Node&) { return std::make_unique<PadKernel<false>>(); }
std::unique_ptr<Kernel> make_pad_reference(const ir::Node&) {
  return std::make_unique<PadKernel<true>>();
}

}  // namespace recinfer::kernels
