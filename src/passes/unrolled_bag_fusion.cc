#include "passes/unrolled_bag_fusion.h"

#include <fmt/format.h>

#include "kernels/op_runner.h"
#include "passes/graph_edit.h"
#include "passes/graph_query.h"
#include "passes/static_shapes.h"

namespace recinfer::passes {
namespace {

using ir::OpType;
using ir::ValueId;

struct Bag {
  ValueId table = ir::kNoValue, indices = ir::kNoValue, start = ir::kNoValue, end = ir::kNoValue;
  std::string mode;
};

bool single_reader(const GraphQuery& q, ValueId v) { return q.uses(v) == 1 && !q.is_graph_output(v); }

// One stacked bag: Unsqueeze(axis 0) <- Reduce(axis 0, keepdims 0) <- Gather(table, Slice(ids)).
std::optional<Bag> match_bag(const GraphQuery& q, ValueId part) {
  const ir::Node* unsqueeze = q.producer(part, OpType::kUnsqueeze);
  if (unsqueeze == nullptr || !single_reader(q, part) || q.axes(*unsqueeze) != std::vector<int64_t>{0}) {
    return std::nullopt;
  }
  const ValueId pooled = unsqueeze->input(0);
  const ir::Node* reduce = q.producer(pooled);
  if (reduce == nullptr || !single_reader(q, pooled)) return std::nullopt;
  auto mode = reduce_mode(reduce->op);
  if (!mode || q.axes(*reduce) != std::vector<int64_t>{0} || reduce->attr_int("keepdims", 1) != 0) {
    return std::nullopt;
  }
  const ir::Node* gather = q.producer(reduce->input(0), OpType::kGather);
  if (gather == nullptr || !single_reader(q, reduce->input(0)) || gather->attr_int("axis", 0) != 0 ||
      q.dtype(gather->input(0)) != DType::kFloat32 || q.rank(gather->input(0)).value_or(2) != 2) {
    return std::nullopt;
  }
  const ir::Node* slice = q.producer(gather->input(1), OpType::kSlice);
  if (slice == nullptr || !single_reader(q, gather->input(1)) || slice->opset < 10) return std::nullopt;
  if (slice->input(3) != ir::kNoValue && q.constant_ints(slice->input(3)) != std::vector<int64_t>{0}) {
    return std::nullopt;
  }
  if (slice->input(4) != ir::kNoValue && q.constant_ints(slice->input(4)) != std::vector<int64_t>{1}) {
    return std::nullopt;
  }
  if (q.rank(slice->input(0)).value_or(1) != 1) return std::nullopt;  // flat ids
  return Bag{gather->input(0), slice->input(0), slice->input(1), slice->input(2), *mode};
}

struct Match {
  const ir::Node* concat = nullptr;
  std::vector<Bag> bags;
  DType bound_dtype = DType::kInt64;
};

class UnrolledBagFusion final : public Pass {
 public:
  std::string_view name() const override { return "unrolled-bag-fusion"; }
  std::string_view summary() const override {
    return "Concat of per-bag Slice -> Gather -> Reduce(axis 0) -> Unsqueeze chains -> EmbeddingBag";
  }

  Status run(ir::Graph& graph, PassReport& report) override {
    remove_dead_nodes(graph);  // replaced nodes of earlier passes would count as readers
    std::vector<Match> matches;
    {
      GraphQuery q(graph);
      StaticShapes shapes(graph);
      for (const ir::Node& node : graph.nodes) {
        if (auto m = match(q, shapes, node)) matches.push_back(std::move(*m));
      }
    }
    NodeEmitter emit(graph);
    for (const Match& m : matches) {
      const Bag& first = m.bags.front();
      std::vector<ValueId> starts, ends;
      for (const Bag& b : m.bags) {
        starts.push_back(b.start);
        ends.push_back(b.end);
      }
      const DType bound_dtype = m.bound_dtype;
      const std::string& base = m.concat->name;
      auto axis0 = std::map<std::string, ir::Attribute, std::less<>>{{"axis", kernels::attr_int(0)}};
      ValueId start_vec = emit.emit(base + "/bag_starts", OpType::kConcat, starts, bound_dtype, axis0);
      ValueId end_vec = emit.emit(base + "/bag_ends", OpType::kConcat, ends, bound_dtype, axis0);
      std::string site = fmt::format("{}: {} bags ({}) of '{}' over table '{}' (Slice, Gather, {}, "
                                     "Unsqueeze per bag)", m.concat->describe(), m.bags.size(),
                                     first.mode, graph.value(first.indices).name,
                                     graph.value(first.table).name,
                                     first.mode == "sum" ? "ReduceSum" : first.mode == "mean" ? "ReduceMean" : "ReduceMax");
      const size_t index = static_cast<size_t>(m.concat - graph.nodes.data());
      ir::Node bag = make_node(base, OpType::kEmbeddingBag, {first.table, first.indices, start_vec, end_vec},
                               m.concat->outputs, {{"mode", kernels::attr_string(first.mode)}});
      graph.nodes[index] = std::move(bag);
      report.add(std::move(site));
    }
    return commit_emitted(emit);
  }

 private:
  static std::optional<Match> match(const GraphQuery& q, const StaticShapes& shapes,
                                    const ir::Node& node) {
    if (node.op != OpType::kConcat || node.inputs.size() < 2 || node.attr_int("axis", 0) != 0) {
      return std::nullopt;
    }
    Match m;
    m.concat = &node;
    for (ValueId part : node.inputs) {
      auto bag = match_bag(q, part);
      if (!bag) return std::nullopt;
      if (!m.bags.empty()) {
        const Bag& f = m.bags.front();
        if (bag->table != f.table || bag->indices != f.indices || bag->mode != f.mode ||
            shapes.dtype(bag->start) != shapes.dtype(f.start) ||
            shapes.dtype(bag->end) != shapes.dtype(f.start)) {
          return std::nullopt;
        }
      }
      m.bags.push_back(*bag);
    }
    const DType bounds = shapes.dtype(m.bags.front().start);
    if (bounds != DType::kInt64 && bounds != DType::kInt32) return std::nullopt;
    m.bound_dtype = bounds;
    return m;
  }
};

}  // namespace

std::unique_ptr<Pass> make_unrolled_bag_fusion() { return std::make_unique<UnrolledBagFusion>(); }

}  // namespace recinfer::passes
