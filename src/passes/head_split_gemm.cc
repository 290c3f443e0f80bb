#include "passes/head_split_gemm.h"

#include <cstring>

#include <fmt/format.h>

#include "kernels/op_runner.h"
#include "passes/graph_edit.h"
#include "passes/graph_query.h"
#include "passes/static_shapes.h"

namespace recinfer::passes {
namespace {

using ir::OpType;
using ir::ValueId;

constexpr int64_t kMaxHeads = 2;

struct HeadMatch {
  const ir::Node* reshape_out = nullptr;  // the final Reshape, replaced by the Gemm
  ValueId x = ir::kNoValue;               // (N, H·K)
  ValueId weight = ir::kNoValue;          // (H, K, O) constant
  const char* activation = nullptr;
};

bool swaps_first_two(const ir::Node* transpose) {
  return transpose != nullptr && transpose->attr_ints("perm") == std::vector<int64_t>{1, 0, 2};
}

class HeadSplitGemm final : public Pass {
 public:
  std::string_view name() const override { return "head-split-gemm"; }
  std::string_view summary() const override {
    return "Reshape -> Transpose -> per-head MatMul -> [act] -> Transpose -> Reshape -> one Gemm "
           "with a block-diagonal weight (H <= 2)";
  }

  Status run(ir::Graph& graph, PassReport& report) override {
    remove_dead_nodes(graph);  // replaced nodes of earlier passes would count as readers
    std::vector<HeadMatch> matches;
    {
      GraphQuery q(graph);
      StaticShapes shapes(graph);
      for (const ir::Node& node : graph.nodes) {
        if (auto m = match(q, shapes, node)) matches.push_back(*m);
      }
    }
    for (const HeadMatch& m : matches) {
      const Tensor& w = *graph.value(m.weight).constant;
      const int64_t heads = w.shape()[0], k = w.shape()[1], o = w.shape()[2];
      RI_ASSIGN_OR_RETURN(Tensor block, Tensor::allocate(DType::kFloat32, Shape{heads * k, heads * o}));
      for (int64_t h = 0; h < heads; ++h) {
        for (int64_t r = 0; r < k; ++r) {
          std::memcpy(block.data<float>() + (h * k + r) * heads * o + h * o,
                      w.data<float>() + (h * k + r) * o, sizeof(float) * o);
        }
      }
      const std::string site = fmt::format(
          "{}: {} heads of '{}' ({} columns each) x '{}' ({}, {}) as one Gemm with a "
          "block-diagonal ({}, {}) weight{}; the two Transposes are gone",
          m.reshape_out->describe(), heads, graph.value(m.x).name, k,
          graph.value(m.weight).name, k, o, heads * k, heads * o,
          m.activation ? fmt::format(" and {} fused", m.activation) : "");
      ValueId weight = add_constant(graph, graph.value(m.weight).name + "/block_diagonal", std::move(block));
      const size_t index = static_cast<size_t>(m.reshape_out - graph.nodes.data());
      ir::Node gemm = make_node(m.reshape_out->name, m.activation ? OpType::kFusedGemm : OpType::kGemm,
                                {m.x, weight}, m.reshape_out->outputs);
      if (m.activation) {
        gemm.attributes["activation"] = kernels::attr_string(m.activation);
      } else {
        gemm.opset = graph.opset;
      }
      graph.nodes[index] = std::move(gemm);
      report.add(site);
    }
    return Status::ok();
  }

 private:
  static std::optional<HeadMatch> match(const GraphQuery& q, const StaticShapes& shapes,
                                        const ir::Node& node) {
    if (node.op != OpType::kReshape) return std::nullopt;
    auto single_reader = [&](ValueId v) { return q.uses(v) == 1 && !q.is_graph_output(v); };
    const ir::Node* back = q.producer(node.input(0), OpType::kTranspose);
    if (!swaps_first_two(back) || !single_reader(back->outputs[0])) return std::nullopt;
    HeadMatch m;
    m.reshape_out = &node;
    ValueId product = back->input(0);
    if (const ir::Node* act = q.producer(product); act != nullptr && activation_name(act->op)) {
      if (!single_reader(product)) return std::nullopt;
      m.activation = activation_name(act->op);
      product = act->input(0);
    }
    const ir::Node* matmul = q.producer(product, OpType::kMatMul);
    if (matmul == nullptr || !single_reader(product)) return std::nullopt;
    const ir::Node* front = q.producer(matmul->input(0), OpType::kTranspose);
    if (!swaps_first_two(front) || !single_reader(matmul->input(0))) return std::nullopt;
    const ir::Node* split = q.producer(front->input(0), OpType::kReshape);
    if (split == nullptr || !single_reader(front->input(0))) return std::nullopt;
    m.x = split->input(0);
    m.weight = matmul->input(1);
    const Tensor* w = q.constant(m.weight);
    if (w == nullptr || w->dtype() != DType::kFloat32 || w->rank() != 3 || w->shape()[0] > kMaxHeads ||
        w->shape()[0] < 1) {
      return std::nullopt;
    }
    const int64_t heads = w->shape()[0], k = w->shape()[1], o = w->shape()[2];
    // X (N, H·K) split into (N, H, K); the result (N, H·O) with the same N.
    if (shapes.dtype(m.x) != DType::kFloat32 || shapes.rank(m.x) != 2 ||
        shapes.dim(m.x, 1) != heads * k || shapes.rank(split->outputs[0]) != 3 ||
        shapes.dim(split->outputs[0], 1) != heads || shapes.dim(split->outputs[0], 2) != k ||
        !shapes.same_dim(split->outputs[0], 0, m.x, 0) || shapes.rank(node.outputs[0]) != 2 ||
        shapes.dim(node.outputs[0], 1) != heads * o || !shapes.same_dim(node.outputs[0], 0, m.x, 0)) {
      return std::nullopt;
    }
    return m;
  }
};

}  // namespace

std::unique_ptr<Pass> make_head_split_gemm() { return std::make_unique<HeadSplitGemm>(); }

}  // namespace recinfer::passes
