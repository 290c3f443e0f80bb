// DLRM's dot interaction as torch exports it: Z = MatMul(T, Transpose(T, [0, 2, 1])), then the
// strict lower triangle Z[:, li, lj] via Transpose(Z, [1, 2, 0]) -> Flatten(axis 2) ->
// Gather(li * F + lj) -> Reshape -> Transpose -> Reshape  ==>  ai.recinfer DotInteraction(T, li, lj),
// which computes only the K needed dot products.
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_dot_interaction_fusion();

}  // namespace recinfer::passes
