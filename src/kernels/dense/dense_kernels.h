// Entry points of the dense family (Gemm, MatMul), used by register.cc.
#pragma once

#include <memory>

#include "ir/graph.h"
#include "kernels/kernel.h"

namespace recinfer::kernels {

Status infer_gemm(InferContext& ctx);
std::unique_ptr<Kernel> make_gemm(const ir::Node& node);
std::unique_ptr<Kernel> make_gemm_reference(const ir::Node& node);

// ai.recinfer FusedGemm: Gemm, then an activation (attribute `activation`) on Y.
Status infer_fused_gemm(InferContext& ctx);

// ai.recinfer DotInteraction: out[b, k] = dot(x[b, i_k, :], x[b, j_k, :]).
Status infer_dot_interaction(InferContext& ctx);
std::unique_ptr<Kernel> make_dot_interaction(const ir::Node& node);
std::unique_ptr<Kernel> make_dot_interaction_reference(const ir::Node& node);

Status infer_matmul(InferContext& ctx);
std::unique_ptr<Kernel> make_matmul(const ir::Node& node);
std::unique_ptr<Kernel> make_matmul_reference(const ir::Node& node);

}  // namespace recinfer::kernels
