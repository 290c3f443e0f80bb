// Dropout (inference) and Size: ops whose output does not depend on the input values.
// Dropout at inference is the identity with an all-true mask; training mode is reported
// unsupported unless its ratio is 0 (a random mask otherwise). It is not registered as a view
// op: a view of a graph input would skip the kernel, and with it the run-time check of
// training_mode. Size writes the element count of its input as an int64 scalar.
#include <algorithm>
#include <cstring>

#include "kernels/elementwise/broadcast.h"
#include "kernels/elementwise/elementwise_common.h"
#include "kernels/elementwise/elementwise_ops.h"

namespace recinfer::kernels {

namespace {

// Input 2 of Dropout-12+; a missing input means inference.
constexpr int kTrainingModeInput = 2;

Status training_mode_unsupported(const ir::Node& node) {
  return Status(StatusCode::kUnsupported,
                node.describe() + ": training_mode=true with a ratio above 0 (random dropout)"
                                  " is not supported");
}

// Training mode drops nothing when the ratio is 0 (the output is then the input, the mask all
// true): the one deterministic training-mode case. The ratio (float or double, infer checked)
// defaults to 0.5.
bool drops_values(const Tensor* ratio) {
  if (ratio == nullptr) return true;
  if (ratio->dtype() == DType::kFloat64) return ratio->data<double>()[0] != 0.0;
  return ratio->data<float>()[0] != 0.0f;
}

class DropoutKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    // Infer checked a constant training_mode; a runtime one is checked here.
    if (const Tensor* training = ctx.input(kTrainingModeInput)) {
      if (training->data<uint8_t>()[0] != 0 && drops_values(ctx.input(1))) {
        return training_mode_unsupported(ctx.node());
      }
    }
    const Tensor& in = *ctx.input(0);
    Tensor& out = ctx.output(0);
    if (in.bytes() > 0 && out.raw() != in.raw()) std::memcpy(out.raw(), in.raw(), in.bytes());
    if (ctx.has_output(1)) {
      Tensor& mask = ctx.output(1);
      if (mask.dtype() == DType::kBool) {
        std::memset(mask.raw(), 1, mask.bytes());
      } else {  // Dropout-7..9: the mask has the data's float type
        RI_RETURN_IF_ERROR(dispatch<kFloats>(mask.dtype(), [&](auto tag) {
          using T = decltype(tag);
          std::fill_n(mask.data<T>(), mask.numel(), T{1});
          return Status::ok();
        }));
      }
    }
    return Status::ok();
  }
};

class SizeKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    ctx.output(0).data<int64_t>()[0] = ctx.input(0)->numel();
    return Status::ok();
  }
};

}  // namespace

Status infer_dropout(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_dtype(ctx, data->dtype, kFloats, "input data"));
  if (ctx.opset() >= 12) {
    if (ctx.num_inputs() > 3) {
      return ctx.error(StatusCode::kInvalidArgument, "expects 1 to 3 inputs, got {}",
                       ctx.num_inputs());
    }
    const TensorInfo* ratio = ctx.input(1);
    if (ratio != nullptr) {
      RI_RETURN_IF_ERROR(check_dtype(ctx, ratio->dtype, kFloats, "ratio"));
      if (ratio->shape.numel() != 1) {
        return ctx.error(StatusCode::kInvalidArgument, "ratio must be a scalar, got shape {}",
                         ratio->shape.to_string());
      }
    }
    if (const TensorInfo* training = ctx.input(kTrainingModeInput)) {
      if (training->dtype != DType::kBool || training->shape.numel() != 1) {
        return ctx.error(StatusCode::kInvalidArgument,
                         "training_mode must be a bool scalar, got {} of shape {}",
                         dtype_name(training->dtype), training->shape.to_string());
      }
      // Known here only when constant; compute checks the run-time values.
      const bool ratio_unknown = ratio != nullptr && ratio->value == nullptr;
      if (training->value != nullptr && training->value->data<uint8_t>()[0] != 0 &&
          !ratio_unknown && drops_values(ratio != nullptr ? ratio->value : nullptr)) {
        return training_mode_unsupported(ctx.node());
      }
    }
  } else if (ctx.num_inputs() != 1) {
    return ctx.error(StatusCode::kInvalidArgument, "before opset 12 Dropout takes 1 input, got {}",
                     ctx.num_inputs());
  }
  ctx.set_output(0, data->dtype, data->shape);
  if (ctx.num_outputs() > 1) {
    ctx.set_output(1, ctx.opset() >= 10 ? DType::kBool : data->dtype, data->shape);
  }
  return Status::ok();
}

std::unique_ptr<Kernel> make_dropout(const ir::Node& /*node*/) {
  return std::make_unique<DropoutKernel>();
}

Status infer_size(InferContext& ctx) {
  if (ctx.num_inputs() != 1) {
    return ctx.error(StatusCode::kInvalidArgument, "expects 1 input, got {}", ctx.num_inputs());
  }
  RI_RETURN_IF_ERROR(ctx.required_input(0).status());
  ctx.set_output(0, DType::kInt64, Shape{});
  return Status::ok();
}

std::unique_ptr<Kernel> make_size(const ir::Node& /*node*/) {
  return std::make_unique<SizeKernel>();
}

}  // namespace recinfer::kernels
