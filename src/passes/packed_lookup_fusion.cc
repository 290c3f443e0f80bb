#include "passes/packed_lookup_fusion.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "kernels/op_runner.h"
#include "passes/graph_edit.h"
#include "passes/graph_query.h"
#include "passes/static_shapes.h"

namespace recinfer::passes {
namespace {

using ir::OpType;
using ir::ValueId;

constexpr int64_t kOnnxInt32 = 6;
constexpr int64_t kOnnxInt64 = 7;

// One feature's chain, from the packed input to the value a Concat reads.
struct Feature {
  const ir::Node* lookup = nullptr;  // the Gather on the table (names the miss)
  ValueId packed = ir::kNoValue;     // X
  int64_t column = 0;
  int64_t to = kOnnxInt64;           // the Cast's target
  ValueId table = ir::kNoValue;
  ValueId part = ir::kNoValue;       // the last value of the chain (after the view ops)
};

bool single_reader(const GraphQuery& q, ValueId v) { return q.uses(v) == 1 && !q.is_graph_output(v); }

bool is_view(OpType op) {
  return op == OpType::kReshape || op == OpType::kSqueeze || op == OpType::kUnsqueeze ||
         op == OpType::kFlatten;
}

// Normalises a column index of X (static width `width`); nullopt when out of range.
std::optional<int64_t> column_of(int64_t index, std::optional<int64_t> width) {
  if (!width) return std::nullopt;
  if (index < 0) index += *width;
  if (index < 0 || index >= *width) return std::nullopt;
  return index;
}

class PackedLookupFusion final : public Pass {
 public:
  std::string_view name() const override { return "packed-lookup-fusion"; }
  std::string_view summary() const override {
    return "Concat of per-feature Slice/Gather(X col) -> Cast -> Gather(table) chains over one "
           "packed float input -> PackedLookup (one step, written in the concatenated layout)";
  }

  Status run(ir::Graph& graph, PassReport& report) override {
    remove_dead_nodes(graph);  // replaced nodes of earlier passes would count as readers
    std::vector<Group> groups;
    {
      GraphQuery q(graph);
      StaticShapes shapes(graph);
      const std::vector<std::vector<int>> readers = readers_of(graph);
      std::map<ValueId, Feature> by_part;  // chains that end in a Concat input
      for (const ir::Node& node : graph.nodes) {
        if (node.op != OpType::kGather) continue;
        std::string why;
        auto feature = match_feature(q, shapes, readers, node, &why);
        if (feature) {
          by_part.emplace(feature->part, *feature);
        } else if (!why.empty()) {
          report.miss(node.name, fmt::format("{}: {}", node.describe(), why));
        }
      }
      std::vector<char> grouped(graph.values.size(), 0);
      for (const ir::Node& node : graph.nodes) {
        if (node.op == OpType::kConcat) collect_groups(q, shapes, node, by_part, groups, report);
      }
      for (const Group& g : groups) {
        for (const Feature& f : g.features) grouped[static_cast<size_t>(f.part)] = 1;
      }
      for (const auto& [part, f] : by_part) {
        if (!grouped[static_cast<size_t>(part)] && f.lookup != nullptr && !reported(report, f)) {
          report.miss(f.lookup->name, fmt::format("{}: {}", f.lookup->describe(),
                                                  "its Concat cannot take the rows in place"));
        }
      }
    }
    return rewrite(graph, groups, report);
  }

 private:
  struct Group {
    size_t concat = 0;             // node index
    size_t first = 0, count = 0;   // the Concat inputs it replaces
    std::vector<Feature> features;
    std::vector<int64_t> row_shape;
  };

  static std::vector<std::vector<int>> readers_of(const ir::Graph& g) {
    std::vector<std::vector<int>> readers(g.values.size());
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      for (ValueId in : g.nodes[i].inputs) {
        if (in != ir::kNoValue) readers[static_cast<size_t>(in)].push_back(static_cast<int>(i));
      }
    }
    return readers;
  }

  static bool reported(const PassReport& report, const Feature& f) {
    return std::any_of(report.misses.begin(), report.misses.end(),
                       [&](const PassReport::Miss& m) { return m.node == f.lookup->name; });
  }

