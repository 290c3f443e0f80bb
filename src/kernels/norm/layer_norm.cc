// LayerNormalization (opset 17): each row of the trailing dims from `axis` on is normalised to
// zero mean and unit variance, then scaled and shifted elementwise. Optional outputs Mean and
// InvStdDev have the input's shape with the normalised dims set to 1, in the stash type
// (float; stash_type other than 1 is unsupported). Scale and B cover the normalised dims
// exactly, or are single values. The fast path runs rows in parallel with vectorised passes;
// the reference accumulates sequentially.
#include <algorithm>
#include <cmath>

#include "kernels/dispatch.h"
#include "kernels/norm/norm_common.h"
#include "kernels/norm/norm_ops.h"

namespace recinfer::kernels {
namespace {

using norm::wants_output;

struct LayerNormConfig {
  int64_t axis = -1;
  float epsilon = 1e-5f;
  int64_t stash_type = 1;
};

LayerNormConfig layer_norm_config(const ir::Node& node) {
  return {node.attr_int("axis", -1), node.attr_float("epsilon", 1e-5f),
          node.attr_int("stash_type", 1)};
}

// Scale / B: right-aligned onto the normalised dims with every dim equal (size-1 dims only where
// the input's are), or a single value. Returns the element stride: 1 or 0.
Status param_stride(const InferContext& ctx, int input, const char* what, const Shape& x,
                    int axis, int64_t* stride) {
  const TensorInfo* p = ctx.input(input);
  if (p->dtype != ctx.input(0)->dtype) {
    return ctx.error(StatusCode::kInvalidArgument, "{} has dtype {}, expected {}", what,
                     dtype_name(p->dtype), dtype_name(ctx.input(0)->dtype));
  }
  int64_t count = 0;
  if (p->shape.checked_numel(&count) && count == 1) {
    *stride = 0;
    return Status::ok();
  }
  bool ok = p->shape.rank() <= x.rank() - axis;
  for (int d = 0; ok && d < p->shape.rank(); ++d) {
    ok = p->shape[p->shape.rank() - 1 - d] == x[x.rank() - 1 - d];
  }
  for (int d = p->shape.rank(); ok && d < x.rank() - axis; ++d) ok = x[x.rank() - 1 - d] == 1;
  if (!ok) {
    return ctx.error(StatusCode::kUnsupported,
                     "{} shape {} does not cover the normalised dims of input shape {} from "
                     "axis {}",
                     what, p->shape.to_string(), x.to_string(), axis);
  }
  *stride = 1;
  return Status::ok();
}

template <typename T>
struct LayerNormArgs {
  const T* x;
  const T* scale;
  const T* bias;  // nullptr: no B
  int64_t scale_stride, bias_stride;
  T* y;
  float* mean;     // nullptr when not consumed
  float* inv_std;  // nullptr when not consumed
  int64_t rows, n;
  T epsilon;
};

template <typename T>
void write_row(const LayerNormArgs<T>& a, int64_t r, T mean, T inv_std) {
  const T* in = a.x + r * a.n;
  T* out = a.y + r * a.n;
  if (a.scale_stride == 1 && a.bias != nullptr && a.bias_stride == 1) {
    for (int64_t i = 0; i < a.n; ++i) out[i] = (in[i] - mean) * inv_std * a.scale[i] + a.bias[i];
  } else {
    for (int64_t i = 0; i < a.n; ++i) {
      const T b = a.bias != nullptr ? a.bias[i * a.bias_stride] : T(0);
      out[i] = (in[i] - mean) * inv_std * a.scale[i * a.scale_stride] + b;
    }
  }
  if (a.mean != nullptr) a.mean[r] = static_cast<float>(mean);
  if (a.inv_std != nullptr) a.inv_std[r] = static_cast<float>(inv_std);
}

template <typename T>
void layer_norm_fast(const LayerNormArgs<T>& a, ParallelFor& parallel) {
  const int64_t grain = std::max<int64_t>(1, 16384 / a.n);
  parallel.run(a.rows, grain, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      T mean, inv_std;
      norm::row_stats(a.x + r * a.n, a.n, a.epsilon, &mean, &inv_std);
      write_row(a, r, mean, inv_std);
    }
  });
}

template <typename T>
void layer_norm_reference(const LayerNormArgs<T>& a) {
  for (int64_t r = 0; r < a.rows; ++r) {
    T mean, inv_std;
    norm::row_stats_naive(a.x + r * a.n, a.n, 1, a.epsilon, &mean, &inv_std);
    write_row(a, r, mean, inv_std);
  }
}

class LayerNormKernel final : public Kernel {
 public:
  LayerNormKernel(const ir::Node& node, bool reference)
      : config_(layer_norm_config(node)), reference_(reference) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& scale = *ctx.input(1);
    const Tensor* bias = ctx.input(2);
    if (bias != nullptr && !bias->defined()) bias = nullptr;
    int axis = 0;
    normalize_axis(config_.axis, x.rank(), &axis);  // checked by infer
    const int64_t rows = x.shape().product(0, axis);
    const int64_t n = x.shape().product(axis, x.rank());
    if (rows == 0 || n == 0) return Status::ok();
    return dispatch<kFloats>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      LayerNormArgs<T> a{x.data<T>(),
                         scale.data<T>(),
                         bias != nullptr ? bias->data<T>() : nullptr,
                         scale.numel() == 1 ? 0 : 1,
                         bias != nullptr && bias->numel() != 1 ? 1 : 0,
                         ctx.output(0).data<T>(),
                         ctx.has_output(1) ? ctx.output(1).data<float>() : nullptr,
                         ctx.has_output(2) ? ctx.output(2).data<float>() : nullptr,
                         rows,
                         n,
                         static_cast<T>(config_.epsilon)};
      if (reference_) {
        layer_norm_reference(a);
      } else {
        layer_norm_fast(a, ctx.parallel());
      }
      return Status::ok();
    });
  }

 private:
  LayerNormConfig config_;
  bool reference_;
};

}  // namespace

Status infer_layer_norm(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  RI_RETURN_IF_ERROR(ctx.required_input(1).status());
  if (!dtype_in(x->dtype, kFloats)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  const LayerNormConfig config = layer_norm_config(ctx.node());
  if (config.stash_type != 1) {
    return ctx.error(StatusCode::kUnsupported, "stash_type {} is not supported (only 1, float)",
                     config.stash_type);
  }
  int axis = 0;
  if (!normalize_axis(config.axis, x->shape.rank(), &axis)) {
    return ctx.error(StatusCode::kInvalidArgument, "axis {} is out of range for input shape {}",
                     config.axis, x->shape.to_string());
  }
  int64_t stride = 0;
  RI_RETURN_IF_ERROR(param_stride(ctx, 1, "Scale", x->shape, axis, &stride));
  if (ctx.input(2) != nullptr) RI_RETURN_IF_ERROR(param_stride(ctx, 2, "B", x->shape, axis, &stride));
  ctx.set_output(0, x->dtype, x->shape);
  Shape stats_shape = x->shape;
  for (int d = axis; d < stats_shape.rank(); ++d) stats_shape[d] = 1;
  for (int i = 1; i < std::min(3, ctx.num_outputs()); ++i) {
    ctx.set_output(i, DType::kFloat32, stats_shape);
  }
  return Status::ok();
}

std::unique_ptr<Kernel> make_layer_norm(const ir::Node& node) {
  return std::make_unique<LayerNormKernel>(node, false);
}
std::unique_ptr<Kernel> make_layer_norm_reference(const ir::Node& node) {
  return std::make_unique<LayerNormKernel>(node, true);
}

}  // namespace recinfer::kernels
