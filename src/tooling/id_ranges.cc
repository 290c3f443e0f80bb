#include "tooling/id_ranges.h"

#include <algorithm>
#include <map>

#include "ir/graph.h"
#include "onnx/model_loader.h"
#include "passes/pipeline.h"

namespace recinfer::tooling {
namespace {

// Ops that pass ids through unchanged in value (only their shape or integer width changes).
bool keeps_id_values(ir::OpType op) {
  switch (op) {
    case ir::OpType::kCast:
    case ir::OpType::kReshape:
    case ir::OpType::kUnsqueeze:
    case ir::OpType::kSqueeze:
    case ir::OpType::kFlatten:
    case ir::OpType::kIdentity:
      return true;
    default:
      return false;
  }
}

// Rows of `table` when it is a constant of rank >= 1, else 0.
int64_t table_rows(const ir::Graph& g, ir::ValueId table) {
  if (table == ir::kNoValue) return 0;
  const auto& constant = g.value(table).constant;
  return constant && constant->rank() >= 1 ? constant->shape()[0] : 0;
}

TensorSpec spec_of(const ir::Value& value) {
  TensorSpec spec;
  spec.name = value.name;
  spec.dtype = value.dtype;
  spec.has_shape = value.declared_shape.has_value();
  if (spec.has_shape) {
    for (const ir::Dim& d : *value.declared_shape) {
      spec.dims.push_back(d.is_fixed() ? d.size : -1);
      spec.dim_names.push_back(d.is_fixed() ? "" : d.symbol);
    }
  }
  return spec;
}

}  // namespace

Result<ModelIdInputs> find_id_inputs(const std::string& model_path, const Limits& limits) {
  onnx_io::LoadOptions load_options;
  load_options.limits = limits;
  auto model = onnx_io::load_model(model_path, load_options);
  if (!model.is_ok()) return model.status();
  ir::Graph& g = *model->graph;
  ModelIdInputs result;
  for (ir::ValueId input : g.inputs) result.specs.push_back(spec_of(g.value(input)));
  auto report = passes::optimize_graph(g);
  if (!report.is_ok()) return report.status();

  // (ids value, table rows) for every lookup in the graph.
  std::vector<std::pair<ir::ValueId, int64_t>> lookups;
  for (const ir::Node& node : g.nodes) {
    auto in = [&](int i) { return node.input(i); };
    if (node.op == ir::OpType::kGather && node.attr_int("axis", 0) == 0) {
      lookups.emplace_back(in(1), table_rows(g, in(0)));
    } else if (node.op == ir::OpType::kMaskedGather) {
      lookups.emplace_back(in(1), table_rows(g, in(0)));
    } else if (node.op == ir::OpType::kEmbeddingBag) {
      for (int t = 0; 5 * t + 1 < node.num_declared_inputs; ++t) {
        lookups.emplace_back(in(5 * t + 1), table_rows(g, in(5 * t)));
      }
    }
  }

  const std::vector<int> producers = g.producers();
  std::map<ir::ValueId, int64_t> rows_of_input;
  for (auto [ids, rows] : lookups) {
    if (ids == ir::kNoValue || rows <= 0) continue;
    // Walk back to where the ids come from.
    for (int hops = 0; hops < 16 && ids != ir::kNoValue; ++hops) {
      const int p = producers[static_cast<size_t>(ids)];
      if (p < 0) break;
      const ir::Node& producer = g.nodes[static_cast<size_t>(p)];
      ids = keeps_id_values(producer.op) ? producer.input(0) : ir::kNoValue;
    }
    if (ids == ir::kNoValue) continue;
    auto [it, inserted] = rows_of_input.emplace(ids, rows);
    if (!inserted) it->second = std::min(it->second, rows);
  }

  result.rows.assign(g.inputs.size(), 0);
  for (size_t i = 0; i < g.inputs.size(); ++i) {
    auto it = rows_of_input.find(g.inputs[i]);
    if (it != rows_of_input.end()) result.rows[i] = it->second;
  }
  return result;
}

}  // namespace recinfer::tooling
