#include "kernels/norm/norm_ops.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

void register_norm_kernels(KernelRegistry& registry) {
  using ir::OpType;
  registry.add(OpType::kLayerNormalization,
               {&infer_layer_norm, &make_layer_norm, &make_layer_norm_reference});
  registry.add(OpType::kBatchNormalization,
               {&infer_batch_norm, &make_batch_norm, &make_batch_norm_reference});
  registry.add(OpType::kInstanceNormalization,
               {&infer_instance_norm, &make_instance_norm, &make_instance_norm_reference});
  registry.add(OpType::kMeanVarianceNormalization,
               {&infer_mean_variance_norm, &make_mean_variance_norm,
                &make_mean_variance_norm_reference});
  registry.add(OpType::kLpNormalization,
               {&infer_lp_norm, &make_lp_norm, &make_lp_norm_reference});
  registry.add(OpType::kLRN, {&infer_lrn, &make_lrn, nullptr});
  registry.add(OpType::kGlobalAveragePool, {&infer_global_pool, &make_global_pool, nullptr});
  registry.add(OpType::kGlobalMaxPool, {&infer_global_pool, &make_global_pool, nullptr});
  registry.add(OpType::kGlobalLpPool, {&infer_global_pool, &make_global_pool, nullptr});
  registry.add(OpType::kNegativeLogLikelihoodLoss, {&infer_loss, &make_nll_loss, nullptr});
  registry.add(OpType::kSoftmaxCrossEntropyLoss,
               {&infer_loss, &make_softmax_cross_entropy_loss, nullptr});
}

}  // namespace recinfer::kernels
