// Infer functions and kernel factories of the shape/layout family; register.cc wires them into
// the registry. One .cc per op (or pair of closely related ops).
#pragma once

#include <memory>

#include "kernels/kernel.h"

namespace recinfer::kernels {

#define RI_SHAPE_OP(name)                        \
  Status infer_##name(InferContext& ctx);        \
  std::unique_ptr<Kernel> make_##name(const ir::Node& node);

RI_SHAPE_OP(reshape)
RI_SHAPE_OP(flatten)
RI_SHAPE_OP(identity)
RI_SHAPE_OP(squeeze)
RI_SHAPE_OP(unsqueeze)
RI_SHAPE_OP(transpose)
RI_SHAPE_OP(expand)
RI_SHAPE_OP(concat)
RI_SHAPE_OP(slice)
RI_SHAPE_OP(split)
RI_SHAPE_OP(shape)
RI_SHAPE_OP(constant)
RI_SHAPE_OP(constant_of_shape)
RI_SHAPE_OP(range)
RI_SHAPE_OP(tile)
RI_SHAPE_OP(pad)
RI_SHAPE_OP(trilu)
RI_SHAPE_OP(one_hot)
RI_SHAPE_OP(eye_like)
RI_SHAPE_OP(compress)
RI_SHAPE_OP(depth_to_space)
RI_SHAPE_OP(space_to_depth)
RI_SHAPE_OP(reverse_sequence)
RI_SHAPE_OP(resize)  // Resize and Upsample

#undef RI_SHAPE_OP

// Naive per-element Transpose, the reference the tiled fast path is tested against.
std::unique_ptr<Kernel> make_transpose_reference(const ir::Node& node);
// Naive per-element references of the ops with an optimised path.
std::unique_ptr<Kernel> make_tile_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_pad_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_trilu_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_one_hot_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_depth_to_space_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_space_to_depth_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_resize_reference(const ir::Node& node);

}  // namespace recinfer::kernels
