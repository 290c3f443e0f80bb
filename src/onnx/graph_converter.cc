#include "onnx/graph_converter.h"

#include <onnx/onnx_pb.h>

#include <map>

#include "onnx/dtype_map.h"
#include "onnx/model_loader.h"

namespace recinfer::onnx_io {

std::optional<ir::ValueId> Scope::resolve(const std::string& name) {
  if (auto id = graph_.find_value(name)) return id;
  if (parent_ == nullptr) return std::nullopt;
  auto outer = parent_->resolve(name);
  if (!outer) return std::nullopt;
  ir::Value local;
  local.name = name;
  const ir::Value& outer_value = parent_->graph().value(*outer);
  local.dtype = outer_value.dtype;
  local.declared_shape = outer_value.declared_shape;
  ir::ValueId id = graph_.add_value(std::move(local));
  graph_.captures.push_back(id);
  captured_outer_.push_back(*outer);
  return id;
}

namespace {

const char* non_tensor_kind(const onnx::TypeProto& type) {
  if (type.has_sequence_type()) return "sequence";
  if (type.has_map_type()) return "map";
  if (type.has_optional_type()) return "optional";
  if (type.has_sparse_tensor_type()) return "sparse tensor";
  return nullptr;
}

void apply_type(const onnx::TypeProto& type, ir::Value& value) {
  if (!type.has_tensor_type()) return;
  const auto& tensor_type = type.tensor_type();
  if (tensor_type.has_elem_type()) value.dtype = dtype_from_onnx(tensor_type.elem_type());
  if (!tensor_type.has_shape()) return;
  std::vector<ir::Dim> dims;
  for (const auto& d : tensor_type.shape().dim()) {
    ir::Dim dim;
    if (d.has_dim_value()) dim.size = d.dim_value();
    if (d.has_dim_param()) dim.symbol = d.dim_param();
    dims.push_back(std::move(dim));
  }
  value.declared_shape = std::move(dims);
}

// The payload fields an AttributeProto holds, by the type each belongs to.
std::vector<onnx::AttributeProto::AttributeType> payload_types(const onnx::AttributeProto& proto) {
  using AP = onnx::AttributeProto;
  std::vector<AP::AttributeType> present;
  const std::pair<AP::AttributeType, bool> fields[] = {
      {AP::FLOAT, proto.has_f()},
      {AP::INT, proto.has_i()},
      {AP::STRING, proto.has_s()},
      {AP::TENSOR, proto.has_t()},
      {AP::GRAPH, proto.has_g()},
      {AP::SPARSE_TENSOR, proto.has_sparse_tensor()},
      {AP::TYPE_PROTO, proto.has_tp()},
      {AP::FLOATS, proto.floats_size() > 0},
      {AP::INTS, proto.ints_size() > 0},
      {AP::STRINGS, proto.strings_size() > 0},
      {AP::TENSORS, proto.tensors_size() > 0},
      {AP::GRAPHS, proto.graphs_size() > 0},
      {AP::SPARSE_TENSORS, proto.sparse_tensors_size() > 0},
      {AP::TYPE_PROTOS, proto.type_protos_size() > 0},
  };
  for (const auto& [type, has] : fields) {
    if (has) present.push_back(type);
  }
  return present;
}

// The declared type must match the payload: read by type alone, `axes` typed GRAPH but holding
// ints would be taken as absent ("reduce all" instead of "reduce axis 1").
Status check_attribute_payload(const onnx::AttributeProto& proto) {
  using AP = onnx::AttributeProto;
  const std::string declared =
      AP::AttributeType_IsValid(proto.type()) ? AP::AttributeType_Name(proto.type())
                                              : std::to_string(static_cast<int>(proto.type()));
  for (AP::AttributeType held : payload_types(proto)) {
    if (held == proto.type()) continue;
    if (proto.type() == AP::UNDEFINED) {
      return invalid_argument("type is UNDEFINED but it holds a payload ({})",
                              AP::AttributeType_Name(held));
    }
    return invalid_argument("declared type {} does not match its payload ({})", declared,
                            AP::AttributeType_Name(held));
  }
  return Status::ok();
}

// Converts one attribute; subgraph captures are appended to `node_inputs`.
Result<ir::Attribute> convert_attribute(const onnx::AttributeProto& proto, const OpsetInfo& opset,
                                        ExternalDataResolver& resolver, Scope& scope,
                                        std::vector<ir::ValueId>& node_inputs) {
  ir::Attribute a;
  using AP = onnx::AttributeProto;
  RI_RETURN_IF_ERROR(check_attribute_payload(proto));
  switch (proto.type()) {
    case AP::INT: a.kind = ir::Attribute::Kind::kInt; a.i = proto.i(); break;
    case AP::FLOAT: a.kind = ir::Attribute::Kind::kFloat; a.f = proto.f(); break;
    case AP::STRING: a.kind = ir::Attribute::Kind::kString; a.s = proto.s(); break;
    case AP::INTS:
      a.kind = ir::Attribute::Kind::kInts;
      a.ints.assign(proto.ints().begin(), proto.ints().end());
      break;
    case AP::FLOATS:
      a.kind = ir::Attribute::Kind::kFloats;
      a.floats.assign(proto.floats().begin(), proto.floats().end());
      break;
    case AP::STRINGS:
      a.kind = ir::Attribute::Kind::kStrings;
      a.strings.assign(proto.strings().begin(), proto.strings().end());
      break;
    case AP::TENSOR: {
      a.kind = ir::Attribute::Kind::kTensor;
      RI_ASSIGN_OR_RETURN(a.tensor, tensor_from_proto(proto.t(), &resolver));
      break;
    }
    case AP::GRAPH: {
      a.kind = ir::Attribute::Kind::kGraph;
      RI_ASSIGN_OR_RETURN(ConvertedGraph sub, convert_graph(proto.g(), opset, resolver, &scope));
      a.graph = std::move(sub.graph);
      node_inputs.insert(node_inputs.end(), sub.captured_outer.begin(), sub.captured_outer.end());
      break;
    }
    default:
      return unsupported("attribute '{}' has unsupported type {}", proto.name(),
                         static_cast<int>(proto.type()));
  }
  return a;
}

Status convert_node(const onnx::NodeProto& proto, size_t index, const OpsetInfo& opset,
                    ExternalDataResolver& resolver, Scope& scope) {
  ir::Graph& graph = scope.graph();
  ir::Node node;
  node.name = proto.name().empty() ? fmt::format("{}_{}", proto.op_type(), index) : proto.name();
  const bool recinfer_domain = proto.domain() == kRecinferDomain;
  if (recinfer_domain && opset.recinfer_opset == 0) {
    return invalid_argument("node '{}': op {} is in domain {}, which the model does not import",
                            node.name, proto.op_type(), kRecinferDomain);
  }
  auto op = ir::find_op(proto.domain(), proto.op_type());
  if (!op) {
    if (!proto.domain().empty() && proto.domain() != "ai.onnx") {
      return unsupported("node '{}': unsupported op {} (domain {})", node.name, proto.op_type(),
                         proto.domain());
    }
    return unsupported("node '{}': unsupported op {} (opset {})", node.name, proto.op_type(),
                       opset.default_opset);
  }
  node.op = *op;
  node.opset = recinfer_domain ? opset.recinfer_opset : opset.default_opset;
  for (const std::string& name : proto.input()) {
    if (name.empty()) {
      node.inputs.push_back(ir::kNoValue);
      continue;
    }
    auto id = scope.resolve(name);
    if (!id) {
      return invalid_argument(
          "{}: input '{}' is not defined (not a graph input, initializer or earlier output)",
          node.describe(), name);
    }
    node.inputs.push_back(*id);
  }
  node.num_declared_inputs = static_cast<int>(node.inputs.size());
  // Subgraph captures follow the declared inputs in attribute-name order (If's else_branch
  // before then_branch), whatever order the file lists the attributes in: the If kernel and the
  // model writer split them by that order.
  std::map<std::string, std::vector<ir::ValueId>, std::less<>> captures_by_attr;
  for (const auto& attr : proto.attribute()) {
    std::vector<ir::ValueId>& captured = captures_by_attr[attr.name()];
    auto converted = convert_attribute(attr, opset, resolver, scope, captured);
    if (!converted.is_ok()) {
      return converted.status().with_context(
          fmt::format("{}: attribute '{}'", node.describe(), attr.name()));
    }
    node.attributes.emplace(attr.name(), std::move(converted).value());
  }
  for (const auto& [name, captured] : captures_by_attr) {
    node.inputs.insert(node.inputs.end(), captured.begin(), captured.end());
  }
  for (const std::string& name : proto.output()) {
    if (name.empty()) {
      node.outputs.push_back(ir::kNoValue);
      continue;
    }
    if (graph.find_value(name)) {
      return invalid_argument("{}: output '{}' is already defined (graph is not SSA)",
                              node.describe(), name);
    }
    ir::Value value;
    value.name = name;
    node.outputs.push_back(graph.add_value(std::move(value)));
  }
  graph.nodes.push_back(std::move(node));
  return Status::ok();
}

}  // namespace

Result<ConvertedGraph> convert_graph(const onnx::GraphProto& proto, const OpsetInfo& opset,
                                     ExternalDataResolver& resolver, Scope* parent) {
  auto graph = std::make_shared<ir::Graph>();
  graph->name = proto.name();
  graph->opset = opset.default_opset;
  Scope scope(*graph, parent);

  for (const auto& init : proto.initializer()) {
    auto tensor = tensor_from_proto(init, &resolver);
    if (!tensor.is_ok()) return tensor.status().with_context("initializer '" + init.name() + "'");
    if (graph->find_value(init.name())) {
      return invalid_argument("initializer '{}' is defined twice", init.name());
    }
    ir::Value value;
    value.name = init.name();
    value.dtype = tensor->dtype();
    value.constant = std::move(tensor).value();
    graph->add_value(std::move(value));
  }
  for (const auto& input : proto.input()) {
    if (auto existing = graph->find_value(input.name())) {
      // IR < 4: initializers are listed as inputs too; they stay constants.
      continue;
    }
    if (const char* kind = non_tensor_kind(input.type())) {
      return unsupported("graph input '{}' is a {} (only tensors are supported)", input.name(), kind);
    }
    ir::Value value;
    value.name = input.name();
    apply_type(input.type(), value);
    graph->inputs.push_back(graph->add_value(std::move(value)));
  }
  for (int i = 0; i < proto.node_size(); ++i) {
    RI_RETURN_IF_ERROR(convert_node(proto.node(i), static_cast<size_t>(i), opset, resolver, scope));
  }
  for (const auto& info : proto.value_info()) {
    if (auto id = graph->find_value(info.name())) {
      ir::Value& value = graph->value(*id);
      if (!value.constant) apply_type(info.type(), value);
    }
  }
  for (const auto& output : proto.output()) {
    if (const char* kind = non_tensor_kind(output.type())) {
      return unsupported("graph output '{}' is a {} (only tensors are supported)", output.name(), kind);
    }
    auto id = scope.resolve(output.name());
    if (!id) return invalid_argument("graph output '{}' is never produced", output.name());
    ir::Value& value = graph->value(*id);
    if (!value.constant) apply_type(output.type(), value);
    graph->outputs.push_back(*id);
  }
  return ConvertedGraph{graph, scope.captured_outer()};
}

}  // namespace recinfer::onnx_io
