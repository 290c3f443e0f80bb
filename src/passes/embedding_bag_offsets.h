// torch's EmbeddingBag export computes each bag's bounds at run time: starts = Concat(offsets,
// [len(indices)]) and ends = Slice(starts, 1, MAX). EmbeddingBag's offsets form (starts =
// offsets, no ends: each bag ends where the next starts, the last at len(indices)) is the same
// thing, so the fused node takes the offsets directly and the Shape/Gather/Unsqueeze/Concat/
// Slice chain per table disappears — five ops per table per inference, and, with ragged id
// lists (runtime/plan_key.h), ops that would otherwise run on every request.
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_embedding_bag_offsets();

}  // namespace recinfer::passes