  // A Gather(table, Cast(column of X)) and the single-reader view ops after it. Sets *why (and
  // returns nullopt) for lookups of packed floats that cannot be fused; leaves it empty for
  // Gathers that are not such lookups at all.
  static std::optional<Feature> match_feature(const GraphQuery& q, const StaticShapes& shapes,
                                              const std::vector<std::vector<int>>& readers,
                                              const ir::Node& gather, std::string* why) {
    const ir::Node* cast = q.producer(gather.input(1), OpType::kCast);
    if (cast == nullptr || q.constant(gather.input(0)) == nullptr) return std::nullopt;
    DType source = q.dtype(cast->input(0));
    if (source == DType::kUndefined) source = shapes.dtype(cast->input(0));  // e.g. a Slice's
    if (source != DType::kFloat32 && source != DType::kFloat64) return std::nullopt;
    Feature f;
    f.lookup = &gather;
    f.table = gather.input(0);
    f.to = cast->attr_int("to", 0);
    auto column = packed_column(q, shapes, cast->input(0), &f.packed);
    if (!column) {
      // Report slices of a packed input that are not one column (multi-valued fields).
      if (f.packed != ir::kNoValue) {
        *why = fmt::format("its ids are not one constant column of packed '{}'",
                           q.graph().value(f.packed).name);
      }
      return std::nullopt;
    }
    f.column = *column;
    const Tensor& table = *q.constant(f.table);
    if (f.to != kOnnxInt64 && f.to != kOnnxInt32) {
      *why = fmt::format("the ids are cast to ONNX dtype {}, not int64/int32", f.to);
      return std::nullopt;
    }
    if (gather.attr_int("axis", 0) != 0 || table.rank() < 1) {
      *why = "not a row lookup (axis 0 of a table)";
      return std::nullopt;
    }
    if (!single_reader(q, cast->input(0)) || !single_reader(q, gather.input(1))) {
      *why = fmt::format("the column or its ids ('{}') are also read elsewhere",
                         q.graph().value(gather.input(1)).name);
      return std::nullopt;
    }
    // Follow the view ops each value's only reader applies.
    ValueId v = gather.outputs[0];
    while (single_reader(q, v)) {
      const int reader = readers[static_cast<size_t>(v)].front();
      const ir::Node& next = q.graph().nodes[static_cast<size_t>(reader)];
      if (!is_view(next.op) || next.input(0) != v) break;
      v = next.outputs[0];
    }
    if (!single_reader(q, v) ||
        q.graph().nodes[static_cast<size_t>(readers[static_cast<size_t>(v)].front())].op != OpType::kConcat) {
      *why = fmt::format("its rows ('{}') are not read by one Concat only", q.graph().value(v).name);
      return std::nullopt;
    }
    // Each batch row of the chain's value must be exactly one table row.
    auto dims = shapes.dims(v);
    const int64_t row = table.shape().product(1, table.rank());
    bool rows_ok = dims && dims->size() >= 2 && shapes.same_dim(v, 0, f.packed, 0);
    int64_t per_row = 1;
    for (size_t d = 1; rows_ok && d < dims->size(); ++d) {
      rows_ok = (*dims)[d] >= 0;
      per_row *= (*dims)[d];
    }
    if (!rows_ok || per_row != row) {
      *why = fmt::format("the looked-up value '{}' is not one table row per batch row",
                         q.graph().value(v).name);
      return std::nullopt;
    }
    f.part = v;
    return f;
  }

  // The column `v` is of a (batch, F) float input: Slice(X, c:c+1, axis 1 [, step 1]) or
  // Gather(X, c, axis 1) with c a constant scalar or one-element list. Sets *packed to X once
  // `v` is a Slice (or a Gather on axis 1) of a 2-D tensor, even when it is not one column.
  static std::optional<int64_t> packed_column(const GraphQuery& q, const StaticShapes& shapes,
                                              ValueId v, ValueId* packed) {
    const ir::Node* node = q.producer(v);
    if (node == nullptr || (node->op != OpType::kSlice && node->op != OpType::kGather)) return std::nullopt;
    const ValueId x = node->input(0);
    if (shapes.rank(x) != 2 || (node->op == OpType::kGather && node->attr_int("axis", 0) == 0)) {
      return std::nullopt;
    }
    const std::optional<int64_t> width = shapes.dim(x, 1);
    *packed = x;  // a slice of a 2-D float tensor: from here on a candidate
    if (node->op == OpType::kGather) {
      const int64_t axis = node->attr_int("axis", 0);
      auto index = q.constant_ints(node->input(1));
      if ((axis != 1 && axis != -1) || !index || index->size() != 1) return std::nullopt;
      return column_of(index->front(), width);
    }
    std::vector<int64_t> starts, ends, axes, steps;
    if (node->opset < 10) {
      starts = node->attr_ints("starts");
      ends = node->attr_ints("ends");
      axes = node->attr_ints("axes");
    } else {
      auto s = q.constant_ints(node->input(1));
      auto e = q.constant_ints(node->input(2));
      if (!s || !e) return std::nullopt;
      starts = *s;
      ends = *e;
      if (node->input(3) != ir::kNoValue) {
        auto a = q.constant_ints(node->input(3));
        if (!a) return std::nullopt;
        axes = *a;
      }
      if (node->input(4) != ir::kNoValue) {
        auto st = q.constant_ints(node->input(4));
        if (!st) return std::nullopt;
        steps = *st;
      }
    }
    if (starts.size() != 1 || ends.size() != 1 || axes.size() != 1 || (axes[0] != 1 && axes[0] != -1) ||
        (!steps.empty() && steps != std::vector<int64_t>{1})) {
      return std::nullopt;
    }
    auto begin = column_of(starts[0], width);
    if (!begin) return std::nullopt;
    // The end as Slice clamps it; the slice must be exactly one column wide.
    int64_t end = ends[0] < 0 ? ends[0] + *width : std::min(ends[0], *width);
    if (end != *begin + 1) return std::nullopt;
    return begin;
  }

