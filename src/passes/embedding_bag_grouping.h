// Merges the EmbeddingBag nodes of a graph that share a mode into one multi-table node, so one
// kernel call schedules every table's bags over the threads (and prefetches across tables).
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_embedding_bag_grouping();

}  // namespace recinfer::passes
