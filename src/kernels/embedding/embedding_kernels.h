// Entry points of the embedding family (Gather, GatherElements), used by register.cc.
#pragma once

#include <memory>

#include "ir/graph.h"
#include "kernels/kernel.h"

namespace recinfer::kernels {

Status infer_gather(InferContext& ctx);
std::unique_ptr<Kernel> make_gather(const ir::Node& node);
std::unique_ptr<Kernel> make_gather_reference(const ir::Node& node);

Status infer_gather_elements(InferContext& ctx);
std::unique_ptr<Kernel> make_gather_elements(const ir::Node& node);
std::unique_ptr<Kernel> make_gather_elements_reference(const ir::Node& node);

// GatherND is a plain loop of slice copies: the kernel is its own reference.
Status infer_gather_nd(InferContext& ctx);
std::unique_ptr<Kernel> make_gather_nd(const ir::Node& node);

// ScatterElements also serves Scatter (opset 9-10): same semantics, no reduction attribute.
Status infer_scatter_elements(InferContext& ctx);
std::unique_ptr<Kernel> make_scatter_elements(const ir::Node& node);
std::unique_ptr<Kernel> make_scatter_elements_reference(const ir::Node& node);

// ScatterND is a plain loop of slice updates: the kernel is its own reference.
Status infer_scatter_nd(InferContext& ctx);
std::unique_ptr<Kernel> make_scatter_nd(const ir::Node& node);

}  // namespace recinfer::kernels
