// BatchNormalization, inference mode: y = (x - mean) / sqrt(var + epsilon) * scale + B per channel
// (axis 1) of an input of rank >= 2 ((N, C) as nn.BatchNorm1d after a Linear, (N, C, D1, ...)).
// That is a per-channel affine y = x * a[c] + b[c]; with constant parameters (the usual case) a
// and b are computed once in prepare, otherwise per channel block at run time. Training mode
// (training_mode = 1, the running-statistics outputs, spatial = 0 before opset 9) is
// unsupported: an inference engine never updates statistics.
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "kernels/dispatch.h"
#include "kernels/norm/norm_common.h"
#include "kernels/norm/norm_ops.h"

namespace recinfer::kernels {
namespace {

using norm::wants_output;

template <typename T>
void channel_affine(const T* scale, const T* bias, const T* mean, const T* var, T epsilon,
                    int64_t c, T* a, T* b) {
  *a = scale[c] / std::sqrt(var[c] + epsilon);
  *b = bias[c] - mean[c] * *a;
}

class BatchNormKernel final : public Kernel {
 public:
  BatchNormKernel(const ir::Node& node, bool reference)
      : epsilon_(node.attr_float("epsilon", 1e-5f)), reference_(reference) {}

  Status prepare(const PrepareContext& ctx) override {
    if (reference_) return Status::ok();
    for (int i = 1; i <= 4; ++i) {
      if (i >= static_cast<int>(ctx.constant_inputs.size()) || ctx.constant_inputs[i] == nullptr) {
        return Status::ok();
      }
    }
    const Tensor& scale = *ctx.constant_inputs[1];
    if (scale.dtype() != DType::kFloat32 && scale.dtype() != DType::kFloat64) return Status::ok();
    const int64_t channels = scale.numel();
    return dispatch<kFloats>(scale.dtype(), [&](auto tag) {
      using T = decltype(tag);
      std::vector<T>& a = affine_a<T>();
      std::vector<T>& b = affine_b<T>();
      a.resize(static_cast<size_t>(channels));
      b.resize(static_cast<size_t>(channels));
      for (int64_t c = 0; c < channels; ++c) {
        channel_affine(ctx.constant_inputs[1]->data<T>(), ctx.constant_inputs[2]->data<T>(),
                       ctx.constant_inputs[3]->data<T>(), ctx.constant_inputs[4]->data<T>(),
                       static_cast<T>(epsilon_), c, &a[static_cast<size_t>(c)],
                       &b[static_cast<size_t>(c)]);
      }
      precomputed_ = true;
      return Status::ok();
    });
  }

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const int64_t batch = x.shape()[0];
    const int64_t channels = x.shape()[1];
    const int64_t spatial = x.shape().product(2, x.rank());
    if (x.numel() == 0) return Status::ok();
    return dispatch<kFloats>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* in = x.data<T>();
      T* out = ctx.output(0).data<T>();
      const T* params[4];
      for (int i = 0; i < 4; ++i) params[i] = ctx.input(i + 1)->data<T>();
      const T epsilon = static_cast<T>(epsilon_);
      const T* pre_a = precomputed_ ? affine_data<T>(true) : nullptr;
      const T* pre_b = precomputed_ ? affine_data<T>(false) : nullptr;
      auto affine = [&](int64_t c, T* a, T* b) {
        if (pre_a != nullptr) {
          *a = pre_a[c];
          *b = pre_b[c];
        } else {
          channel_affine(params[0], params[1], params[2], params[3], epsilon, c, a, b);
        }
      };
      if (reference_) {
        for (int64_t i = 0; i < x.numel(); ++i) {
          const int64_t c = (i / spatial) % channels;
          out[i] = (in[i] - params[2][c]) / std::sqrt(params[3][c] + epsilon) * params[0][c] +
                   params[1][c];
        }
      } else if (spatial == 1) {
        // (N, C): each row is a vector of channels.
        const int64_t grain = std::max<int64_t>(1, 16384 / channels);
        ctx.parallel_for(batch, grain, [&](int64_t begin, int64_t end) {
          for (int64_t n = begin; n < end; ++n) {
            if (pre_a != nullptr) {  // the vectorisable form
              for (int64_t c = 0; c < channels; ++c) {
                out[n * channels + c] = in[n * channels + c] * pre_a[c] + pre_b[c];
              }
              continue;
            }
            for (int64_t c = 0; c < channels; ++c) {
              T a, b;
              affine(c, &a, &b);
              out[n * channels + c] = in[n * channels + c] * a + b;
            }
          }
        });
      } else {
        const int64_t grain = std::max<int64_t>(1, 16384 / spatial);
        ctx.parallel_for(batch * channels, grain, [&](int64_t begin, int64_t end) {
          for (int64_t block = begin; block < end; ++block) {
            T a, b;
            affine(block % channels, &a, &b);
            const T* src = in + block * spatial;
            T* dst = out + block * spatial;
            for (int64_t i = 0; i < spatial; ++i) dst[i] = src[i] * a + b;
          }
        });
      }
      return Status::ok();
    });
  }

 private:
  template <typename T>
  std::vector<T>& affine_a() {
    if constexpr (std::is_same_v<T, float>) return a_f_; else return a_d_;
  }
  template <typename T>
  std::vector<T>& affine_b() {
    if constexpr (std::is_same_v<T, float>) return b_f_; else return b_d_;
  }
  template <typename T>
  const T* affine_data(bool a) const {
    if constexpr (std::is_same_v<T, float>) return (a ? a_f_ : b_f_).data();
    else return (a ? a_d_ : b_d_).data();
  }

  float epsilon_;
  bool reference_;
  bool precomputed_ = false;
  // y = x * a[c] + b[c], when the parameters are constant (filled in prepare, read-only after).
  std::vector<float> a_f_, b_f_;
  std::vector<double> a_d_, b_d_;
};

}  // namespace

Status infer_batch_norm(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (!dtype_in(x->dtype, kFloats)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  const ir::Node& node = ctx.node();
  if (node.opset >= 14 && node.attr_int("training_mode", 0) != 0) {
    return ctx.error(StatusCode::kUnsupported,
                     "training_mode=1 is not supported (inference only: statistics are never "
                     "updated)");
  }
  if (node.opset < 9 && node.attr_int("spatial", 1) == 0) {
    return ctx.error(StatusCode::kUnsupported, "spatial=0 (per-element statistics) is not supported");
  }
  for (int i = 1; i < ctx.num_outputs(); ++i) {
    if (wants_output(node, i)) {
      return ctx.error(StatusCode::kUnsupported,
                       "output {} (training statistics) is not supported (inference only)", i);
    }
  }
  if (x->shape.rank() < 2) {
    return ctx.error(StatusCode::kInvalidArgument, "input must have rank >= 2 (N, C, ...), got {}",
                     x->shape.to_string());
  }
  const int64_t channels = x->shape[1];
  const char* names[] = {"scale", "B", "input_mean", "input_var"};
  for (int i = 1; i <= 4; ++i) {
    RI_RETURN_IF_ERROR(norm::check_channel_param(ctx, i, names[i - 1], x->dtype, channels));
  }
  ctx.set_output(0, x->dtype, x->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_batch_norm(const ir::Node& node) {
  return std::make_unique<BatchNormKernel>(node, false);
}
std::unique_ptr<Kernel> make_batch_norm_reference(const ir::Node& node) {
  return std::make_unique<BatchNormKernel>(node, true);
}

}  // namespace recinfer::kernels
