// Work functions of the op schema (registry.h): FLOPs and gathered rows of one execution from
// its shapes, for the roofline. FLOPs are those of the op as written.
#pragma once

#include "kernels/registry.h"

namespace recinfer::kernels {

OpWork gemm_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out);
OpWork matmul_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out);
OpWork dot_interaction_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out);
// Gather / MaskedGather: one row of input 0 per element of input 1.
OpWork gather_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out);
// EmbeddingBag: per table group of 5 inputs, one row per id.
OpWork embedding_bag_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out);

}  // namespace recinfer::kernels
