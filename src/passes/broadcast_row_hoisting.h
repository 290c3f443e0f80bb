// Row-invariant features hoisted out of a Gemm. Ranking models score many candidates against one
// user: the user-side features are computed once and `expand`ed to every candidate row before
// the first Linear (Concat([candidate parts..., Expand(user part)...]) -> Gemm). Their share of
// the product is the same for every row, so it is computed once, as a (1, K_user) Gemm folded
// into the bias, and the per-row Gemm keeps only the candidate columns of the weight.
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_broadcast_row_hoisting();

}  // namespace recinfer::passes
