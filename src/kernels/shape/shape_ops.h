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

#undef RI_SHAPE_OP

// Naive per-element Transpose, the reference the tiled fast path is tested against.
std::unique_ptr<Kernel> make_transpose_reference(const ir::Node& node);

}  // namespace recinfer::kernels
