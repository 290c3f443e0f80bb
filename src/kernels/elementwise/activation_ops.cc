// The unary activations with float attributes (activation_functors.h) and ai.recinfer Gelu, over
// UnaryKernel. Each factory reads the node's attributes with the ONNX defaults once; the
// attribute values themselves cannot be invalid except Celu's alpha (a divisor) and Gelu's
// `approximate`, which infer checks.
#include <string>

#include "kernels/elementwise/elementwise_ops.h"
#include "kernels/elementwise/unary_kernel.h"

namespace recinfer::kernels {

namespace {

UnaryAttrs leaky_relu_attrs(const ir::Node& node) {
  return {.alpha = node.attr_float("alpha", 0.01f)};
}
UnaryAttrs elu_attrs(const ir::Node& node) { return {.alpha = node.attr_float("alpha", 1.0f)}; }
UnaryAttrs selu_attrs(const ir::Node& node) {
  return {.alpha = node.attr_float("alpha", 1.67326319217681884765625f),
          .gamma = node.attr_float("gamma", 1.05070102214813232421875f)};
}
UnaryAttrs celu_attrs(const ir::Node& node) { return {.alpha = node.attr_float("alpha", 1.0f)}; }
UnaryAttrs hard_sigmoid_attrs(const ir::Node& node) {
  return {.alpha = node.attr_float("alpha", 0.2f), .beta = node.attr_float("beta", 0.5f)};
}
UnaryAttrs thresholded_relu_attrs(const ir::Node& node) {
  return {.alpha = node.attr_float("alpha", 1.0f)};
}
UnaryAttrs shrink_attrs(const ir::Node& node) {
  return {.lambd = node.attr_float("lambd", 0.5f), .bias = node.attr_float("bias", 0.0f)};
}

}  // namespace

#define RI_ATTR_UNARY_OP(name, Fn, kTypes)                                \
  std::unique_ptr<Kernel> make_##name(const ir::Node& node) {             \
    return make_unary<Fn, kTypes>(name##_attrs(node));                    \
  }                                                                       \
  std::unique_ptr<Kernel> make_##name##_reference(const ir::Node& node) { \
    return make_unary_reference<Fn, kTypes>(name##_attrs(node));          \
  }

RI_ATTR_UNARY_OP(leaky_relu, LeakyReluFn, kFloats)
RI_ATTR_UNARY_OP(elu, EluFn, kFloats)
RI_ATTR_UNARY_OP(selu, SeluFn, kFloats)
RI_ATTR_UNARY_OP(celu, CeluFn, kFloats)
RI_ATTR_UNARY_OP(hard_sigmoid, HardSigmoidFn, kFloats)
RI_ATTR_UNARY_OP(thresholded_relu, ThresholdedReluFn, kFloats)
RI_ATTR_UNARY_OP(shrink, ShrinkFn, kFloats)

#undef RI_ATTR_UNARY_OP

Status infer_leaky_relu(InferContext& ctx) { return infer_unary(ctx, kFloats); }
Status infer_elu(InferContext& ctx) { return infer_unary(ctx, kFloats); }
Status infer_selu(InferContext& ctx) { return infer_unary(ctx, kFloats); }
Status infer_hard_sigmoid(InferContext& ctx) { return infer_unary(ctx, kFloats); }
Status infer_thresholded_relu(InferContext& ctx) { return infer_unary(ctx, kFloats); }
// Shrink also allows integer types; recinfer computes it on floats only.
Status infer_shrink(InferContext& ctx) { return infer_unary(ctx, kFloats); }

Status infer_celu(InferContext& ctx) {
  const float alpha = ctx.node().attr_float("alpha", 1.0f);
  if (alpha == 0.0f) {
    return ctx.error(StatusCode::kInvalidArgument, "attribute alpha must not be 0 (it divides x)");
  }
  return infer_unary(ctx, kFloats);
}

// ai.recinfer Gelu (docs/ai_recinfer_ops.md): approximate = "none" (erf) or "tanh".
Status infer_gelu(InferContext& ctx) {
  const std::string approximate = ctx.node().attr_string("approximate", "none");
  if (approximate != "none" && approximate != "tanh") {
    return ctx.error(StatusCode::kInvalidArgument,
                     "attribute approximate='{}' must be \"none\" or \"tanh\"", approximate);
  }
  return infer_unary(ctx, kFloats);
}

std::unique_ptr<Kernel> make_gelu(const ir::Node& node) {
  if (node.attr_string("approximate", "none") == "tanh") return make_unary<GeluTanhFn, kFloats>();
  return make_unary<GeluFn, kFloats>();
}
std::unique_ptr<Kernel> make_gelu_reference(const ir::Node& node) {
  if (node.attr_string("approximate", "none") == "tanh") {
    return make_unary_reference<GeluTanhFn, kFloats>();
  }
  return make_unary_reference<GeluFn, kFloats>();
}

}  // namespace recinfer::kernels
