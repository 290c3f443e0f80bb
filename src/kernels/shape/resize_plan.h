// Resize/Upsample geometry shared by the optimised and reference kernels: attributes, output
// shape from scales or sizes, and the per-dim "taps" (source indices and weights) of an output
// coordinate. The formulas follow the ONNX reference implementation (onnx/backend/test/case/node
// /resize.py), which produced the node tests: the resized length in the coordinate transforms is
// in*scale unfloored, nearest picks between floor and floor+1 with ties by nearest_mode, samples
// outside the input repeat the edge, and tf_crop_and_resize returns extrapolation_value for a
// coordinate outside the input. Everything here is fixed-size, so compute() stays off the heap.
#pragma once

#include <array>

#include "kernels/kernel.h"

namespace recinfer::kernels::layout {

enum class ResizeMode { kNearest, kLinear, kCubic };
enum class CoordMode {
  kHalfPixel, kPytorchHalfPixel, kAlignCorners, kAsymmetric, kTfHalfPixelForNn, kTfCropAndResize
};
// kSimple: Resize-10 and Upsample (truncate when upsampling, ceil when downsampling).
enum class NearestMode { kRoundPreferFloor, kRoundPreferCeil, kFloor, kCeil, kSimple };

struct ResizeAttrs {
  ResizeMode mode = ResizeMode::kNearest;
  CoordMode coord = CoordMode::kHalfPixel;
  NearestMode nearest = NearestMode::kRoundPreferFloor;
  double cubic_a = -0.75;
  bool exclude_outside = false;
  double extrapolation = 0.0;
};

// Reads the attributes of a Resize (opset 10+) or Upsample node; errors name the node.
Status parse_resize_attrs(const ir::Node& node, ResizeAttrs* attrs);

struct ResizeGeometry {
  Shape in;
  Shape out;
  std::array<double, Shape::kMaxRank> scale{};
  std::array<double, Shape::kMaxRank> roi_start{};  // tf_crop_and_resize only
  std::array<double, Shape::kMaxRank> roi_end{};
};

// The tensors that drive the geometry; null where absent (or unknown at plan time).
struct ResizeInputs {
  const Tensor* roi = nullptr;
  const Tensor* scales = nullptr;
  const Tensor* sizes = nullptr;
};

// Which inputs hold roi/scales/sizes for this node (-1: not an input).
struct ResizeInputIndex {
  int roi = -1;
  int scales = -1;
  int sizes = -1;
};
ResizeInputIndex resize_input_index(const ir::Node& node);

// Output shape and per-dim scales from sizes (when given and non-empty) or scales (input, or
// Upsample-7's attribute); roi is read only for tf_crop_and_resize.
Status plan_resize(const ir::Node& node, const ResizeAttrs& attrs, const Shape& in,
                   const ResizeInputs& inputs, ResizeGeometry* geometry);

// Up to four source indices along one dim (already clamped into the input) with their weights;
// zero weights are dropped. `outside`: tf_crop_and_resize coordinate off the input.
struct Taps {
  int count = 0;
  bool outside = false;
  std::array<int64_t, 4> index{};
  std::array<double, 4> weight{};
};
void compute_taps(const ResizeAttrs& attrs, const ResizeGeometry& g, int dim, int64_t x,
                  Taps* taps);

}  // namespace recinfer::kernels::layout
