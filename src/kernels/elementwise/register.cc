#include "kernels/elementwise/elementwise_ops.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

void register_elementwise_kernels(KernelRegistry& registry) {
  using ir::OpType;
  registry.add(OpType::kAbs, {&infer_abs, &make_abs, &make_abs_reference});
  registry.add(OpType::kNeg, {&infer_neg, &make_neg, &make_neg_reference});
  registry.add(OpType::kExp, {&infer_exp, &make_exp, &make_exp_reference});
  registry.add(OpType::kLog, {&infer_log, &make_log, &make_log_reference});
  registry.add(OpType::kSqrt, {&infer_sqrt, &make_sqrt, &make_sqrt_reference});
  registry.add(OpType::kRelu, {&infer_relu, &make_relu, &make_relu_reference});
  registry.add(OpType::kSigmoid, {&infer_sigmoid, &make_sigmoid, &make_sigmoid_reference});
  registry.add(OpType::kTanh, {&infer_tanh, &make_tanh, &make_tanh_reference});
  registry.add(OpType::kAdd, {&infer_add, &make_add, &make_add_reference});
  registry.add(OpType::kSub, {&infer_sub, &make_sub, &make_sub_reference});
  registry.add(OpType::kMul, {&infer_mul, &make_mul, &make_mul_reference});
  registry.add(OpType::kDiv, {&infer_div, &make_div, &make_div_reference});
  registry.add(OpType::kMod, {&infer_mod, &make_mod, &make_mod_reference});
  registry.add(OpType::kPow, {&infer_pow, &make_pow, &make_pow_reference});
  registry.add(OpType::kMin, {&infer_min, &make_min, &make_min_reference});
  registry.add(OpType::kMax, {&infer_max, &make_max, &make_max_reference});
  registry.add(OpType::kSum, {&infer_sum, &make_sum, &make_sum_reference});
  registry.add(OpType::kClip, {&infer_clip, &make_clip, &make_clip_reference});
  registry.add(OpType::kCast, {&infer_cast, &make_cast, &make_cast_reference});
}

}  // namespace recinfer::kernels
