// Per-feature lookups over one packed float input, as DeepCTR-Torch and hand-written CTR models
// write them: every feature f of X (batch, F) is `table_f(X[:, c_f].long())`, exported as
//   Slice(X, c_f:c_f+1, axis 1) or Gather(X, c_f, axis 1) -> Cast(int64|int32) -> Gather(table_f)
//   [-> Reshape/Squeeze/Unsqueeze/Flatten]
// and the embeddings concatenated. Each run of such chains over the same X among a Concat's
// inputs (in any column order) becomes one PackedLookup that writes the rows straight into
// their concatenated layout; a Concat made only of such chains disappears. Chains whose values
// are read by anything else, or that do not feed a Concat, are left (reported as misses).
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_packed_lookup_fusion();

}  // namespace recinfer::passes
