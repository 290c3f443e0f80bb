// Bags unrolled at export time: `torch.stack([emb(ids[s_b:e_b]).sum(0) for b in range(B)])` (and
// other exporters' per-bag Slice/Gather chains) exports as B chains Slice(ids, s_b, e_b) ->
// Gather(table) -> ReduceSum|Mean|Max(axis 0) -> Unsqueeze, stacked by one Concat. They become one
// ai.recinfer EmbeddingBag whose starts/ends are the B bounds concatenated (EmbeddingBag's bag
// bounds follow Slice's clamping, so the bags are the same).
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_unrolled_bag_fusion();

}  // namespace recinfer::passes
