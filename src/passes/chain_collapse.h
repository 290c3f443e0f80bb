// Collapses chains exporters leave behind: Reshape(Reshape(x)) -> one Reshape, Squeeze(Unsqueeze
// (x, a), a) -> x, and Cast(Cast(x)) -> one Cast when the first cast loses nothing.
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_chain_collapse();

}  // namespace recinfer::passes