  // Runs of consecutive Concat inputs that are chains over the same X, with a Concat axis that
  // keeps each batch row's parts contiguous (every dim between the batch and the axis is 1).
  static void collect_groups(const GraphQuery& q, const StaticShapes& shapes, const ir::Node& concat,
                             const std::map<ValueId, Feature>& by_part, std::vector<Group>& groups,
                             PassReport& report) {
    const auto out_dims = shapes.dims(concat.outputs[0]);
    if (!out_dims) return;
    const int rank = static_cast<int>(out_dims->size());
    int64_t axis = concat.attr_int("axis", 0);
    if (axis < 0) axis += rank;
    bool contiguous = axis >= 1 && axis < rank;
    for (int64_t d = 1; contiguous && d < axis; ++d) contiguous = (*out_dims)[static_cast<size_t>(d)] == 1;
    const size_t concat_index = static_cast<size_t>(&concat - q.graph().nodes.data());
    Group run;
    auto flush = [&] {
      if (!run.features.empty()) {
        run.count = run.features.size();
        groups.push_back(run);
      }
      run = Group{};
    };
    for (size_t i = 0; i < concat.inputs.size(); ++i) {
      auto it = by_part.find(concat.inputs[i]);
      if (it == by_part.end()) {
        flush();
        continue;
      }
      const Feature& f = it->second;
      if (!contiguous) {
        report.miss(f.lookup->name, fmt::format("{}: {} axis {} does not keep each batch row's "
                                                "parts contiguous", f.lookup->describe(),
                                                concat.describe(), concat.attr_int("axis", 0)));
        continue;
      }
      const Tensor& table = *q.constant(f.table);
      if (!run.features.empty()) {
        const Feature& first = run.features.front();
        if (f.packed != first.packed || f.to != first.to ||
            table.dtype() != q.constant(first.table)->dtype()) {
          flush();
        }
      }
      if (run.features.empty()) {
        run.concat = concat_index;
        run.first = i;
        run.row_shape = *shapes.dims(f.part);
        run.row_shape.erase(run.row_shape.begin());
        run.row_shape[static_cast<size_t>(axis - 1)] = 0;
      }
      run.row_shape[static_cast<size_t>(axis - 1)] += *shapes.dim(f.part, static_cast<int>(axis));
      run.features.push_back(f);
    }
    flush();
  }

  static Status rewrite(ir::Graph& graph, std::vector<Group>& groups, PassReport& report) {
    if (groups.empty()) return Status::ok();
    // Later runs of a Concat first, so the input positions of earlier ones stay valid.
    std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
      return a.concat != b.concat ? a.concat < b.concat : a.first > b.first;
    });
    NodeEmitter emit(graph);
    for (const Group& g : groups) {
      ir::Node& concat = graph.nodes[g.concat];
      const Feature& first = g.features.front();
      std::vector<ValueId> inputs = {first.packed};
      std::vector<int64_t> columns;
      std::string listed;
      for (const Feature& f : g.features) {
        inputs.push_back(f.table);
        columns.push_back(f.column);
        listed += fmt::format("{}{}->'{}'", listed.empty() ? "" : ", ", f.column, graph.value(f.table).name);
      }
      std::map<std::string, ir::Attribute, std::less<>> attrs = {
          {"columns", kernels::attr_ints(columns)},
          {"row_shape", kernels::attr_ints(g.row_shape)},
          {"to", kernels::attr_int(first.to)}};
      const bool whole = g.count == concat.inputs.size();
      report.add(fmt::format("{}: {} feature lookups of packed '{}' (column->table: {}){}",
                             concat.describe(), g.features.size(), graph.value(first.packed).name,
                             listed, whole ? ", the Concat replaced" : ""));
      if (whole) {
        concat = make_node(concat.name, OpType::kPackedLookup, inputs, concat.outputs, std::move(attrs));
        continue;
      }
      const DType dtype = q_dtype(graph, first.table);
      const ValueId rows = emit.emit(fmt::format("{}/packed_lookup_{}", concat.name, g.first),
                                     OpType::kPackedLookup, inputs, dtype, std::move(attrs));
      auto begin = concat.inputs.begin() + static_cast<std::ptrdiff_t>(g.first);
      concat.inputs.erase(begin, begin + static_cast<std::ptrdiff_t>(g.count));
      concat.inputs.insert(concat.inputs.begin() + static_cast<std::ptrdiff_t>(g.first), rows);
      concat.num_declared_inputs = static_cast<int>(concat.inputs.size());
    }
    return commit_emitted(emit);
  }

  static DType q_dtype(const ir::Graph& graph, ValueId table) {
    return graph.value(table).constant->dtype();
  }
};

}  // namespace

std::unique_ptr<Pass> make_packed_lookup_fusion() { return std::make_unique<PackedLookupFusion>(); }

}  // namespace recinfer::passes
