// Structural checks of an ir::Graph: SSA, topological order, defined inputs and outputs, and
// subgraph captures that match their node. Run after loading and (in tests) after every pass.
#pragma once

#include "ir/graph.h"
#include "recinfer/status.h"

namespace recinfer::ir {

Status verify_graph(const Graph& graph);

}  // namespace recinfer::ir
