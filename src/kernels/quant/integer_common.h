// Helpers shared by the integer matmul/conv kernels: reading 8-bit operands and zero points of
// either signedness, and requantizing an int32 accumulator.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/dispatch.h"
#include "kernels/kernel.h"

namespace recinfer::kernels::quant {

inline constexpr uint32_t kInt8Types = bit(DType::kUint8) | bit(DType::kInt8);

// Element i of an int8/uint8 tensor, widened.
inline int32_t int8_at(const Tensor& t, int64_t i) {
  return t.dtype() == DType::kInt8 ? static_cast<int32_t>(t.data<int8_t>()[i])
                                   : static_cast<int32_t>(t.data<uint8_t>()[i]);
}

// Zero point `index` of an optional scalar or 1-D zero point (0 when omitted).
inline int32_t zero_point_at(const Tensor* zp, int64_t index) {
  if (zp == nullptr || zp->numel() == 0) return 0;
  return int8_at(*zp, zp->numel() == 1 ? 0 : index);
}

inline float scale_at(const Tensor& scale, int64_t index) {
  return scale.data<float>()[scale.numel() == 1 ? 0 : index];
}

// round_half_even(acc * multiplier) + zero_point, saturated to y's 8-bit dtype.
inline void store_requantized(Tensor& y, int64_t i, double value, int32_t zero_point) {
  const double q = std::nearbyint(value) + zero_point;
  if (y.dtype() == DType::kInt8) {
    y.data<int8_t>()[i] = static_cast<int8_t>(std::clamp(q, -128.0, 127.0));
  } else {
    y.data<uint8_t>()[i] = static_cast<uint8_t>(std::clamp(q, 0.0, 255.0));
  }
}

// kUnsupported unless `info` is int8/uint8; `what` names the input.
inline Status check_int8(const InferContext& ctx, const TensorInfo* info, const char* what) {
  if (info != nullptr && !dtype_in(info->dtype, kInt8Types)) {
    return ctx.error(StatusCode::kUnsupported, "{} has dtype {} (int8 or uint8 supported)", what,
                     dtype_name(info->dtype));
  }
  return Status::ok();
}

// A scale or zero point: a scalar, or 1-D of `length` (per row/column/channel).
inline Status check_per_axis(const InferContext& ctx, const TensorInfo* info, int64_t length,
                             const char* what) {
  if (info == nullptr) return Status::ok();
  if (info->shape.numel() == 1 || (info->shape.rank() == 1 && info->shape[0] == length)) {
    return Status::ok();
  }
  return ctx.error(StatusCode::kInvalidArgument, "{} has shape {}; expected a scalar or ({})",
                   what, info->shape.to_string(), length);
}

inline Status check_float_scale(const InferContext& ctx, const TensorInfo* info, const char* what) {
  if (info->dtype != DType::kFloat32) {
    return ctx.error(StatusCode::kUnsupported, "{} has dtype {} (float32 supported)", what,
                     dtype_name(info->dtype));
  }
  return Status::ok();
}

}  // namespace recinfer::kernels::quant
