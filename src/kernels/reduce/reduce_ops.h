// Entry points of the reduce family, registered in register.cc.
#pragma once

#include <memory>

#include "kernels/kernel.h"

namespace recinfer::kernels {

// ReduceSum, ReduceMean, ReduceMax (one infer: they differ only in the combining function).
Status infer_reduce(InferContext& ctx);
std::unique_ptr<Kernel> make_reduce_sum(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_sum_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_mean(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_mean_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_max(const ir::Node& node);
std::unique_ptr<Kernel> make_reduce_max_reference(const ir::Node& node);

Status infer_arg_max(InferContext& ctx);
std::unique_ptr<Kernel> make_arg_max(const ir::Node& node);

Status infer_cum_sum(InferContext& ctx);
std::unique_ptr<Kernel> make_cum_sum(const ir::Node& node);

Status infer_softmax(InferContext& ctx);
std::unique_ptr<Kernel> make_softmax(const ir::Node& node);
std::unique_ptr<Kernel> make_softmax_reference(const ir::Node& node);

}  // namespace recinfer::kernels
