#include "passes/dead_code_elimination.h"

#include <fmt/format.h>

#include "passes/graph_edit.h"

namespace recinfer::passes {
namespace {

class DeadCodeElimination final : public Pass {
 public:
  std::string_view name() const override { return "dead-code-elimination"; }
  std::string_view summary() const override {
    return "remove nodes whose outputs are never read (also inside Loop bodies)";
  }
  Status run(ir::Graph& graph, PassReport& report) override {
    int removed = remove_dead_nodes(graph);
    if (removed > 0) report.add(fmt::format("{} dead nodes removed", removed));
    return Status::ok();
  }
};

}  // namespace

std::unique_ptr<Pass> make_dead_code_elimination() { return std::make_unique<DeadCodeElimination>(); }

}  // namespace recinfer::passes
