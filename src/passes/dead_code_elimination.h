// Removes nodes whose outputs nothing reads (and the constants only they read).
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_dead_code_elimination();

}  // namespace recinfer::passes
