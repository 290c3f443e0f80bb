// Entry points of the rec family: kernels of the ai.recinfer fused ops
// (docs/ai_recinfer_ops.md), used by register.cc.
#pragma once

#include <memory>

#include "ir/graph.h"
#include "kernels/kernel.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

Status infer_embedding_bag(InferContext& ctx);
std::unique_ptr<Kernel> make_embedding_bag(const ir::Node& node);
std::unique_ptr<Kernel> make_embedding_bag_reference(const ir::Node& node);

Status infer_masked_gather(InferContext& ctx);
std::unique_ptr<Kernel> make_masked_gather(const ir::Node& node);
std::unique_ptr<Kernel> make_masked_gather_reference(const ir::Node& node);

Status infer_compare_count(InferContext& ctx);
std::unique_ptr<Kernel> make_compare_count(const ir::Node& node);
std::unique_ptr<Kernel> make_compare_count_reference(const ir::Node& node);

Status infer_masked_reduce(InferContext& ctx);
std::unique_ptr<Kernel> make_masked_reduce(const ir::Node& node);
std::unique_ptr<Kernel> make_masked_reduce_reference(const ir::Node& node);

Status infer_count_distinct(InferContext& ctx);
std::unique_ptr<Kernel> make_count_distinct(const ir::Node& node);
std::unique_ptr<Kernel> make_count_distinct_reference(const ir::Node& node);

Status infer_packed_lookup(InferContext& ctx);
std::unique_ptr<Kernel> make_packed_lookup(const ir::Node& node);
std::unique_ptr<Kernel> make_packed_lookup_reference(const ir::Node& node);
// One row of each table (inputs 1..) per batch row of the packed input.
OpWork packed_lookup_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out);

}  // namespace recinfer::kernels
