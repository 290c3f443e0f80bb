// Graph passes: rewrites of an ir::Graph that keep the model's outputs (see DESIGN.md, "passes").
// Each pass lives in its own file and is ordered only in pipeline.cc. A pass reports every site it
// changed, so `recinfer optimize` can say what matched where.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ir/graph.h"
#include "recinfer/status.h"

namespace recinfer::passes {

// What one pass did to one graph (subgraphs included).
struct PassReport {
  std::string pass;
  int matches = 0;
  std::vector<std::string> sites;  // one line per match: node names, what replaced what
  // Candidates the pass looked at and left: the node and where the match failed (which input,
  // what was expected), so `optimize` and `doctor` can say why a Loop or NonZero stayed. The
  // pipeline keeps only those whose node is still in the graph after every pass ran.
  struct Miss {
    std::string node;  // the node's name
    std::string why;   // "<node description>: <where the match failed>"
  };
  std::vector<Miss> misses;

  void add(std::string site) {
    ++matches;
    sites.push_back(std::move(site));
  }
  void miss(std::string node, std::string why) {
    misses.push_back({std::move(node), std::move(why)});
  }
};

class Pass {
 public:
  virtual ~Pass() = default;
  virtual std::string_view name() const = 0;
  // One-line description for `--list-passes` and the docs.
  virtual std::string_view summary() const = 0;
  // Rewrites `graph` in place. Leaves it valid (ir::verify_graph passes) and topologically
  // sorted; may leave dead nodes behind (dead-code elimination runs last).
  virtual Status run(ir::Graph& graph, PassReport& report) = 0;
};

}  // namespace recinfer::passes
