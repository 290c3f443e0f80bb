#include "onnx/model_survey.h"

#include <climits>

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <onnx/onnx_pb.h>

#include "core/mapped_file.h"

namespace recinfer::onnx_io {

namespace {

constexpr int kMaxDepth = 64;  // as op_coverage: hostile nesting stays off the stack

std::string node_label(const onnx::NodeProto& node, int index) {
  return fmt::format("'{}' ({})", node.name().empty() ? fmt::format("{}_{}", node.op_type(), index)
                                                      : node.name(),
                     node.op_type());
}

bool is_sequence_or_optional_op(const std::string& op) {
  return op.rfind("Sequence", 0) == 0 || op.rfind("Optional", 0) == 0 ||
         op == "SplitToSequence" || op == "ConcatFromSequence";
}

void note_value_type(const onnx::ValueInfoProto& value, ModelSurvey& survey) {
  const onnx::TypeProto& type = value.type();
  if ((type.has_sequence_type() || type.has_optional_type()) && survey.sequence_use.empty()) {
    survey.sequence_use = fmt::format("graph value '{}' of {} type", value.name(),
                                      type.has_sequence_type() ? "sequence" : "optional");
  }
  if (type.has_tensor_type() && type.tensor_type().elem_type() == onnx::TensorProto::STRING &&
      survey.string_use.empty()) {
    survey.string_use = fmt::format("graph value '{}' of string type", value.name());
  }
}

void walk(const onnx::GraphProto& graph, int depth, ModelSurvey& survey) {
  if (depth > kMaxDepth) return;
  for (const auto& v : graph.input()) note_value_type(v, survey);
  for (const auto& v : graph.output()) note_value_type(v, survey);
  for (const auto& init : graph.initializer()) {
    if (init.data_type() == onnx::TensorProto::STRING && survey.string_use.empty()) {
      survey.string_use = fmt::format("string initializer '{}'", init.name());
    }
  }
  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto& node = graph.node(i);
    const std::string& op = node.op_type();
    const bool default_domain = node.domain().empty() || node.domain() == "ai.onnx";
    std::string key = default_domain ? op : node.domain() + "." + op;
    ++survey.histogram[depth == 0 ? key : key + " (in subgraph)"];
    if (survey.training_op.empty()) {
      bool training = node.domain() == "ai.onnx.preview.training";
      for (const auto& attr : node.attribute()) {
        if (op == "BatchNormalization" && attr.name() == "training_mode" && attr.i() != 0) training = true;
      }
      if (op == "Dropout" && node.input_size() >= 3 && !node.input(2).empty()) training = true;
      if (training) survey.training_op = node_label(node, i);
    }
    if (survey.string_use.empty()) {
      bool strings = op == "StringNormalizer" || op == "RegexFullMatch" || op == "StringConcat" ||
                     op == "StringSplit";
      for (const auto& attr : node.attribute()) {
        if (op == "Cast" && attr.name() == "to" && attr.i() == onnx::TensorProto::STRING) strings = true;
      }
      if (strings) survey.string_use = node_label(node, i);
    }
    if (survey.sequence_use.empty() && is_sequence_or_optional_op(op)) {
      survey.sequence_use = node_label(node, i);
    }
    for (const auto& attr : node.attribute()) {
      if (attr.has_g()) walk(attr.g(), depth + 1, survey);
      for (const auto& g : attr.graphs()) walk(g, depth + 1, survey);
    }
  }
}

}  // namespace

Result<ModelSurvey> survey_model(const std::string& path, OpSupportFn supported) {
  RI_ASSIGN_OR_RETURN(auto file, MappedFile::open(path));
  if (file->size() > static_cast<size_t>(INT_MAX)) {
    return unsupported("{}: model is {} bytes; protobuf models must be under 2 GiB", path,
                       file->size());
  }
  onnx::ModelProto proto;
  google::protobuf::io::ArrayInputStream stream(file->data(), static_cast<int>(file->size()));
  google::protobuf::io::CodedInputStream coded(&stream);
  coded.SetTotalBytesLimit(INT_MAX);
  if (!proto.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) {
    return invalid_argument("{}: not a valid ONNX ModelProto (truncated or corrupt protobuf)", path);
  }
  ModelSurvey survey;
  for (const auto& import : proto.opset_import()) {
    if (import.domain().empty() || import.domain() == "ai.onnx") {
      survey.opset = static_cast<int>(import.version());
    }
  }
  survey.ir_version = proto.ir_version();
  survey.producer = proto.producer_name() +
                    (proto.producer_version().empty() ? "" : " " + proto.producer_version());
  survey.coverage = scan_op_coverage(proto.graph(), survey.opset, supported);
  walk(proto.graph(), 0, survey);
  return survey;
}

}  // namespace recinfer::onnx_io
