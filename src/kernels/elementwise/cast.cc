// Cast (target dtype from attribute `to`) and CastLike (target dtype of input 1) between every
// pair of float16/bfloat16/32/64, signed/unsigned 8..64-bit integers and bool, with the
// conversion rules of convert.h; float16/bfloat16 go through float (exact) and are rounded to
// nearest even from double (core/half.h), as numpy's astype and ONNX Runtime do. Targets recinfer
// cannot compute in (string, complex, float8) are reported as unsupported. The kernel converts to the output's dtype, which infer set.
#include <cstring>

#include "ir/dtype_code.h"
#include "kernels/elementwise/broadcast.h"
#include "kernels/elementwise/convert.h"
#include "kernels/elementwise/elementwise_common.h"
#include "kernels/elementwise/elementwise_ops.h"
#include "kernels/half_dtype.h"

namespace recinfer::kernels {

namespace {

// Casts where either side is float16/bfloat16, one element at a time (both variants).
Status cast_half(const Tensor& in, Tensor& out) {
  const DType from = in.dtype();
  const DType to = out.dtype();
  const int64_t n = in.numel();
  if (is_half_float(from) && is_half_float(to)) {
    const uint16_t* src = in.data<uint16_t>();
    uint16_t* dst = out.data<uint16_t>();
    for (int64_t i = 0; i < n; ++i) dst[i] = narrow_to_half(to, widen_half(from, src[i]));
    return Status::ok();
  }
  if (is_half_float(from)) {
    const uint16_t* src = in.data<uint16_t>();
    return dispatch<kAll>(to, [&](auto tag) {
      using To = decltype(tag);
      To* dst = out.data<To>();
      for (int64_t i = 0; i < n; ++i) dst[i] = convert_value<To>(widen_half(from, src[i]));
      return Status::ok();
    });
  }
  uint16_t* dst = out.data<uint16_t>();
  return dispatch<kAll>(from, [&](auto tag) {
    using From = decltype(tag);
    const From* src = in.data<From>();
    for (int64_t i = 0; i < n; ++i) dst[i] = narrow_to_half(to, convert_value<double>(src[i]));
    return Status::ok();
  });
}

template <bool kReference>
class CastKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& in = *ctx.input(0);
    Tensor& out = ctx.output(0);
    const DType to = out.dtype();
    const int64_t n = in.numel();
    if (!kReference && in.dtype() == to) {
      if (n > 0 && out.raw() != in.raw()) std::memcpy(out.raw(), in.raw(), in.bytes());
      return Status::ok();
    }
    if (is_half_float(in.dtype()) || is_half_float(to)) return cast_half(in, out);
    return dispatch<kAll>(in.dtype(), [&](auto from_tag) {
      using From = decltype(from_tag);
      return dispatch<kAll>(to, [&](auto to_tag) {
        using To = decltype(to_tag);
        const From* src = in.data<From>();
        To* dst = out.data<To>();
        if constexpr (kReference) {
          for (int64_t i = 0; i < n; ++i) dst[i] = convert_value<To>(src[i]);
        } else {
          ctx.parallel_for(n, kElementwiseGrain, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) dst[i] = convert_value<To>(src[i]);
          });
        }
        return Status::ok();
      });
    });
  }
};

}  // namespace

Status infer_cast(InferContext& ctx) {
  if (ctx.num_inputs() != 1) {
    return ctx.error(StatusCode::kInvalidArgument, "expects 1 input, got {}", ctx.num_inputs());
  }
  RI_ASSIGN_OR_RETURN(const TensorInfo* in, ctx.required_input(0));
  if (!ctx.node().has_attr("to")) {
    return ctx.error(StatusCode::kInvalidArgument, "missing required attribute 'to'");
  }
  const int64_t code = ctx.node().attr_int("to", 0);
  const DType to = ir::dtype_from_code(code);
  if (to == DType::kUndefined) {
    return ctx.error(StatusCode::kUnsupported, "attribute to={} is not a supported data type",
                     code);
  }
  RI_RETURN_IF_ERROR(check_dtype(ctx, in->dtype, kAll | kHalfFloats, "input 0"));
  RI_RETURN_IF_ERROR(check_dtype(ctx, to, kAll | kHalfFloats, "target type 'to'"));
  ctx.set_output(0, to, in->shape);
  return Status::ok();
}

Status infer_cast_like(InferContext& ctx) {
  if (ctx.num_inputs() != 2) {
    return ctx.error(StatusCode::kInvalidArgument, "expects 2 inputs (input, target_type), got {}",
                     ctx.num_inputs());
  }
  RI_ASSIGN_OR_RETURN(const TensorInfo* in, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* like, ctx.required_input(1));
  RI_RETURN_IF_ERROR(check_dtype(ctx, in->dtype, kAll | kHalfFloats, "input 0"));
  RI_RETURN_IF_ERROR(check_dtype(ctx, like->dtype, kAll | kHalfFloats, "target_type (input 1)"));
  ctx.set_output(0, like->dtype, in->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_cast(const ir::Node& /*node*/) {
  return std::make_unique<CastKernel<false>>();
}
std::unique_ptr<Kernel> make_cast_reference(const ir::Node& /*node*/) {
  return std::make_unique<CastKernel<true>>();
}

}  // namespace recinfer::kernels
