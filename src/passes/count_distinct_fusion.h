// Unique(x) -> comparison(., bound) -> Cast -> ReduceSum: counting distinct values, written with a
// data-dependent Unique -> ai.recinfer CountDistinct (static).
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_count_distinct_fusion();

}  // namespace recinfer::passes
