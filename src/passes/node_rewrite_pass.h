// Base of the fusion passes: visits every node of every graph (subgraphs first) and lets the
// pass replace it in place by a node with the same outputs. The nodes that fed only the replaced
// one become dead and go in dead-code elimination.
#pragma once

#include <optional>

#include <fmt/format.h>
#include <string>
#include <utility>

#include "passes/graph_edit.h"
#include "passes/graph_query.h"
#include "passes/pass.h"

namespace recinfer::passes {

struct Rewrite {
  ir::Node replacement;  // must produce the replaced node's outputs
  std::string site;      // the report line
};

class NodeRewritePass : public Pass {
 public:
  Status run(ir::Graph& graph, PassReport& report) final {
    return for_each_graph(graph, [&](ir::Graph& g) {
      GraphQuery query(g);
      for (ir::Node& node : g.nodes) {
        miss_.clear();
        std::optional<Rewrite> r = rewrite(query, node);
        if (!r) {
          if (!miss_.empty()) report.miss(node.name, node.describe() + ": " + miss_);
          continue;
        }
        report.add(std::move(r->site));
        node = std::move(r->replacement);
      }
      return Status::ok();
    });
  }

 protected:
  virtual std::optional<Rewrite> rewrite(const GraphQuery& query, const ir::Node& node) = 0;
  // For a candidate the pass recognised by its op but could not rewrite: says where the match
  // failed (reported as a miss of this node). Returns nullopt, for `return miss(...)`.
  template <typename... Args>
  std::nullopt_t miss(fmt::format_string<Args...> format, Args&&... args) {
    miss_ = fmt::format(format, std::forward<Args>(args)...);
    return std::nullopt;
  }

 private:
  std::string miss_;
};

}  // namespace recinfer::passes
