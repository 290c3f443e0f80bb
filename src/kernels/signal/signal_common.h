// Shared by the signal kernels: scalar inputs that size the output, the output_datatype
// attribute, and one naive DFT (sum of n terms per bin, in double: these ops are small and the
// reference form is exact enough; no FFT).
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/dispatch.h"
#include "kernels/kernel.h"

namespace recinfer::kernels::spectral {

// The value of a scalar (or 1-element) int32/int64 tensor.
inline Result<int64_t> scalar_int(const Tensor& t, const char* what) {
  if (t.numel() != 1 || (t.dtype() != DType::kInt64 && t.dtype() != DType::kInt32)) {
    return invalid_argument("{} must be an int32/int64 scalar, got {} {}", what,
                            dtype_name(t.dtype()), t.shape().to_string());
  }
  return t.dtype() == DType::kInt64 ? t.data<int64_t>()[0] : int64_t{t.data<int32_t>()[0]};
}

// Checks an int32/int64 scalar input's type at infer time; its value when known, -1 otherwise.
inline Result<int64_t> infer_scalar_int(const InferContext& ctx, int index, const char* what) {
  const TensorInfo* info = ctx.input(index);
  if (info == nullptr) return int64_t{-1};
  if (info->shape.numel() != 1 || (info->dtype != DType::kInt64 && info->dtype != DType::kInt32)) {
    return ctx.error(StatusCode::kInvalidArgument, "{} must be an int32/int64 scalar, got {} {}",
                     what, dtype_name(info->dtype), info->shape.to_string());
  }
  if (info->value == nullptr) return int64_t{-1};
  return scalar_int(*info->value, what);
}

// Output i with `shape`: the storage planned for it when infer knew the shape (the size inputs
// were constants), else storage bound now (infer marked the output dynamic).
inline Result<Tensor*> output_with_shape(KernelContext& ctx, int i, DType dtype, const Shape& shape) {
  Tensor& planned = ctx.output(i);
  if (planned.dtype() == dtype && planned.shape() == shape &&
      (planned.raw() != nullptr || planned.numel() == 0)) {
    return &planned;
  }
  return ctx.allocate_output(i, dtype, shape);
}

// ONNX TensorProto data type codes the signal ops may produce (float32 or float64).
inline Result<DType> float_output_type(const ir::Node& node) {
  const int64_t code = node.attr_int("output_datatype", 1);
  if (code == 1) return DType::kFloat32;
  if (code == 11) return DType::kFloat64;
  return unsupported("{}: output_datatype {} is not supported (1 = float32, 11 = float64)",
                     node.describe(), code);
}

// Bin k of the DFT of n complex points read through `at(i, &re, &im)`, with sign -1 (forward)
// or +1 (inverse, unscaled).
template <typename At>
void dft_bin(int64_t n, int64_t k, double sign, At&& at, double* re_out, double* im_out) {
  double re = 0, im = 0;
  for (int64_t i = 0; i < n; ++i) {
    double xr = 0, xi = 0;
    at(i, &xr, &xi);
    // (k * i) mod n keeps the angle small and exact for long signals.
    const double angle = sign * 2.0 * M_PI * static_cast<double>((k * i) % n) / static_cast<double>(n);
    const double c = std::cos(angle), s = std::sin(angle);
    re += xr * c - xi * s;
    im += xr * s + xi * c;
  }
  *re_out = re;
  *im_out = im;
}

}  // namespace recinfer::kernels::spectral
