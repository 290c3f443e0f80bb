#include "kernels/shape/resize_plan.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "kernels/shape/shape_util.h"

namespace recinfer::kernels::layout {

namespace {

// Element i of a float32/float64 tensor.
double float_at(const Tensor& t, int64_t i) {
  return t.dtype() == DType::kFloat64 ? t.data<double>()[i]
                                      : static_cast<double>(t.data<float>()[i]);
}

// The cubic convolution kernel of Keys with parameter a, at distance s >= 0.
double cubic_weight(double s, double a) {
  if (s <= 1) return ((a + 2) * s - (a + 3)) * s * s + 1;
  if (s < 2) return ((a * s - 5 * a) * s + 8 * a) * s - 4 * a;
  return 0;
}

}  // namespace

Status parse_resize_attrs(const ir::Node& node, ResizeAttrs* attrs) {
  const std::string mode = node.attr_string("mode", "nearest");
  if (mode == "nearest") attrs->mode = ResizeMode::kNearest;
  else if (mode == "linear" || mode == "bilinear") attrs->mode = ResizeMode::kLinear;
  else if (mode == "cubic" && node.op == ir::OpType::kResize && node.opset >= 11) {
    attrs->mode = ResizeMode::kCubic;
  } else {
    return node_error(node, StatusCode::kInvalidArgument, "unknown mode '{}'", mode);
  }
  if (node.op == ir::OpType::kUpsample || node.opset < 11) {
    // Upsample and Resize-10 have no coordinate attributes: x / scale, truncated for nearest.
    attrs->coord = CoordMode::kAsymmetric;
    attrs->nearest = NearestMode::kSimple;
    return Status::ok();
  }
  const std::string coord = node.attr_string("coordinate_transformation_mode", "half_pixel");
  if (coord == "half_pixel") attrs->coord = CoordMode::kHalfPixel;
  else if (coord == "pytorch_half_pixel") attrs->coord = CoordMode::kPytorchHalfPixel;
  else if (coord == "align_corners") attrs->coord = CoordMode::kAlignCorners;
  else if (coord == "asymmetric") attrs->coord = CoordMode::kAsymmetric;
  else if (coord == "tf_half_pixel_for_nn") attrs->coord = CoordMode::kTfHalfPixelForNn;
  else if (coord == "tf_crop_and_resize") attrs->coord = CoordMode::kTfCropAndResize;
  else {
    return node_error(node, StatusCode::kInvalidArgument,
                      "unknown coordinate_transformation_mode '{}'", coord);
  }
  const std::string nearest = node.attr_string("nearest_mode", "round_prefer_floor");
  if (nearest == "round_prefer_floor") attrs->nearest = NearestMode::kRoundPreferFloor;
  else if (nearest == "round_prefer_ceil") attrs->nearest = NearestMode::kRoundPreferCeil;
  else if (nearest == "floor") attrs->nearest = NearestMode::kFloor;
  else if (nearest == "ceil") attrs->nearest = NearestMode::kCeil;
  else {
    return node_error(node, StatusCode::kInvalidArgument, "unknown nearest_mode '{}'", nearest);
  }
  attrs->cubic_a = node.attr_float("cubic_coeff_a", -0.75f);
  attrs->exclude_outside = node.attr_int("exclude_outside", 0) != 0;
  attrs->extrapolation = node.attr_float("extrapolation_value", 0.0f);
  if (node.attr_int("antialias", 0) != 0 || node.has_attr("axes") ||
      node.has_attr("keep_aspect_ratio_policy")) {
    return node_error(node, StatusCode::kUnsupported,
                      "antialias, axes and keep_aspect_ratio_policy (opset 18) are not supported");
  }
  return Status::ok();
}

ResizeInputIndex resize_input_index(const ir::Node& node) {
  ResizeInputIndex index;
  if (node.op == ir::OpType::kUpsample) {
    if (node.opset >= 9) index.scales = 1;
  } else if (node.opset < 11) {
    index.scales = 1;
  } else {
    index = {1, 2, 3};
  }
  return index;
}

Status plan_resize(const ir::Node& node, const ResizeAttrs& attrs, const Shape& in,
                   const ResizeInputs& inputs, ResizeGeometry* g) {
  const int rank = in.rank();
  g->in = in;
  g->out = in;
  if (inputs.sizes != nullptr && inputs.sizes->numel() > 0) {
    if (inputs.sizes->dtype() != DType::kInt64 || inputs.sizes->numel() != rank) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "sizes must be {} int64 values, got {} {}", rank,
                        dtype_name(inputs.sizes->dtype()), inputs.sizes->shape().to_string());
    }
    for (int d = 0; d < rank; ++d) {
      g->out[d] = inputs.sizes->data<int64_t>()[d];
      g->scale[static_cast<size_t>(d)] =
          in[d] > 0 ? static_cast<double>(g->out[d]) / static_cast<double>(in[d]) : 1.0;
    }
  } else {
    const bool from_attr = inputs.scales == nullptr && node.op == ir::OpType::kUpsample &&
                           node.opset < 9;
    // Read in place: attr_floats() would copy, and compute() must not allocate.
    const ir::Attribute* attr = from_attr ? node.attr("scales") : nullptr;
    const bool attr_ok = attr != nullptr && attr->kind == ir::Attribute::Kind::kFloats;
    const int64_t count = from_attr ? (attr_ok ? static_cast<int64_t>(attr->floats.size()) : 0)
                          : inputs.scales != nullptr ? inputs.scales->numel() : 0;
    if (count != rank || (!from_attr && !dtype_is_float(inputs.scales->dtype()))) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "needs {} float scales or sizes for input {}, got {} scales", rank,
                        in.to_string(), count);
    }
    for (int d = 0; d < rank; ++d) {
      const double s = from_attr ? attr->floats[static_cast<size_t>(d)]
                                 : float_at(*inputs.scales, d);
      if (!(s > 0) || !std::isfinite(s)) {
        return node_error(node, StatusCode::kInvalidArgument, "scales[{}] = {} must be positive",
                          d, s);
      }
      g->scale[static_cast<size_t>(d)] = s;
      g->out[d] = static_cast<int64_t>(std::floor(static_cast<double>(in[d]) * s));
    }
  }
  for (int d = 0; d < rank; ++d) {
    if (in[d] == 0 && g->out[d] > 0) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "cannot resize empty dim {} of input {} to {}", d, in.to_string(),
                        g->out[d]);
    }
    g->roi_start[static_cast<size_t>(d)] = 0.0;
    g->roi_end[static_cast<size_t>(d)] = 1.0;
  }
  if (attrs.coord == CoordMode::kTfCropAndResize && inputs.roi != nullptr &&
      inputs.roi->numel() > 0) {
    if (inputs.roi->numel() != 2 * rank || !dtype_is_float(inputs.roi->dtype())) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "roi must hold {} float values (starts, then ends), got {} {}", 2 * rank,
                        dtype_name(inputs.roi->dtype()), inputs.roi->shape().to_string());
    }
    for (int d = 0; d < rank; ++d) {
      g->roi_start[static_cast<size_t>(d)] = float_at(*inputs.roi, d);
      g->roi_end[static_cast<size_t>(d)] = float_at(*inputs.roi, d + rank);
    }
  }
  return check_output_shape(node, g->out);
}

