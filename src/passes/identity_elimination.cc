#include "passes/identity_elimination.h"

#include <map>

#include "ir/dtype_code.h"
#include "passes/graph_edit.h"
#include "passes/graph_query.h"

namespace recinfer::passes {
namespace {

class IdentityElimination final : public Pass {
 public:
  std::string_view name() const override { return "identity-elimination"; }
  std::string_view summary() const override {
    return "remove Identity and Cast to the dtype the input already has";
  }

  Status run(ir::Graph& graph, PassReport& report) override {
    return for_each_graph(graph, [&](ir::Graph& g) {
      GraphQuery query(g);
      // Chains (Identity feeding a no-op Cast) resolve to the first real value.
      std::map<ir::ValueId, ir::ValueId> reroute;
      for (const ir::Node& node : g.nodes) {
        if (!is_no_op(query, node) || query.is_graph_output(node.outputs[0])) continue;
        auto earlier = reroute.find(node.input(0));
        reroute[node.outputs[0]] = earlier != reroute.end() ? earlier->second : node.input(0);
        report.add(node.describe());
      }
      for (auto [from, to] : reroute) replace_uses(g, from, to);
      return Status::ok();
    });
  }

 private:
  static bool is_no_op(const GraphQuery& q, const ir::Node& node) {
    if (node.outputs.size() != 1 || node.input(0) == ir::kNoValue) return false;
    if (node.op == ir::OpType::kIdentity) return true;
    if (node.op != ir::OpType::kCast) return false;
    DType from = q.dtype(node.input(0));
    DType to = ir::dtype_from_code(node.attr_int("to", 0));
    return from != DType::kUndefined && to == from;
  }
};

}  // namespace

std::unique_ptr<Pass> make_identity_elimination() { return std::make_unique<IdentityElimination>(); }

}  // namespace recinfer::passes
