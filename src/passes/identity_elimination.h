// Removes no-ops: Identity, and Cast to the dtype its input already has.
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_identity_elimination();

}  // namespace recinfer::passes
