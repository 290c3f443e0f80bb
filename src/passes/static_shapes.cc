#include "passes/static_shapes.h"

#include <map>
#include <string>

#include "kernels/op_runner.h"
#include "kernels/parallel.h"
#include "kernels/registry.h"

namespace recinfer::passes {
namespace {

// Symbol i of probe k is bound to kBase[k] + kStep[k]·i: distinct symbols differ within a
// probe, no probe uses 1 (which would broadcast), and the sizes stay small so that folding
// shape subgraphs is cheap.
constexpr int kProbes = 3;
constexpr int64_t kBase[kProbes] = {3, 17, 61};
constexpr int64_t kStep[kProbes] = {1, 3, 5};
// Values computed at pass time are kept only when this small (shape vectors, index ranges).
constexpr int64_t kMaxFoldedElements = 4096;

}  // namespace

StaticShapes::StaticShapes(const ir::Graph& graph) {
  for (int k = 0; k < kProbes; ++k) probes_.push_back(run_probe(graph, k));
}

StaticShapes::Probe StaticShapes::run_probe(const ir::Graph& graph, int probe) {
  Probe known(graph.values.size());
  for (size_t v = 0; v < graph.values.size(); ++v) {
    const ir::Value& value = graph.values[v];
    if (!value.constant) continue;
    known[v] = {true, value.constant->dtype(), value.constant->shape(), *value.constant};
  }
  std::map<std::string, int64_t> symbols;
  for (ir::ValueId in : graph.inputs) {
    const ir::Value& value = graph.value(in);
    if (!value.declared_shape || !Shape::fits(value.declared_shape->size())) continue;
    std::vector<int64_t> dims;
    for (const ir::Dim& d : *value.declared_shape) {
      if (d.is_fixed()) {
        dims.push_back(d.size);
        continue;
      }
      // An unnamed symbol is its own symbol.
      std::string key = d.symbol.empty() ? "?" + std::to_string(symbols.size()) : d.symbol;
      auto [it, fresh] = symbols.emplace(key, 0);
      if (fresh) {
        it->second = kBase[probe] + kStep[probe] * static_cast<int64_t>(symbols.size() - 1);
      }
      dims.push_back(it->second);
    }
    // A declared shape too large to exist (a malformed model's 2^63 dim) stays unknown: kernels'
    // shape inference may assume the sizes it is given can be multiplied.
    int64_t numel = 0;
    if (!Shape(dims).checked_numel(&numel)) continue;
    known[static_cast<size_t>(in)] = {true, value.dtype, Shape(dims), std::nullopt};
  }

  const kernels::KernelRegistry& registry = kernels::KernelRegistry::instance();
  kernels::SerialFor serial;
  for (const ir::Node& node : graph.nodes) {
    const kernels::OpSchema* op = registry.find(node.op);
    if (op == nullptr || op->make == nullptr) continue;  // unknown, or control flow
    std::vector<kernels::TensorInfo> infos(node.inputs.size());
    std::vector<const kernels::TensorInfo*> info_ptrs(node.inputs.size(), nullptr);
    bool inputs_known = true, all_valued = true;
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      ir::ValueId in = node.inputs[i];
      if (in == ir::kNoValue) continue;
      const Known& k = known[static_cast<size_t>(in)];
      if (!k.known) {
        inputs_known = false;
        break;
      }
      infos[i] = {k.dtype, k.shape, k.value ? &*k.value : nullptr};
      info_ptrs[i] = &infos[i];
      all_valued = all_valued && k.value.has_value();
    }
    if (!inputs_known) continue;
    kernels::InferContext ctx(node, info_ptrs, node.outputs.size());
    if (!op->infer(ctx).is_ok() || !ctx.check_outputs().is_ok()) continue;

    bool small = true;
    for (size_t o = 0; o < node.outputs.size(); ++o) {
      if (node.outputs[o] == ir::kNoValue) continue;
      if (ctx.output_dynamic(static_cast<int>(o)) ||
          ctx.output(static_cast<int>(o)).shape.numel() > kMaxFoldedElements) {
        small = false;
      }
    }
    const bool shape_only = node.op == ir::OpType::kShape;
    std::optional<std::vector<Tensor>> folded;
    if (small && (all_valued || shape_only)) {
      std::vector<Tensor> inputs(node.inputs.size());
      for (size_t i = 0; i < node.inputs.size(); ++i) {
        if (info_ptrs[i] == nullptr) continue;
        inputs[i] = infos[i].value ? *infos[i].value : Tensor(infos[i].dtype, infos[i].shape, nullptr);
      }
      auto outputs = kernels::run_node(node, inputs, kernels::KernelVariant::kReference, serial);
      if (outputs.is_ok()) folded = std::move(*outputs);
    }
    for (size_t o = 0; o < node.outputs.size(); ++o) {
      ir::ValueId out = node.outputs[o];
      if (out == ir::kNoValue || ctx.output_dynamic(static_cast<int>(o))) continue;
      const kernels::TensorInfo& info = ctx.output(static_cast<int>(o));
      Known& k = known[static_cast<size_t>(out)];
      k = {true, info.dtype, info.shape, std::nullopt};
      if (folded) k.value = (*folded)[o];
    }
  }
  return known;
}

const StaticShapes::Known* StaticShapes::known(size_t probe, ir::ValueId v) const {
  if (v < 0 || static_cast<size_t>(v) >= probes_[probe].size()) return nullptr;
  const Known& k = probes_[probe][static_cast<size_t>(v)];
  return k.known ? &k : nullptr;
}

std::optional<std::vector<int64_t>> StaticShapes::dims(ir::ValueId v) const {
  const Known* first = known(0, v);
  if (first == nullptr) return std::nullopt;
  std::vector<int64_t> dims = first->shape.to_vector();
  for (size_t p = 1; p < probes_.size(); ++p) {
    const Known* k = known(p, v);
    if (k == nullptr || k->shape.rank() != first->shape.rank()) return std::nullopt;
    for (int a = 0; a < k->shape.rank(); ++a) {
      if (k->shape[a] != dims[static_cast<size_t>(a)]) dims[static_cast<size_t>(a)] = -1;
    }
  }
  return dims;
}

std::optional<int> StaticShapes::rank(ir::ValueId v) const {
  auto d = dims(v);
  if (!d) return std::nullopt;
  return static_cast<int>(d->size());
}

DType StaticShapes::dtype(ir::ValueId v) const {
  const Known* k = known(0, v);
  return k == nullptr ? DType::kUndefined : k->dtype;
}

std::optional<int64_t> StaticShapes::dim(ir::ValueId v, int axis) const {
  auto d = dims(v);
  if (!d) return std::nullopt;
  const int r = static_cast<int>(d->size());
  if (axis < 0) axis += r;
  if (axis < 0 || axis >= r || (*d)[static_cast<size_t>(axis)] < 0) return std::nullopt;
  return (*d)[static_cast<size_t>(axis)];
}

bool StaticShapes::same_dim(ir::ValueId u, int a, ir::ValueId v, int b) const {
  for (size_t p = 0; p < probes_.size(); ++p) {
    const Known* ku = known(p, u);
    const Known* kv = known(p, v);
    if (ku == nullptr || kv == nullptr) return false;
    const int ra = a < 0 ? a + ku->shape.rank() : a;
    const int rb = b < 0 ? b + kv->shape.rank() : b;
    if (ra < 0 || ra >= ku->shape.rank() || rb < 0 || rb >= kv->shape.rank()) return false;
    if (ku->shape[ra] != kv->shape[rb]) return false;
  }
  return true;
}

}  // namespace recinfer::passes
