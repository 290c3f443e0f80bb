// LRN (local response normalisation across channels): for each element,
//   y = x / (bias + alpha / size * sum of x² over the channels [c - floor((size-1)/2),
//            c + ceil((size-1)/2)] ∩ [0, C))^beta.
// One pass per (n, c) plane over its window of neighbouring planes; planes run in parallel.
// Naive already, so it doubles as the reference.
#include <algorithm>
#include <cmath>

#include "kernels/dispatch.h"
#include "kernels/norm/norm_ops.h"

namespace recinfer::kernels {
namespace {

struct LrnConfig {
  int64_t size = 0;
  float alpha = 1e-4f, beta = 0.75f, bias = 1.0f;
};

LrnConfig lrn_config(const ir::Node& node) {
  return {node.attr_int("size", 0), node.attr_float("alpha", 1e-4f),
          node.attr_float("beta", 0.75f), node.attr_float("bias", 1.0f)};
}

class LrnKernel final : public Kernel {
 public:
  explicit LrnKernel(const ir::Node& node) : config_(lrn_config(node)) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    if (x.numel() == 0) return Status::ok();
    const int64_t channels = x.shape()[1];
    const int64_t spatial = x.shape().product(2, x.rank());
    const int64_t before = (config_.size - 1) / 2;
    const int64_t after = config_.size - 1 - before;
    return dispatch<kFloats>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* in = x.data<T>();
      T* out = ctx.output(0).data<T>();
      const T scale = static_cast<T>(config_.alpha) / static_cast<T>(config_.size);
      const T bias = static_cast<T>(config_.bias);
      const T beta = static_cast<T>(config_.beta);
      const int64_t planes = x.shape().product(0, 2);
      ctx.parallel_for(planes, std::max<int64_t>(1, 4096 / (spatial * config_.size)),
                       [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) {
          const int64_t c = p % channels;
          const int64_t first = std::max<int64_t>(0, c - before);
          const int64_t last = std::min(channels - 1, c + after);
          const T* plane = in + p * spatial;
          T* dst = out + p * spatial;
          for (int64_t i = 0; i < spatial; ++i) {
            T sum = 0;
            for (int64_t k = first; k <= last; ++k) {
              const T v = plane[(k - c) * spatial + i];
              sum += v * v;
            }
            dst[i] = plane[i] / std::pow(bias + scale * sum, beta);
          }
        }
      });
      return Status::ok();
    });
  }

 private:
  LrnConfig config_;
};

}  // namespace

Status infer_lrn(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (!dtype_in(x->dtype, kFloats)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  const LrnConfig config = lrn_config(ctx.node());
  if (config.size <= 0) {
    return ctx.error(StatusCode::kInvalidArgument, "attribute size must be positive, got {}",
                     config.size);
  }
  if (x->shape.rank() < 3) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "input must have rank >= 3 (N, C, D1, ...), got {}", x->shape.to_string());
  }
  ctx.set_output(0, x->dtype, x->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_lrn(const ir::Node& node) { return std::make_unique<LrnKernel>(node); }

}  // namespace recinfer::kernels
