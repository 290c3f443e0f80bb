// Replaces an If whose condition is a constant (after constant folding) by the chosen branch's
// nodes, inlined into the enclosing graph: branch values get fresh unique names, captured values
// become the outer values they captured, branch initializers become outer constants, and the If's
// outputs are produced by the branch nodes directly (an Identity when the branch output is a
// capture, a constant or repeated). Nested Ifs that become constant are folded in the same run.
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_if_folding();

}  // namespace recinfer::passes
