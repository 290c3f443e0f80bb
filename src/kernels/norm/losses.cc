// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss (inference: the loss value as an
// output). Input (N, C) or (N, C, d1, ..., dk), target (N) or (N, d1, ..., dk) of class ids
// (int32/int64), optional per-class weight (C). Per position: loss = -w[t] * logp[n, t, d], with
// logp the input itself (NLL) or its log-softmax over C (SCE, computed max-shifted per position,
// optionally written out as log_prob). A target equal to ignore_index contributes neither loss
// nor weight; reduction "none" keeps the per-position losses, "sum" adds them, "mean" divides by
// the total weight of the counted positions. Positions are summed in order (in double), so the
// result does not depend on threads; a target outside [0, C) is a data error from compute.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "kernels/dispatch.h"
#include "kernels/norm/norm_common.h"
#include "kernels/norm/norm_ops.h"

namespace recinfer::kernels {
namespace {

enum class Reduction { kNone, kSum, kMean };

struct LossConfig {
  Reduction reduction = Reduction::kMean;
  bool has_ignore = false;
  int64_t ignore_index = 0;
  bool softmax = false;  // SoftmaxCrossEntropyLoss
};

Status loss_config(const ir::Node& node, LossConfig* config) {
  const std::string reduction = node.attr_string("reduction", "mean");
  if (reduction == "none") {
    config->reduction = Reduction::kNone;
  } else if (reduction == "sum") {
    config->reduction = Reduction::kSum;
  } else if (reduction == "mean") {
    config->reduction = Reduction::kMean;
  } else {
    return invalid_argument("reduction must be none, sum or mean, got '{}'", reduction);
  }
  config->has_ignore = node.has_attr("ignore_index");
  config->ignore_index = node.attr_int("ignore_index", 0);
  config->softmax = node.op == ir::OpType::kSoftmaxCrossEntropyLoss;
  return Status::ok();
}

class LossKernel final : public Kernel {
 public:
  explicit LossKernel(const LossConfig& config) : config_(config) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& target = *ctx.input(1);
    const Tensor* weight = ctx.input(2);
    if (weight != nullptr && !weight->defined()) weight = nullptr;
    const int64_t batch = x.shape()[0];
    const int64_t classes = x.shape()[1];
    const int64_t positions = x.shape().product(2, x.rank());
    return dispatch<kFloats>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if (target.dtype() == DType::kInt64) {
        return run<T, int64_t>(ctx, x.data<T>(), target.data<int64_t>(),
                               weight ? weight->data<T>() : nullptr, batch, classes, positions);
      }
      return run<T, int32_t>(ctx, x.data<T>(), target.data<int32_t>(),
                             weight ? weight->data<T>() : nullptr, batch, classes, positions);
    });
  }

 private:
  template <typename T, typename I>
  Status run(KernelContext& ctx, const T* x, const I* target, const T* weight, int64_t batch,
             int64_t classes, int64_t positions) const {
    T* loss_out = ctx.output(0).data<T>();
    T* log_prob = config_.softmax && ctx.has_output(1) ? ctx.output(1).data<T>() : nullptr;
    double total = 0, total_weight = 0;
    for (int64_t n = 0; n < batch; ++n) {
      const T* sample = x + n * classes * positions;
      for (int64_t d = 0; d < positions; ++d) {
        const int64_t t = static_cast<int64_t>(target[n * positions + d]);
        // logp(c) at this position, for SCE from the max-shifted log-sum-exp over classes.
        T shift = 0;
        if (config_.softmax) {
          T max_value = -std::numeric_limits<T>::infinity();
          for (int64_t c = 0; c < classes; ++c) max_value = std::max(max_value, sample[c * positions + d]);
          T sum = 0;
          for (int64_t c = 0; c < classes; ++c) sum += std::exp(sample[c * positions + d] - max_value);
          shift = max_value + std::log(sum);
          if (log_prob != nullptr) {
            T* dst = log_prob + n * classes * positions;
            for (int64_t c = 0; c < classes; ++c) dst[c * positions + d] = sample[c * positions + d] - shift;
          }
        }
        T loss = 0;
        if (!(config_.has_ignore && t == config_.ignore_index)) {
          if (t < 0 || t >= classes) {
            return ctx.error(StatusCode::kInvalidArgument,
                             "target {} at position {} is outside [0, {}) (ignore_index {})", t,
                             n * positions + d, classes,
                             config_.has_ignore ? std::to_string(config_.ignore_index) : "unset");
          }
          const T w = weight != nullptr ? weight[t] : T(1);
          loss = -(sample[t * positions + d] - shift) * w;
          total_weight += static_cast<double>(w);
        }
        if (config_.reduction == Reduction::kNone) {
          loss_out[n * positions + d] = loss;
        } else {
          total += static_cast<double>(loss);
        }
      }
    }
    if (config_.reduction == Reduction::kSum) loss_out[0] = static_cast<T>(total);
    if (config_.reduction == Reduction::kMean) loss_out[0] = static_cast<T>(total / total_weight);
    return Status::ok();
  }

  LossConfig config_;
};

}  // namespace

Status infer_loss(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* target, ctx.required_input(1));
  if (!dtype_in(x->dtype, kFloats)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  if (target->dtype != DType::kInt64 && target->dtype != DType::kInt32) {
    return ctx.error(StatusCode::kInvalidArgument, "target must be int32 or int64, got {}",
                     dtype_name(target->dtype));
  }
  LossConfig config;
  Status status = loss_config(ctx.node(), &config);
  if (!status.is_ok()) return status.with_context(ctx.node().describe());
  const Shape& shape = x->shape;
  if (shape.rank() < 2) {
    return ctx.error(StatusCode::kInvalidArgument, "input must have rank >= 2 (N, C, ...), got {}",
                     shape.to_string());
  }
  Shape expected;
  for (int d = 0; d < shape.rank(); ++d) {
    if (d != 1) expected.push_back(shape[d]);
  }
  if (target->shape != expected) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "target shape {} does not match input shape {} without its class dim ({})",
                     target->shape.to_string(), shape.to_string(), expected.to_string());
  }
  if (ctx.input(2) != nullptr) {
    RI_RETURN_IF_ERROR(norm::check_channel_param(ctx, 2, "weight", x->dtype, shape[1]));
  }
  ctx.set_output(0, x->dtype, config.reduction == Reduction::kNone ? expected : Shape{});
  if (config.softmax && ctx.num_outputs() > 1) ctx.set_output(1, x->dtype, shape);
  return Status::ok();
}

namespace {

std::unique_ptr<Kernel> make_loss(const ir::Node& node) {
  LossConfig config;
  (void)loss_config(node, &config);  // infer refused a bad reduction already
  return std::make_unique<LossKernel>(config);
}

}  // namespace

std::unique_ptr<Kernel> make_nll_loss(const ir::Node& node) { return make_loss(node); }
std::unique_ptr<Kernel> make_softmax_cross_entropy_loss(const ir::Node& node) {
  return make_loss(node);
}

}  // namespace recinfer::kernels
