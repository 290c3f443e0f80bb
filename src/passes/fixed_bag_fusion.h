// Fixed-length bags: `Embedding(ids (B, L)).sum(1)` (and mean/max, and the sum weighted by a
// per-position factor such as a padding mask) exports as Gather -> [Mul] -> Reduce(axis 1).
// This rewrites it to one ai.recinfer EmbeddingBag over the flattened ids with bags of L, so the
// (B, L, D) gathered tensor is never materialised.
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_fixed_bag_fusion();

}  // namespace recinfer::passes
