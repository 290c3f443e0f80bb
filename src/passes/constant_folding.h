// Evaluates nodes whose inputs are all constants (Constant nodes included) at optimisation time
// and turns their outputs into constants, within a size budget so weights are not duplicated.
#pragma once

#include <cstdint>
#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_constant_folding(int64_t max_output_elements);

}  // namespace recinfer::passes
