#include "kernels/conv/conv_geometry.h"

namespace recinfer::kernels::conv {
namespace {

int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
int64_t ceil_div(int64_t a, int64_t b) { return -floor_div(-a, b); }

// Per-dim values of an optional list attribute: `fallback` when absent, else exactly `count`.
constexpr int64_t kMaxWindowValue = int64_t{1} << 31;

Status per_dim(const std::vector<int64_t>& values, const char* name, int count, int64_t fallback,
               int64_t minimum, int64_t* out) {
  if (values.empty()) {
    for (int i = 0; i < count; ++i) out[i] = fallback;
    return Status::ok();
  }
  if (values.size() != static_cast<size_t>(count)) {
    return invalid_argument("attribute {} has {} values, expected {}", name, values.size(), count);
  }
  for (int i = 0; i < count; ++i) {
    if (values[static_cast<size_t>(i)] < minimum) {
      return invalid_argument("attribute {}[{}] = {} is below {}", name, i, values[static_cast<size_t>(i)], minimum);
    }
    // Far beyond any real window, and small enough that the geometry's sums and products of
    // these values cannot overflow.
    if (values[static_cast<size_t>(i)] > kMaxWindowValue) {
      return invalid_argument("attribute {}[{}] = {} is above {}", name, i,
                              values[static_cast<size_t>(i)], kMaxWindowValue);
    }
    out[i] = values[static_cast<size_t>(i)];
  }
  return Status::ok();
}

Status common(const WindowAttributes& attrs, const int64_t* in, const int64_t* kernel, int rank,
              WindowGeometry* g) {
  if (rank < 1 || rank > kMaxSpatial) return invalid_argument("{} spatial dims are not supported", rank);
  g->rank = rank;
  for (int i = 0; i < rank; ++i) {
    g->in[i] = in[i];
    g->kernel[i] = kernel[i];
    if (kernel[i] < 1 || kernel[i] > kMaxWindowValue) {
      return invalid_argument("kernel dim {} is {}", i, kernel[i]);
    }
  }
  if (!attrs.kernel_shape.empty()) {
    RI_RETURN_IF_ERROR(per_dim(attrs.kernel_shape, "kernel_shape", rank, 1, 1, g->kernel));
    for (int i = 0; i < rank; ++i) {
      if (g->kernel[i] != kernel[i]) {
        return invalid_argument("kernel_shape[{}] = {} but the weight has {}", i, g->kernel[i], kernel[i]);
      }
    }
  }
  RI_RETURN_IF_ERROR(per_dim(attrs.strides, "strides", rank, 1, 1, g->stride));
  RI_RETURN_IF_ERROR(per_dim(attrs.dilations, "dilations", rank, 1, 1, g->dilation));
  int64_t pads[2 * kMaxSpatial];
  RI_RETURN_IF_ERROR(per_dim(attrs.pads, "pads", 2 * rank, 0, 0, pads));
  for (int i = 0; i < rank; ++i) {
    g->pad_begin[i] = attrs.auto_pad == AutoPad::kNotSet ? pads[i] : 0;
    g->pad_end[i] = attrs.auto_pad == AutoPad::kNotSet ? pads[rank + i] : 0;
  }
  return Status::ok();
}

}  // namespace

Result<WindowAttributes> WindowAttributes::from(const ir::Node& node) {
  WindowAttributes attrs;
  const std::string auto_pad = node.attr_string("auto_pad", "NOTSET");
  if (auto_pad == "NOTSET") {
    attrs.auto_pad = AutoPad::kNotSet;
  } else if (auto_pad == "SAME_UPPER") {
    attrs.auto_pad = AutoPad::kSameUpper;
  } else if (auto_pad == "SAME_LOWER") {
    attrs.auto_pad = AutoPad::kSameLower;
  } else if (auto_pad == "VALID") {
    attrs.auto_pad = AutoPad::kValid;
  } else {
    return invalid_argument("{}: auto_pad '{}' is not NOTSET, SAME_UPPER, SAME_LOWER or VALID",
                            node.describe(), auto_pad);
  }
  attrs.kernel_shape = node.attr_ints("kernel_shape");
  attrs.strides = node.attr_ints("strides");
  attrs.dilations = node.attr_ints("dilations");
  attrs.pads = node.attr_ints("pads");
  attrs.output_padding = node.attr_ints("output_padding");
  attrs.output_shape = node.attr_ints("output_shape");
  attrs.group = node.attr_int("group", 1);
  attrs.ceil_mode = node.attr_int("ceil_mode", 0) != 0;
  if (attrs.group < 1) return invalid_argument("{}: group {} is below 1", node.describe(), attrs.group);
  return attrs;
}

int64_t WindowGeometry::in_size() const {
  int64_t n = 1;
  for (int i = 0; i < rank; ++i) n *= in[i];
  return n;
}
int64_t WindowGeometry::out_size() const {
  int64_t n = 1;
  for (int i = 0; i < rank; ++i) n *= out[i];
  return n;
}
int64_t WindowGeometry::kernel_size() const {
  int64_t n = 1;
  for (int i = 0; i < rank; ++i) n *= kernel[i];
  return n;
}

Result<WindowGeometry> forward_geometry(const WindowAttributes& attrs, const int64_t* in,
                                        const int64_t* kernel, int rank) {
  WindowGeometry g;
  RI_RETURN_IF_ERROR(common(attrs, in, kernel, rank, &g));
  for (int i = 0; i < rank; ++i) {
    const int64_t span = (g.kernel[i] - 1) * g.dilation[i] + 1;
    if (attrs.auto_pad == AutoPad::kSameUpper || attrs.auto_pad == AutoPad::kSameLower) {
      const int64_t target = ceil_div(in[i], g.stride[i]);
      const int64_t needed = std::max<int64_t>(0, (target - 1) * g.stride[i] + span - in[i]);
      g.pad_begin[i] = attrs.auto_pad == AutoPad::kSameLower ? (needed + 1) / 2 : needed / 2;
      g.pad_end[i] = needed - g.pad_begin[i];
      g.out[i] = target;
      continue;
    }
    const int64_t room = in[i] + g.pad_begin[i] + g.pad_end[i] - span;
    if (room < 0) {
      return invalid_argument("spatial dim {}: input {} with pads {}+{} is smaller than the dilated kernel {}",
                              i, in[i], g.pad_begin[i], g.pad_end[i], span);
    }
    g.out[i] = (attrs.ceil_mode ? ceil_div(room, g.stride[i]) : room / g.stride[i]) + 1;
    // A last window that would start inside the end padding is dropped (as in PyTorch and ORT).
    if (attrs.ceil_mode && (g.out[i] - 1) * g.stride[i] >= in[i] + g.pad_begin[i]) --g.out[i];
  }
  return g;
}

Result<WindowGeometry> transpose_geometry(const WindowAttributes& attrs, const int64_t* in,
                                          const int64_t* kernel, int rank) {
  WindowGeometry g;
  RI_RETURN_IF_ERROR(common(attrs, in, kernel, rank, &g));
  int64_t output_padding[kMaxSpatial];
  RI_RETURN_IF_ERROR(per_dim(attrs.output_padding, "output_padding", rank, 0, 0, output_padding));
  const std::vector<int64_t>& shape = attrs.output_shape;
  if (!shape.empty() && shape.size() != static_cast<size_t>(rank) && shape.size() != static_cast<size_t>(rank + 2)) {
    return invalid_argument("output_shape has {} values, expected {}", shape.size(), rank);
  }
  for (int i = 0; i < rank; ++i) {
    const int64_t span = (g.kernel[i] - 1) * g.dilation[i] + 1;
    const int64_t natural = g.stride[i] * (in[i] - 1) + output_padding[i] + span;
    const bool same = attrs.auto_pad == AutoPad::kSameUpper || attrs.auto_pad == AutoPad::kSameLower;
    if (shape.empty() && !same) {
      g.out[i] = natural - g.pad_begin[i] - g.pad_end[i];
    } else {
      g.out[i] = shape.empty() ? in[i] * g.stride[i] : shape[shape.size() - static_cast<size_t>(rank) + static_cast<size_t>(i)];
      const int64_t total = natural - g.out[i];
      if (total < 0) {
        // A larger output than the kernel reaches: the extra positions at the end stay zero.
        g.pad_begin[i] = 0;
        g.pad_end[i] = total;
      } else if (attrs.auto_pad == AutoPad::kSameUpper) {
        g.pad_begin[i] = total / 2;
        g.pad_end[i] = total - total / 2;
      } else {
        g.pad_begin[i] = total - total / 2;
        g.pad_end[i] = total / 2;
      }
    }
    if (g.out[i] < 0) return invalid_argument("spatial dim {}: output size {} is negative", i, g.out[i]);
  }
  return g;
}

}  // namespace recinfer::kernels::conv