void compute_taps(const ResizeAttrs& attrs, const ResizeGeometry& g, int dim, int64_t x_out,
                  Taps* taps) {
  const auto d = static_cast<size_t>(dim);
  const auto n = static_cast<double>(g.in[dim]);
  const double scale = g.scale[d];
  const double length = n * scale;  // the reference's unfloored resized length
  const auto x = static_cast<double>(x_out);
  double xo = 0;
  taps->outside = false;
  switch (attrs.coord) {
    case CoordMode::kHalfPixel: xo = (x + 0.5) / scale - 0.5; break;
    case CoordMode::kPytorchHalfPixel: xo = length == 1 ? -0.5 : (x + 0.5) / scale - 0.5; break;
    case CoordMode::kAlignCorners: xo = length == 1 ? 0 : x * (n - 1) / (length - 1); break;
    case CoordMode::kAsymmetric: xo = x / scale; break;
    case CoordMode::kTfHalfPixelForNn: xo = (x + 0.5) / scale; break;
    case CoordMode::kTfCropAndResize: {
      const double start = g.roi_start[d];
      const double span = g.roi_end[d] - start;
      xo = length == 1 ? span * (n - 1) / 2 : x * span * (n - 1) / (length - 1);
      xo += start * (n - 1);
      taps->outside = xo < 0 || xo > n - 1;
      break;
    }
  }
  const double base = std::floor(xo);
  const double ratio = xo - base;
  const auto i0 = static_cast<int64_t>(base);
  int count = 0;
  if (attrs.mode == ResizeMode::kNearest) {
    int64_t pick = i0;
    if (attrs.nearest == NearestMode::kSimple) {
      pick = static_cast<int64_t>(scale < 1 ? std::ceil(xo) : std::trunc(xo));
    } else if (ratio > 0) {
      const bool up = attrs.nearest == NearestMode::kRoundPreferFloor  ? ratio > 0.5
                      : attrs.nearest == NearestMode::kRoundPreferCeil ? ratio >= 0.5
                                                                       : attrs.nearest == NearestMode::kCeil;
      pick = i0 + (up ? 1 : 0);
    }
    taps->index[0] = pick;
    taps->weight[0] = 1;
    count = 1;
  } else if (attrs.mode == ResizeMode::kLinear) {
    taps->index = {i0, i0 + 1, 0, 0};
    taps->weight = {1 - ratio, ratio, 0, 0};
    count = 2;
  } else {
    const double a = attrs.cubic_a;
    taps->index = {i0 - 1, i0, i0 + 1, i0 + 2};
    taps->weight = {cubic_weight(1 + ratio, a), cubic_weight(ratio, a),
                    cubic_weight(1 - ratio, a), cubic_weight(2 - ratio, a)};
    count = 4;
  }
  if (attrs.exclude_outside && count > 1) {
    double sum = 0;
    for (int i = 0; i < count; ++i) {
      if (taps->index[i] < 0 || taps->index[i] >= g.in[dim]) taps->weight[i] = 0;
      sum += taps->weight[i];
    }
    if (sum != 0) {
      for (int i = 0; i < count; ++i) taps->weight[i] /= sum;
    }
  }
  // Out-of-range samples repeat the edge (the reference pads with mode 'edge').
  taps->count = 0;
  for (int i = 0; i < count; ++i) {
    if (taps->weight[i] == 0) continue;
    taps->index[taps->count] = std::clamp<int64_t>(taps->index[i], 0, g.in[dim] - 1);
    taps->weight[taps->count] = taps->weight[i];
    ++taps->count;
  }
}

}  // namespace recinfer::kernels::layout
