// Clip. Before opset 11 the bounds are float attributes (defaults +-FLT_MAX, float types only);
// from opset 11 they are optional scalar inputs of the input's dtype, read at run time. With
// min > max every element becomes max, as the spec says (min is applied first, then max).
#include <cfloat>
#include <limits>

#include "kernels/elementwise/broadcast.h"
#include "kernels/elementwise/elementwise_common.h"
#include "kernels/elementwise/elementwise_ops.h"

namespace recinfer::kernels {

namespace {

// `v < lo ? lo : v` then `hi < v ? hi : v`: keeps NaN inputs NaN (numpy's clip does too).
template <typename T>
inline T clip_value(T v, T lo, T hi) {
  v = v < lo ? lo : v;
  return hi < v ? hi : v;
}

template <bool kReference>
class ClipKernel final : public Kernel {
 public:
  explicit ClipKernel(const ir::Node& node)
      : bounds_from_attributes_(node.opset < 11),
        min_attr_(node.attr_float("min", -FLT_MAX)),
        max_attr_(node.attr_float("max", FLT_MAX)) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& in = *ctx.input(0);
    Tensor& out = ctx.output(0);
    return dispatch<kNumeric>(in.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T lo = std::numeric_limits<T>::lowest();
      T hi = std::numeric_limits<T>::max();
      if constexpr (std::is_floating_point_v<T>) {
        if (bounds_from_attributes_) {
          lo = static_cast<T>(min_attr_);
          hi = static_cast<T>(max_attr_);
        }
      }
      if (!bounds_from_attributes_) {
        if (const Tensor* min = ctx.input(1)) lo = min->data<T>()[0];
        if (const Tensor* max = ctx.input(2)) hi = max->data<T>()[0];
      }
      const T* src = in.data<T>();
      T* dst = out.data<T>();
      if constexpr (kReference) {
        for (int64_t i = 0; i < in.numel(); ++i) dst[i] = clip_value(src[i], lo, hi);
      } else {
        ctx.parallel_for(in.numel(), kElementwiseGrain, [&](int64_t begin, int64_t end) {
          for (int64_t i = begin; i < end; ++i) dst[i] = clip_value(src[i], lo, hi);
        });
      }
      return Status::ok();
    });
  }

 private:
  bool bounds_from_attributes_;
  float min_attr_;
  float max_attr_;
};

}  // namespace

Status infer_clip(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* in, ctx.required_input(0));
  if (ctx.opset() < 11) {
    if (ctx.num_inputs() != 1) {
      return ctx.error(StatusCode::kInvalidArgument,
                       "before opset 11 Clip takes 1 input (bounds are attributes), got {}",
                       ctx.num_inputs());
    }
    RI_RETURN_IF_ERROR(check_dtype(ctx, in->dtype, kFloats, "input 0"));
  } else {
    if (ctx.num_inputs() > 3) {
      return ctx.error(StatusCode::kInvalidArgument, "expects 1 to 3 inputs, got {}",
                       ctx.num_inputs());
    }
    RI_RETURN_IF_ERROR(check_dtype(ctx, in->dtype, kNumeric, "input 0"));
    const char* names[] = {"input", "min", "max"};
    for (int i = 1; i < ctx.num_inputs(); ++i) {
      const TensorInfo* bound = ctx.input(i);
      if (bound == nullptr) continue;  // omitted: no bound on that side
      if (bound->dtype != in->dtype) {
        return ctx.error(StatusCode::kInvalidArgument, "{} has dtype {} but input has dtype {}",
                         names[i], dtype_name(bound->dtype), dtype_name(in->dtype));
      }
      // The spec asks for a scalar; a one-element tensor of shape (1) is accepted too.
      if (bound->shape.numel() != 1) {
        return ctx.error(StatusCode::kInvalidArgument, "{} must be a scalar, got shape {}",
                         names[i], bound->shape.to_string());
      }
    }
  }
  ctx.set_output(0, in->dtype, in->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_clip(const ir::Node& node) {
  return std::make_unique<ClipKernel<false>>(node);
}
std::unique_ptr<Kernel> make_clip_reference(const ir::Node& node) {
  return std::make_unique<ClipKernel<true>>(node);
}

}  // namespace recinfer::kernels
