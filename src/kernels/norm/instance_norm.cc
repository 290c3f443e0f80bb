// InstanceNormalization: each (n, c) plane of an (N, C, D1, ...) input is normalised over its
// spatial elements, then y = x̂ * scale[c] + B[c]. Planes run in parallel; the reference computes
// the statistics with one sequential accumulator.
#include <algorithm>

#include "kernels/dispatch.h"
#include "kernels/norm/norm_common.h"
#include "kernels/norm/norm_ops.h"

namespace recinfer::kernels {
namespace {

class InstanceNormKernel final : public Kernel {
 public:
  InstanceNormKernel(const ir::Node& node, bool reference)
      : epsilon_(node.attr_float("epsilon", 1e-5f)), reference_(reference) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const int64_t channels = x.shape()[1];
    const int64_t planes = x.shape().product(0, 2);
    const int64_t spatial = x.shape().product(2, x.rank());
    if (x.numel() == 0) return Status::ok();
    return dispatch<kFloats>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* in = x.data<T>();
      const T* scale = ctx.input(1)->data<T>();
      const T* bias = ctx.input(2)->data<T>();
      T* out = ctx.output(0).data<T>();
      const T epsilon = static_cast<T>(epsilon_);
      auto run = [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) {
          const T* src = in + p * spatial;
          T* dst = out + p * spatial;
          T mean, inv_std;
          if (reference_) {
            norm::row_stats_naive(src, spatial, 1, epsilon, &mean, &inv_std);
          } else {
            norm::row_stats(src, spatial, epsilon, &mean, &inv_std);
          }
          // (x - mean) * a + b rather than x * a + (b - mean * a): exact for constant planes.
          const T a = inv_std * scale[p % channels];
          const T b = bias[p % channels];
          for (int64_t i = 0; i < spatial; ++i) dst[i] = (src[i] - mean) * a + b;
        }
      };
      if (reference_) {
        run(0, planes);
      } else {
        ctx.parallel_for(planes, std::max<int64_t>(1, 16384 / spatial), run);
      }
      return Status::ok();
    });
  }

 private:
  float epsilon_;
  bool reference_;
};

}  // namespace

Status infer_instance_norm(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (!dtype_in(x->dtype, kFloats)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  if (x->shape.rank() < 3) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "input must have rank >= 3 (N, C, D1, ...), got {}", x->shape.to_string());
  }
  RI_RETURN_IF_ERROR(norm::check_channel_param(ctx, 1, "scale", x->dtype, x->shape[1]));
  RI_RETURN_IF_ERROR(norm::check_channel_param(ctx, 2, "B", x->dtype, x->shape[1]));
  ctx.set_output(0, x->dtype, x->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_instance_norm(const ir::Node& node) {
  return std::make_unique<InstanceNormKernel>(node, false);
}
std::unique_ptr<Kernel> make_instance_norm_reference(const ir::Node& node) {
  return std::make_unique<InstanceNormKernel>(node, true);
}

}  // namespace recinfer::kernels
