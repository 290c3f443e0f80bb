// Shared by ScatterElements/Scatter and ScatterND: the reduction attribute (opset 16 adds
// add/mul, opset 18 max/min; recinfer accepts all of them at every opset that has the attribute)
// and a dispatch that hands the scatter loop a combiner `op(T& dst, T src)` for the element type.
// `none` moves bytes, so it works for every fixed-size dtype; the reductions need arithmetic.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>

#include "kernels/dispatch.h"
#include "kernels/kernel.h"

namespace recinfer::kernels::embedding {

enum class ScatterReduction { kNone, kAdd, kMul, kMax, kMin };

inline Status parse_reduction(const ir::Node& node, ScatterReduction* out) {
  const std::string name = node.attr_string("reduction", "none");
  if (name == "none") *out = ScatterReduction::kNone;
  else if (name == "add") *out = ScatterReduction::kAdd;
  else if (name == "mul") *out = ScatterReduction::kMul;
  else if (name == "max") *out = ScatterReduction::kMax;
  else if (name == "min") *out = ScatterReduction::kMin;
  else return invalid_argument("{}: unknown reduction '{}'", node.describe(), name);
  return Status::ok();
}

// Checks that `dtype` can be scattered with `reduction` (infer time).
inline Status check_scatter_dtype(const InferContext& ctx, DType dtype,
                                  ScatterReduction reduction) {
  if (reduction == ScatterReduction::kNone ? dtype_size(dtype) != 0 : dtype_in(dtype, kNumeric)) {
    return Status::ok();
  }
  return ctx.error(StatusCode::kUnsupported, "data dtype {} is not supported with reduction {}",
                   dtype_name(dtype), ctx.node().attr_string("reduction", "none"));
}

// Calls fn(tag, op) with tag a value of the element type (an unsigned type of the element's size
// for `none`) and op(T& dst, const T& src) the combiner.
template <typename Fn>
Status dispatch_scatter(DType dtype, ScatterReduction reduction, Fn&& fn) {
  if (reduction == ScatterReduction::kNone) {
    auto assign = [](auto& dst, const auto& src) { dst = src; };
    switch (dtype_size(dtype)) {
      case 1: return fn(uint8_t{}, assign);
      case 2: return fn(uint16_t{}, assign);
      case 4: return fn(uint32_t{}, assign);
      case 8: return fn(uint64_t{}, assign);
      default: return unsupported("dtype {} cannot be scattered", dtype_name(dtype));
    }
  }
  return dispatch<kNumeric>(dtype, [&](auto tag) {
    using T = decltype(tag);
    switch (reduction) {
      case ScatterReduction::kAdd:
        return fn(tag, [](T& dst, const T& src) { dst = static_cast<T>(dst + src); });
      case ScatterReduction::kMul:
        return fn(tag, [](T& dst, const T& src) { dst = static_cast<T>(dst * src); });
      case ScatterReduction::kMax:
        return fn(tag, [](T& dst, const T& src) { dst = std::max(dst, src); });
      case ScatterReduction::kMin:
        return fn(tag, [](T& dst, const T& src) { dst = std::min(dst, src); });
      case ScatterReduction::kNone:
        break;
    }
    return Status::ok();
  });
}

}  // namespace recinfer::kernels::embedding
