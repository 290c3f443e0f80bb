// Range: start, start+delta, ... up to (excluding) limit; max(ceil((limit-start)/delta), 0)
// elements. Inputs are scalars of one dtype (float, double, int16, int32, int64).
#include <cmath>

#include "kernels/dispatch.h"
#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

constexpr uint32_t kRangeTypes = kFloats | bit(DType::kInt16) | bit(DType::kInt32) |
                                 bit(DType::kInt64);
// Far beyond any tensor that can be allocated, and small enough for the int64 maths below.
constexpr int64_t kMaxRangeLength = int64_t{1} << 48;

constexpr const char* kNames[3] = {"start", "limit", "delta"};

template <typename T>
T scalar_value(const Tensor& t) {
  return t.data<T>()[0];
}

// Element count for values of type T, or an error naming the offending delta/length.
template <typename T>
Status range_length(const ir::Node& node, T start, T limit, T delta, int64_t* length) {
  if (delta == T(0)) {
    return node_error(node, StatusCode::kInvalidArgument, "delta is 0");
  }
  if constexpr (std::is_floating_point_v<T>) {
    const double count = std::ceil((static_cast<double>(limit) - static_cast<double>(start)) /
                                   static_cast<double>(delta));
    if (std::isnan(count) || count > static_cast<double>(kMaxRangeLength)) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "range from {} to {} by {} has too many elements", start, limit, delta);
    }
    *length = count > 0 ? static_cast<int64_t>(count) : 0;
  } else {
    // 128-bit so that limit - start cannot overflow for int64 inputs.
    const __int128 diff = static_cast<__int128>(limit) - static_cast<__int128>(start);
    const __int128 step = delta;
    __int128 count = diff / step;
    if (diff % step != 0 && ((diff > 0) == (step > 0))) ++count;
    if (count > kMaxRangeLength) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "range from {} to {} by {} has too many elements", start, limit, delta);
    }
    *length = count > 0 ? static_cast<int64_t>(count) : 0;
  }
  return Status::ok();
}

Status range_shape(const ir::Node& node, const Tensor* const values[3], Shape* out) {
  int64_t length = 0;
  RI_RETURN_IF_ERROR(dispatch<kRangeTypes>(values[0]->dtype(), [&](auto tag) {
    using T = decltype(tag);
    return range_length<T>(node, scalar_value<T>(*values[0]), scalar_value<T>(*values[1]),
                           scalar_value<T>(*values[2]), &length);
  }));
  *out = Shape{length};
  return Status::ok();
}

class RangeKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor* values[3] = {ctx.input(0), ctx.input(1), ctx.input(2)};
    Shape shape;
    RI_RETURN_IF_ERROR(range_shape(ctx.node(), values, &shape));
    const DType dtype = values[0]->dtype();
    RI_ASSIGN_OR_RETURN(Tensor * out, bind_output_shape(ctx, 0, dtype, shape));
    return dispatch<kRangeTypes>(dtype, [&](auto tag) {
      using T = decltype(tag);
      const T start = scalar_value<T>(*values[0]);
      const T delta = scalar_value<T>(*values[2]);
      T* dst = out->data<T>();
      // start + i*delta rather than repeated addition: no accumulated rounding for floats, and
      // each element is independent. Integers go through int64 so i*delta cannot overflow T.
      for (int64_t i = 0; i < shape[0]; ++i) {
        if constexpr (std::is_floating_point_v<T>) {
          dst[i] = start + static_cast<T>(i) * delta;
        } else {
          dst[i] = static_cast<T>(static_cast<int64_t>(start) + i * static_cast<int64_t>(delta));
        }
      }
      return Status::ok();
    });
  }
};

}  // namespace

Status infer_range(InferContext& ctx) {
  const TensorInfo* infos[3] = {};
  for (int i = 0; i < 3; ++i) {
    RI_ASSIGN_OR_RETURN(infos[i], ctx.required_input(i));
    if (infos[i]->shape.numel() != 1 || infos[i]->shape.rank() > 1) {
      return ctx.error(StatusCode::kInvalidArgument, "input '{}' must be a scalar, got shape {}",
                       kNames[i], infos[i]->shape.to_string());
    }
    if (infos[i]->dtype != infos[0]->dtype) {
      return ctx.error(StatusCode::kInvalidArgument, "input '{}' has dtype {}, 'start' has {}",
                       kNames[i], dtype_name(infos[i]->dtype), dtype_name(infos[0]->dtype));
    }
  }
  const DType dtype = infos[0]->dtype;
  if (!dtype_in(dtype, kRangeTypes)) {
    return ctx.error(StatusCode::kUnsupported, "dtype {} is not supported", dtype_name(dtype));
  }
  if (infos[0]->value == nullptr || infos[1]->value == nullptr || infos[2]->value == nullptr) {
    ctx.set_output_dynamic(0, dtype);
    return Status::ok();
  }
  const Tensor* values[3] = {infos[0]->value, infos[1]->value, infos[2]->value};
  Shape out;
  RI_RETURN_IF_ERROR(range_shape(ctx.node(), values, &out));
  ctx.set_output(0, dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_range(const ir::Node&) { return std::make_unique<RangeKernel>(); }

}  // namespace recinfer::kernels
