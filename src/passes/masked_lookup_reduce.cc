#include "passes/masked_lookup_reduce.h"

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "kernels/op_runner.h"
#include "passes/comparison_match.h"
#include "passes/graph_edit.h"
#include "passes/graph_query.h"

namespace recinfer::passes {
namespace {

using ir::OpType;
using ir::ValueId;

struct Match {
  size_t reduce = 0;  // node index
  std::string mode;
  ValueId table = ir::kNoValue, ids = ir::kNoValue, mask = ir::kNoValue;
};

class MaskedLookupReduce final : public Pass {
 public:
  std::string_view name() const override { return "masked-lookup-reduce"; }
  std::string_view summary() const override {
    return "Reduce(axis 0) of Gather(table, ids[mask]) (NonZero selection) -> MaskedReduce over "
           "every id's row (static shapes)";
  }

  Status run(ir::Graph& graph, PassReport& report) override {
    return for_each_graph(graph, [&](ir::Graph& g) { return run_on(g, report); });
  }

 private:
  Status run_on(ir::Graph& graph, PassReport& report) {
    std::vector<Match> matches;
    {
      GraphQuery q(graph);
      for (size_t i = 0; i < graph.nodes.size(); ++i) {
        if (auto m = match(q, graph.nodes[i])) {
          m->reduce = i;
          matches.push_back(*m);
        }
      }
    }
    if (matches.empty()) return Status::ok();
    NodeEmitter emit(graph);
    // Reduces of the same selection (sum and mean of one history) share one lookup.
    std::map<std::tuple<ValueId, ValueId, ValueId>, ValueId> rows_of;
    for (const Match& m : matches) {
      auto key = std::make_tuple(m.table, m.ids, m.mask);
      auto it = rows_of.find(key);
      if (it == rows_of.end()) {
        const std::string base = graph.value(m.ids).name + "/masked";
        const DType id_dtype = graph.value(m.ids).dtype;
        Tensor zero;
        if (id_dtype == DType::kInt32) {
          zero = Tensor::from_vector<int32_t>(Shape{}, {0}).value();
        } else {
          zero = Tensor::from_vector<int64_t>(Shape{}, {0}).value();
        }
        ValueId zero_id = emit.constant(base + "/zero", std::move(zero));
        ValueId safe_ids =
            emit.emit(base + "/ids", OpType::kWhere, {m.mask, m.ids, zero_id}, id_dtype);
        ValueId rows = emit.emit(base + "/rows", OpType::kGather, {m.table, safe_ids},
                                 graph.value(m.table).dtype, {{"axis", kernels::attr_int(0)}});
        it = rows_of.emplace(key, rows).first;
      }
      ir::Node& reduce = graph.nodes[m.reduce];
      const int64_t keepdims = reduce.attr_int("keepdims", 1);
      report.add(fmt::format("{}: {} of the rows of '{}' for the ids '{}' that '{}' selects "
                             "(NonZero selection, Gather, {})",
                             reduce.describe(), m.mode, graph.value(m.table).name,
                             graph.value(m.ids).name, graph.value(m.mask).name,
                             ir::op_name(reduce.op)));
      reduce = make_node(reduce.name, OpType::kMaskedReduce, {it->second, m.mask}, reduce.outputs,
                         {{"mode", kernels::attr_string(m.mode)},
                          {"keepdims", kernels::attr_int(keepdims)}});
    }
    return commit_emitted(emit);
  }

  static std::optional<Match> match(const GraphQuery& q, const ir::Node& node) {
    auto mode = reduce_mode(node.op);
    if (!mode || q.axes(node) != std::vector<int64_t>{0}) return std::nullopt;
    const ir::Node* lookup = q.producer(node.input(0), OpType::kGather);
    if (lookup == nullptr || lookup->attr_int("axis", 0) != 0 || q.rank(lookup->input(0)) != 2) {
      return std::nullopt;
    }
    auto selected = match_selection(q, lookup->input(1));
    if (!selected) return std::nullopt;
    auto [ids, mask] = *selected;
    // The mask must have the ids' shape: a comparison of the ids with a scalar.
    auto cmp = match_comparison(q, mask);
    if (!cmp) return std::nullopt;
    const ValueId other = cmp->lhs == ids ? cmp->rhs : cmp->rhs == ids ? cmp->lhs : ir::kNoValue;
    if (other == ir::kNoValue || !q.constant_scalar(other)) return std::nullopt;
    const DType id_dtype = q.dtype(ids);
    if (id_dtype != DType::kInt64 && id_dtype != DType::kInt32) return std::nullopt;
    return Match{0, *mode, lookup->input(0), ids, mask};
  }

  // `v` = the elements of `ids` where `mask` holds, in order: GatherND(ids, Transpose(NonZero(
  // mask))) or, for a 1-D mask, Gather(ids, Squeeze(Transpose(NonZero(mask)), axis 1)).
  static std::optional<std::pair<ValueId, ValueId>> match_selection(const GraphQuery& q,
                                                                    ValueId v) {
    const ir::Node* transpose = nullptr;
    ValueId ids = ir::kNoValue;
    if (const ir::Node* gnd = q.producer(v, OpType::kGatherND)) {
      if (gnd->attr_int("batch_dims", 0) != 0) return std::nullopt;
      transpose = q.producer(gnd->input(1), OpType::kTranspose);
      ids = gnd->input(0);
    } else if (const ir::Node* gather = q.producer(v, OpType::kGather)) {
      const ir::Node* squeeze = q.producer(gather->input(1), OpType::kSqueeze);
      if (gather->attr_int("axis", 0) != 0 || squeeze == nullptr ||
          q.axes(*squeeze) != std::vector<int64_t>{1}) {
        return std::nullopt;
      }
      transpose = q.producer(squeeze->input(0), OpType::kTranspose);
      ids = gather->input(0);
      if (q.rank(ids) != 1) return std::nullopt;
    }
    if (transpose == nullptr || transpose->attr_ints("perm") != std::vector<int64_t>{1, 0}) {
      return std::nullopt;
    }
    const ir::Node* nonzero = q.producer(transpose->input(0), OpType::kNonZero);
    if (nonzero == nullptr) return std::nullopt;
    return std::make_pair(ids, nonzero->input(0));
  }
};

}  // namespace

std::unique_ptr<Pass> make_masked_lookup_reduce() { return std::make_unique<MaskedLookupReduce>(); }

}  // namespace recinfer::passes
