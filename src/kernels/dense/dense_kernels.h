// Entry points of the dense family (Gemm, MatMul), used by register.cc.
#pragma once

#include <memory>

#include "ir/graph.h"
#include "kernels/kernel.h"

namespace recinfer::kernels {

Status infer_gemm(InferContext& ctx);
std::unique_ptr<Kernel> make_gemm(const ir::Node& node);
std::unique_ptr<Kernel> make_gemm_reference(const ir::Node& node);

Status infer_matmul(InferContext& ctx);
std::unique_ptr<Kernel> make_matmul(const ir::Node& node);
std::unique_ptr<Kernel> make_matmul_reference(const ir::Node& node);

}  // namespace recinfer::kernels
