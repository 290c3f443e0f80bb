#include "passes/gemm_activation_fusion.h"

#include <fmt/format.h>

#include "kernels/op_runner.h"
#include "passes/node_rewrite_pass.h"

namespace recinfer::passes {
namespace {

using ir::OpType;

class GemmTransposeFolding final : public NodeRewritePass {
 public:
  std::string_view name() const override { return "gemm-transpose-folding"; }
  std::string_view summary() const override {
    return "Gemm(Transpose(A)) / Gemm(A, Transpose(B)) -> transA / transB flags";
  }

 protected:
  std::optional<Rewrite> rewrite(const GraphQuery& q, const ir::Node& node) override {
    if (node.op != OpType::kGemm && node.op != OpType::kFusedGemm) return std::nullopt;
    if (!has_valid_gemm_flags(node)) return std::nullopt;
    ir::Node folded = node;
    std::string what;
    for (int i = 0; i < 2; ++i) {
      const ir::Node* t = q.producer(node.input(i), OpType::kTranspose);
      // Gemm operands are 2-D, so the Transpose is a 2-D one: perm [1, 0] or absent (reverse).
      if (t == nullptr) continue;
      auto perm = t->attr_ints("perm");
      if (!perm.empty() && perm != std::vector<int64_t>{1, 0}) continue;
      const char* flag = i == 0 ? "transA" : "transB";
      folded.inputs[static_cast<size_t>(i)] = t->input(0);
      folded.attributes[flag] = kernels::attr_int(node.attr_int(flag, 0) != 0 ? 0 : 1);
      what += fmt::format("{}{} of '{}'", what.empty() ? "" : ", ", flag,
                          q.graph().value(t->input(0)).name);
    }
    if (what.empty()) return std::nullopt;
    return Rewrite{std::move(folded), fmt::format("{}: {}", node.describe(), what)};
  }
};

class GemmActivationFusion final : public NodeRewritePass {
 public:
  std::string_view name() const override { return "gemm-activation-fusion"; }
  std::string_view summary() const override {
    return "Gemm -> Relu/Sigmoid/Tanh -> FusedGemm (activation applied per output tile)";
  }

 protected:
  std::optional<Rewrite> rewrite(const GraphQuery& q, const ir::Node& node) override {
    const char* activation = activation_name(node.op);
    if (activation == nullptr) return std::nullopt;
    const ir::Node* gemm = q.producer(node.input(0), OpType::kGemm);
    // The Gemm's own output must not be needed elsewhere; FusedGemm is float32 only.
    if (gemm == nullptr || q.uses(gemm->outputs[0]) != 1 || q.is_graph_output(gemm->outputs[0]) ||
        q.dtype(gemm->input(1)) != DType::kFloat32) {
      return std::nullopt;
    }
    ir::Node fused = make_node(node.name, OpType::kFusedGemm,
                               std::vector<ir::ValueId>(gemm->inputs.begin(), gemm->inputs.end()),
                               node.outputs, gemm->attributes);
    fused.attributes["activation"] = kernels::attr_string(activation);
    return Rewrite{std::move(fused), fmt::format("{} + {} -> FusedGemm({})", gemm->describe(),
                                                 node.describe(), activation)};
  }
};

}  // namespace

std::unique_ptr<Pass> make_gemm_transpose_folding() { return std::make_unique<GemmTransposeFolding>(); }
std::unique_ptr<Pass> make_gemm_activation_fusion() { return std::make_unique<GemmActivationFusion>(); }

}  // namespace recinfer::passes
