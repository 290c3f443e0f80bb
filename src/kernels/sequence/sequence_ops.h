// Entry points of the sequence family, registered in register.cc.
#pragma once

#include <memory>

#include "kernels/kernel.h"

namespace recinfer::kernels {

Status infer_top_k(InferContext& ctx);
std::unique_ptr<Kernel> make_top_k(const ir::Node& node);
std::unique_ptr<Kernel> make_top_k_reference(const ir::Node& node);

// Data-dependent output shapes: infer marks outputs dynamic, compute allocates them.
Status infer_unique(InferContext& ctx);
std::unique_ptr<Kernel> make_unique_kernel(const ir::Node& node);

Status infer_non_zero(InferContext& ctx);
std::unique_ptr<Kernel> make_non_zero(const ir::Node& node);

}  // namespace recinfer::kernels
