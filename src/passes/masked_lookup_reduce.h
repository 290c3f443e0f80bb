// A pooling over the table rows of the ids a mask selects, written with data-dependent shapes:
//   Reduce{Sum,Mean,Max}(axis 0, Gather(table, select(ids, mask)))
// where select is NonZero(mask) -> Transpose -> GatherND(ids, .)  (`t[ids[mask]]`) or
// NonZero -> Transpose -> Squeeze -> Gather(ids, ., axis 0)  (`index_select(ids, nonzero)`), and
// the mask compares the ids with a scalar (so it has their shape). Gathering is row-wise, so
// this is MaskedReduce(Gather(table, Where(mask, ids, 0)), mask): every position's row is read
// (masked-out ids replaced by row 0, whatever they held) and the pooling skips them. The plan
// becomes static: the seed's Where/NonZero lookup without its host round-trip.
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_masked_lookup_reduce();

}  // namespace recinfer::passes
