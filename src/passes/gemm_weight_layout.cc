#include "passes/gemm_weight_layout.h"

#include <fmt/format.h>

#include <map>

#include "kernels/op_runner.h"
#include "passes/graph_edit.h"
#include "passes/graph_query.h"

namespace recinfer::passes {
namespace {

using ir::OpType;

constexpr int64_t kMaxWeightBytes = int64_t{64} << 20;

// Through the Transpose kernel, as constant folding evaluates nodes.
Result<Tensor> transposed(const Tensor& b) {
  RI_ASSIGN_OR_RETURN(std::vector<Tensor> out,
                      kernels::run_op(OpType::kTranspose, 13,
                                      {{"perm", kernels::attr_ints({1, 0})}}, {b}, 1));
  return out[0];
}

class GemmWeightLayout final : public Pass {
 public:
  std::string_view name() const override { return "gemm-weight-layout"; }
  std::string_view summary() const override {
    return "constant B of a Gemm stored (N, K) with transB (nn.Linear's layout) -> transposed once "
           "to (K, N)";
  }

  Status run(ir::Graph& graph, PassReport& report) override {
    return for_each_graph(graph, [&](ir::Graph& g) -> Status {
      const GraphQuery q(g);
      std::map<ir::ValueId, ir::ValueId> done;  // a weight shared by several Gemms: one copy
      for (ir::Node& node : g.nodes) {
        if (node.op != OpType::kGemm && node.op != OpType::kFusedGemm) continue;
        if (node.attr_int("transB", 0) == 0 || node.inputs.size() < 2) continue;
        if (!has_valid_gemm_flags(node)) continue;
        const ir::ValueId b = node.input(1);
        const Tensor* weight = q.constant(b);
        if (weight == nullptr || weight->dtype() != DType::kFloat32 || weight->shape().rank() != 2 ||
            weight->numel() * 4 > kMaxWeightBytes) {
          continue;
        }
        // add_constant may grow the value table: nothing below reads `weight` after it.
        const std::string site = fmt::format("{}: B '{}' {} stored as (K, N)", node.describe(),
                                             g.value(b).name, weight->shape().to_string());
        auto it = done.find(b);
        if (it == done.end()) {
          RI_ASSIGN_OR_RETURN(Tensor t, transposed(*weight));
          const std::string hint = g.value(b).name + "_kn";
          it = done.emplace(b, add_constant(g, hint, std::move(t))).first;
        }
        node.inputs[1] = it->second;
        node.attributes["transB"] = kernels::attr_int(0);
        report.add(site);
      }
      return Status::ok();
    });
  }
};

}  // namespace

std::unique_ptr<Pass> make_gemm_weight_layout() { return std::make_unique<GemmWeightLayout>(); }

}  // namespace recinfer::passes
