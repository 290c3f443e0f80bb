// Window geometry shared by Conv, ConvTranspose and the pools: the attributes (parsed once per
// node) and their binding to the input's spatial dims (fixed-size, so kernels bind in compute
// without allocating). Padding rules follow ONNX Runtime where the spec is ambiguous (SAME_*
// with ceil, ConvTranspose's output_shape with odd total padding).
#pragma once

#include <cstdint>
#include <vector>

#include "ir/graph.h"
#include "recinfer/shape.h"
#include "recinfer/status.h"

namespace recinfer::kernels::conv {

inline constexpr int kMaxSpatial = Shape::kMaxRank - 2;

enum class AutoPad { kNotSet, kSameUpper, kSameLower, kValid };

struct WindowAttributes {
  AutoPad auto_pad = AutoPad::kNotSet;
  std::vector<int64_t> kernel_shape;  // empty: from the weight (Conv, ConvTranspose)
  std::vector<int64_t> strides, dilations, pads;
  std::vector<int64_t> output_padding, output_shape;  // ConvTranspose
  int64_t group = 1;
  bool ceil_mode = false;

  // Attribute errors (unknown auto_pad, wrong lengths, non-positive strides) name the value.
  // Lengths are checked against the input rank when binding (forward/transpose_geometry).
  static Result<WindowAttributes> from(const ir::Node& node);
};

struct WindowGeometry {
  int rank = 0;  // spatial dims
  int64_t in[kMaxSpatial] = {};
  int64_t kernel[kMaxSpatial] = {};
  int64_t stride[kMaxSpatial] = {};
  int64_t dilation[kMaxSpatial] = {};
  int64_t pad_begin[kMaxSpatial] = {};  // may be negative for ConvTranspose (output cropped)
  int64_t pad_end[kMaxSpatial] = {};
  int64_t out[kMaxSpatial] = {};

  int64_t in_size() const;
  int64_t out_size() const;
  int64_t kernel_size() const;
};

// Conv and pools: out[i] from in[i], the (dilated) kernel, strides and pads / auto_pad.
Result<WindowGeometry> forward_geometry(const WindowAttributes& attrs, const int64_t* in,
                                        const int64_t* kernel, int rank);
// ConvTranspose: out[i] = stride·(in-1) + output_padding + dilated kernel - pads, or the
// pads that yield output_shape.
Result<WindowGeometry> transpose_geometry(const WindowAttributes& attrs, const int64_t* in,
                                          const int64_t* kernel, int rank);

}  // namespace recinfer::kernels::conv
