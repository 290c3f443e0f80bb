// Entry points of the norm family (normalisations, losses, global pools), registered in
// register.cc.
#pragma once

#include <memory>

#include "kernels/kernel.h"

namespace recinfer::kernels {

Status infer_layer_norm(InferContext& ctx);
std::unique_ptr<Kernel> make_layer_norm(const ir::Node& node);
std::unique_ptr<Kernel> make_layer_norm_reference(const ir::Node& node);

Status infer_batch_norm(InferContext& ctx);
std::unique_ptr<Kernel> make_batch_norm(const ir::Node& node);
std::unique_ptr<Kernel> make_batch_norm_reference(const ir::Node& node);

Status infer_instance_norm(InferContext& ctx);
std::unique_ptr<Kernel> make_instance_norm(const ir::Node& node);
std::unique_ptr<Kernel> make_instance_norm_reference(const ir::Node& node);

Status infer_mean_variance_norm(InferContext& ctx);
std::unique_ptr<Kernel> make_mean_variance_norm(const ir::Node& node);
std::unique_ptr<Kernel> make_mean_variance_norm_reference(const ir::Node& node);

Status infer_lp_norm(InferContext& ctx);
std::unique_ptr<Kernel> make_lp_norm(const ir::Node& node);
std::unique_ptr<Kernel> make_lp_norm_reference(const ir::Node& node);

Status infer_lrn(InferContext& ctx);
std::unique_ptr<Kernel> make_lrn(const ir::Node& node);

// GlobalAveragePool, GlobalMaxPool, GlobalLpPool.
Status infer_global_pool(InferContext& ctx);
std::unique_ptr<Kernel> make_global_pool(const ir::Node& node);

// NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss.
Status infer_loss(InferContext& ctx);
std::unique_ptr<Kernel> make_nll_loss(const ir::Node& node);
std::unique_ptr<Kernel> make_softmax_cross_entropy_loss(const ir::Node& node);

}  // namespace recinfer::kernels
