#include "ir/graph.h"

#include <fmt/format.h>

namespace recinfer::ir {

const char* attribute_kind_name(Attribute::Kind kind) {
  switch (kind) {
    case Attribute::Kind::kInt: return "int";
    case Attribute::Kind::kFloat: return "float";
    case Attribute::Kind::kString: return "string";
    case Attribute::Kind::kInts: return "ints";
    case Attribute::Kind::kFloats: return "floats";
    case Attribute::Kind::kStrings: return "strings";
    case Attribute::Kind::kTensor: return "tensor";
    case Attribute::Kind::kGraph: return "graph";
  }
  return "unknown";
}

const Attribute* Node::attr(std::string_view key) const {
  auto it = attributes.find(key);
  return it == attributes.end() ? nullptr : &it->second;
}

int64_t Node::attr_int(std::string_view key, int64_t fallback) const {
  const Attribute* a = attr(key);
  return a && a->kind == Attribute::Kind::kInt ? a->i : fallback;
}

float Node::attr_float(std::string_view key, float fallback) const {
  const Attribute* a = attr(key);
  return a && a->kind == Attribute::Kind::kFloat ? a->f : fallback;
}

std::string Node::attr_string(std::string_view key, const std::string& fallback) const {
  const Attribute* a = attr(key);
  return a && a->kind == Attribute::Kind::kString ? a->s : fallback;
}

std::vector<int64_t> Node::attr_ints(std::string_view key) const {
  const Attribute* a = attr(key);
  return a && a->kind == Attribute::Kind::kInts ? a->ints : std::vector<int64_t>{};
}

std::vector<float> Node::attr_floats(std::string_view key) const {
  const Attribute* a = attr(key);
  return a && a->kind == Attribute::Kind::kFloats ? a->floats : std::vector<float>{};
}

const Graph* Node::attr_graph(std::string_view key) const {
  const Attribute* a = attr(key);
  return a && a->kind == Attribute::Kind::kGraph ? a->graph.get() : nullptr;
}

std::string Node::describe() const {
  return fmt::format("node '{}' ({})", name, op_name(op));
}

ValueId Graph::add_value(Value value) {
  auto id = static_cast<ValueId>(values.size());
  if (!value.name.empty()) by_name_.emplace(value.name, id);
  values.push_back(std::move(value));
  return id;
}

std::optional<ValueId> Graph::find_value(std::string_view name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

std::vector<int> Graph::producers() const {
  std::vector<int> producer(values.size(), -1);
  for (size_t n = 0; n < nodes.size(); ++n) {
    for (ValueId out : nodes[n].outputs) {
      if (out != kNoValue) producer[static_cast<size_t>(out)] = static_cast<int>(n);
    }
  }
  return producer;
}

std::vector<int> Graph::use_counts() const {
  std::vector<int> uses(values.size(), 0);
  for (const Node& node : nodes) {
    for (ValueId in : node.inputs) {
      if (in != kNoValue) ++uses[static_cast<size_t>(in)];
    }
  }
  for (ValueId out : outputs) ++uses[static_cast<size_t>(out)];
  return uses;
}

}  // namespace recinfer::ir
