// Mul(Gather(table, Where(ids >= 0, ids, 0)), Unsqueeze(Cast(ids >= 0), -1)) and the Where(mask, gathered, 0)
// form -> ai.recinfer MaskedGather (negative id -> zero row, no temporaries).
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_masked_gather_fusion();

}  // namespace recinfer::passes
