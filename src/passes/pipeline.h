// The optimisation pipeline: the one place that orders the passes. Run on a loaded graph before
// it is compiled (Session::load) and by `recinfer optimize`.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "passes/pass.h"
#include "recinfer/status.h"

namespace recinfer::passes {

struct PipelineOptions {
  std::vector<std::string> disabled;        // pass names to skip
  int64_t fold_max_elements = int64_t{1} << 20;  // constant-folding budget per output
};

struct GraphCounts {
  int nodes = 0;          // including nodes inside subgraphs
  int dynamic_ops = 0;    // ops whose output shape depends on data: Loop, NonZero, Unique
};

struct PipelineReport {
  std::vector<PassReport> passes;  // in the order they ran (disabled ones absent)
  std::vector<std::string> disabled;
  GraphCounts before, after;
  // Multi-line summary: each pass with its match count and sites, counts before and after.
  std::string to_string(bool with_sites = true) const;
};

struct PassInfo {
  std::string name;
  std::string summary;
};
// Every pass in pipeline order.
std::vector<PassInfo> list_passes();

GraphCounts count_graph(const ir::Graph& graph);

// Runs every enabled pass in order, verifying the graph after each. An unknown name in
// `options.disabled` is an invalid_argument error listing the known passes.
Result<PipelineReport> optimize_graph(ir::Graph& graph, const PipelineOptions& options = {});

}  // namespace recinfer::passes
