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
  registry.add(OpType::kErf, {&infer_erf, &make_erf, &make_erf_reference});
  registry.add(OpType::kReciprocal,
               {&infer_reciprocal, &make_reciprocal, &make_reciprocal_reference});
  registry.add(OpType::kCeil, {&infer_ceil, &make_ceil, &make_ceil_reference});
  registry.add(OpType::kFloor, {&infer_floor, &make_floor, &make_floor_reference});
  registry.add(OpType::kRound, {&infer_round, &make_round, &make_round_reference});
  registry.add(OpType::kSign, {&infer_sign, &make_sign, &make_sign_reference});
  registry.add(OpType::kSin, {&infer_sin, &make_sin, &make_sin_reference});
  registry.add(OpType::kCos, {&infer_cos, &make_cos, &make_cos_reference});
  registry.add(OpType::kTan, {&infer_tan, &make_tan, &make_tan_reference});
  registry.add(OpType::kAsin, {&infer_asin, &make_asin, &make_asin_reference});
  registry.add(OpType::kAcos, {&infer_acos, &make_acos, &make_acos_reference});
  registry.add(OpType::kAtan, {&infer_atan, &make_atan, &make_atan_reference});
  registry.add(OpType::kSinh, {&infer_sinh, &make_sinh, &make_sinh_reference});
  registry.add(OpType::kCosh, {&infer_cosh, &make_cosh, &make_cosh_reference});
  registry.add(OpType::kAsinh, {&infer_asinh, &make_asinh, &make_asinh_reference});
  registry.add(OpType::kAcosh, {&infer_acosh, &make_acosh, &make_acosh_reference});
  registry.add(OpType::kAtanh, {&infer_atanh, &make_atanh, &make_atanh_reference});
  registry.add(OpType::kSoftplus, {&infer_softplus, &make_softplus, &make_softplus_reference});
  registry.add(OpType::kSoftsign, {&infer_softsign, &make_softsign, &make_softsign_reference});
  registry.add(OpType::kHardSwish,
               {&infer_hard_swish, &make_hard_swish, &make_hard_swish_reference});
  registry.add(OpType::kLeakyRelu,
               {&infer_leaky_relu, &make_leaky_relu, &make_leaky_relu_reference});
  registry.add(OpType::kElu, {&infer_elu, &make_elu, &make_elu_reference});
  registry.add(OpType::kSelu, {&infer_selu, &make_selu, &make_selu_reference});
  registry.add(OpType::kCelu, {&infer_celu, &make_celu, &make_celu_reference});
  registry.add(OpType::kHardSigmoid,
               {&infer_hard_sigmoid, &make_hard_sigmoid, &make_hard_sigmoid_reference});
  registry.add(OpType::kThresholdedRelu,
               {&infer_thresholded_relu, &make_thresholded_relu, &make_thresholded_relu_reference});
  registry.add(OpType::kShrink, {&infer_shrink, &make_shrink, &make_shrink_reference});
  registry.add(OpType::kFusedGelu, {&infer_gelu, &make_gelu, &make_gelu_reference});
  registry.add(OpType::kPRelu, {&infer_prelu, &make_prelu, &make_prelu_reference});
  registry.add(OpType::kBitShift, {&infer_bit_shift, &make_bit_shift, &make_bit_shift_reference});
  registry.add(OpType::kMean, {&infer_mean, &make_mean, &make_mean_reference});
  registry.add(OpType::kCastLike, {&infer_cast_like, &make_cast, &make_cast_reference});
  registry.add(OpType::kIsNaN, {&infer_is_nan, &make_is_nan, nullptr});
  registry.add(OpType::kIsInf, {&infer_is_inf, &make_is_inf, nullptr});
  // Not a view: the kernel must run to see a training_mode input that is only known at run time.
  registry.add(OpType::kDropout, {&infer_dropout, &make_dropout, nullptr});
  registry.add(OpType::kSize, {&infer_size, &make_size, nullptr});
}

}  // namespace recinfer::kernels
