#include "passes/embedding_bag_grouping.h"

#include <fmt/format.h>

#include <algorithm>

#include "passes/graph_edit.h"

namespace recinfer::passes {
namespace {

class EmbeddingBagGrouping final : public Pass {
 public:
  std::string_view name() const override { return "embedding-bag-grouping"; }
  std::string_view summary() const override {
    return "EmbeddingBag nodes with the same mode -> one multi-table EmbeddingBag";
  }

  Status run(ir::Graph& graph, PassReport& report) override {
    return for_each_graph(graph, [&](ir::Graph& g) { return group(g, report); });
  }

 private:
  static Status group(ir::Graph& g, PassReport& report) {
    std::vector<std::string> modes;
    for (const ir::Node& node : g.nodes) {
      std::string mode = node.attr_string("mode", "sum");
      if (node.op == ir::OpType::kEmbeddingBag &&
          std::find(modes.begin(), modes.end(), mode) == modes.end()) {
        modes.push_back(mode);
      }
    }
    for (const std::string& mode : modes) merge_mode(g, mode, report);
    return Status::ok();
  }

  static void merge_mode(ir::Graph& g, const std::string& mode, PassReport& report) {
    std::vector<size_t> members;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      if (g.nodes[i].op == ir::OpType::kEmbeddingBag && g.nodes[i].attr_string("mode", "sum") == mode) {
        members.push_back(i);
      }
    }
    if (members.size() < 2) return;
    std::vector<ir::Node> saved = g.nodes;
    const std::string first = g.nodes[members.front()].name;
    const std::string last = g.nodes[members.back()].name;
    ir::Node merged = make_node(last, ir::OpType::kEmbeddingBag, {}, {},
                                g.nodes[members.back()].attributes);
    for (size_t i : members) {
      ir::Node& bag = g.nodes[i];
      merged.inputs.insert(merged.inputs.end(), bag.inputs.begin(), bag.inputs.end());
      merged.outputs.insert(merged.outputs.end(), bag.outputs.begin(), bag.outputs.end());
      bag.outputs.clear();  // marks the member for removal
    }
    merged.num_declared_inputs = static_cast<int>(merged.inputs.size());
    g.nodes[members.back()] = std::move(merged);
    std::vector<ir::Node> kept;
    for (ir::Node& node : g.nodes) {
      if (!node.outputs.empty()) kept.push_back(std::move(node));
    }
    g.nodes = std::move(kept);
    if (!topo_sort(g).is_ok()) {
      g.nodes = std::move(saved);  // one bag feeds another: leave this mode alone
      return;
    }
    report.add(fmt::format("{} {}-mode bags ('{}' ... '{}') -> node '{}'", members.size(), mode,
                           first, last, last));
  }
};

}  // namespace

std::unique_ptr<Pass> make_embedding_bag_grouping() { return std::make_unique<EmbeddingBagGrouping>(); }

}  // namespace recinfer::passes
