// Equal/Greater/Less...(a, b) -> Cast -> ReduceSum(last axis): counting matches through an
// (N, M) broadcast -> ai.recinfer CompareCount (sort + binary search for int64 ids).
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_compare_count_fusion();

}  // namespace recinfer::passes
