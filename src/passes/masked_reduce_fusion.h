// NonZero(mask) -> Transpose -> GatherND(x, .) -> ReduceSum/Mean/Max(axis 0): a pooling over the
// rows a mask selects, written with data-dependent shapes -> ai.recinfer MaskedReduce (static).
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_masked_reduce_fusion();

}  // namespace recinfer::passes
