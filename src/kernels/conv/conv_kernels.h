// Entry points of the conv family (Einsum, Conv, ConvTranspose, pools), used by register.cc.
#pragma once

#include <memory>
#include <span>

#include "ir/graph.h"
#include "kernels/conv/einsum_equation.h"
#include "kernels/kernel.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

Status infer_einsum(InferContext& ctx);
std::unique_ptr<Kernel> make_einsum(const ir::Node& node);
std::unique_ptr<Kernel> make_einsum_reference(const ir::Node& node);
OpWork einsum_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out);

Status infer_conv(InferContext& ctx);
std::unique_ptr<Kernel> make_conv(const ir::Node& node);
std::unique_ptr<Kernel> make_conv_reference(const ir::Node& node);
OpWork conv_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out);

Status infer_conv_transpose(InferContext& ctx);
std::unique_ptr<Kernel> make_conv_transpose(const ir::Node& node);
std::unique_ptr<Kernel> make_conv_transpose_reference(const ir::Node& node);
OpWork conv_transpose_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out);

// Pools are naive direct loops: no separate reference.
Status infer_max_pool(InferContext& ctx);
Status infer_average_pool(InferContext& ctx);
Status infer_lp_pool(InferContext& ctx);
std::unique_ptr<Kernel> make_max_pool(const ir::Node& node);
std::unique_ptr<Kernel> make_average_pool(const ir::Node& node);
std::unique_ptr<Kernel> make_lp_pool(const ir::Node& node);

namespace conv {
// bind_einsum over the kernel's input shapes, errors prefixed with the node.
Result<EinsumDims> bind_inputs(const EinsumEquation& equation, const KernelContext& ctx);
}  // namespace conv

}  // namespace recinfer::kernels
