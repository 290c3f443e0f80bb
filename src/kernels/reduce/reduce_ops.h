// Entry points of the reduce family, registered in register.cc.
#pragma once

#include <memory>

#include "kernels/kernel.h"

namespace recinfer::kernels {

// The Reduce* ops (one infer: they differ only in the combining function).
Status infer_reduce(InferContext& ctx);
std::unique_ptr<Kernel> make_reduce_sum(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_sum_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_mean(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_mean_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_max(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_max_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_min(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_min_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_prod(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_prod_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_l1(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_l1_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_l2(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_l2_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_log_sum(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_log_sum_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_log_sum_exp(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_log_sum_exp_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_sum_square(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_sum_square_reference(const ir::Node& node);

// ArgMax / ArgMin (one infer).
Status infer_arg_max(InferContext& ctx);
std::unique_ptr<Kernel> make_arg_max(const ir::Node& node);
std::unique_ptr<Kernel> make_arg_min(const ir::Node& node);

Status infer_cum_sum(InferContext& ctx);
std::unique_ptr<Kernel> make_cum_sum(const ir::Node& node);

Status infer_softmax(InferContext& ctx);
std::unique_ptr<Kernel> make_softmax(const ir::Node& node);
std::unique_ptr<Kernel> make_softmax_reference(const ir::Node& node);
// LogSoftmax and Hardmax share Softmax's infer (same axis semantics, same-shape float output).
std::unique_ptr<Kernel> make_log_softmax(const ir::Node& node);
std::unique_ptr<Kernel> make_log_softmax_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_hardmax(const ir::Node& node);

}  // namespace recinfer::kernels
