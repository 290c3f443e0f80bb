#include "onnx/model_writer.h"

#include <climits>
#include <filesystem>
#include <fstream>
#include <set>

#include <onnx/onnx_pb.h>

#include "ir/verifier.h"
#include "onnx/dtype_map.h"
#include "onnx/model_loader.h"
#include "onnx/tensor_proto.h"

namespace recinfer::onnx_io {

namespace fs = std::filesystem;

namespace {

// The external data file, opened on first use under a temporary name.
struct DataFile {
  std::string tmp_path;
  std::string location;  // bare file name, as referenced from the model
  std::ofstream out;
  uint64_t size = 0;
};

struct WriteContext {
  const SaveOptions& options;
  DataFile& data;
  bool uses_recinfer = false;
};

Status write_external(const Tensor& tensor, DataFile& data, onnx::TensorProto* proto) {
  if (!data.out.is_open()) {
    data.out.open(data.tmp_path, std::ios::binary | std::ios::trunc);
    if (!data.out) return io_error("cannot create external data file '{}'", data.tmp_path);
  }
  // Pad to a 64-byte boundary so the loader's mapping views the tensor without copying.
  const uint64_t offset = (data.size + kTensorAlignment - 1) / kTensorAlignment * kTensorAlignment;
  static const char kZeros[kTensorAlignment] = {};
  data.out.write(kZeros, static_cast<std::streamsize>(offset - data.size));
  data.out.write(static_cast<const char*>(tensor.raw()), static_cast<std::streamsize>(tensor.bytes()));
  if (!data.out) return io_error("failed writing external data file '{}'", data.tmp_path);
  data.size = offset + tensor.bytes();

  proto->set_data_type(dtype_to_onnx(tensor.dtype()));
  for (int64_t d : tensor.shape()) proto->add_dims(d);
  proto->set_data_location(onnx::TensorProto::EXTERNAL);
  auto add = [&](const char* key, const std::string& value) {
    auto* entry = proto->add_external_data();
    entry->set_key(key);
    entry->set_value(value);
  };
  add("location", data.location);
  add("offset", std::to_string(offset));
  add("length", std::to_string(tensor.bytes()));
  return Status::ok();
}

// `may_externalize`: initializers only. Tensor attributes (Constant values: axes, shapes) stay
// inline because ONNX shape inference, and so other runtimes, cannot read them from a file.
Status write_tensor(const Tensor& tensor, const std::string& name, bool may_externalize,
                    WriteContext& ctx, onnx::TensorProto* proto) {
  if (tensor.dtype() == DType::kUndefined || tensor.dtype() == DType::kString) {
    return unsupported("tensor '{}' has dtype {}, which cannot be saved", name,
                       dtype_name(tensor.dtype()));
  }
  if (tensor.bytes() > 0 && tensor.raw() == nullptr) {
    return internal_error("tensor '{}' of shape {} has no data", name, tensor.shape().to_string());
  }
  if (!may_externalize || tensor.bytes() == 0 ||
      tensor.bytes() < ctx.options.external_data_threshold) {
    tensor_to_proto(tensor, name, proto);
    return Status::ok();
  }
  proto->Clear();
  proto->set_name(name);
  return write_external(tensor, ctx.data, proto);
}

void write_type(const ir::Value& value, onnx::ValueInfoProto* info) {
  if (value.dtype == DType::kUndefined && !value.declared_shape) return;
  auto* tensor_type = info->mutable_type()->mutable_tensor_type();
  if (value.dtype != DType::kUndefined) tensor_type->set_elem_type(dtype_to_onnx(value.dtype));
  if (!value.declared_shape) return;
  auto* shape = tensor_type->mutable_shape();
  for (const ir::Dim& d : *value.declared_shape) {
    auto* dim = shape->add_dim();
    if (d.is_fixed()) {
      dim->set_dim_value(d.size);
    } else if (!d.symbol.empty()) {
      dim->set_dim_param(d.symbol);
    }
  }
}

// Names every value of `g` uniquely within its scope chain. `taken` enters with the names of the
// enclosing scopes and leaves with this graph's names added; captures take the names of the
// enclosing values they are bound to, graph inputs/outputs keep theirs before anything else.
std::vector<std::string> name_values(const ir::Graph& g,
                                     const std::vector<std::string>& capture_names,
                                     std::set<std::string, std::less<>>& taken) {
  std::vector<std::string> names(g.values.size());
  for (size_t k = 0; k < g.captures.size(); ++k) {
    names[static_cast<size_t>(g.captures[k])] = capture_names[k];
  }
  auto assign = [&](ir::ValueId id) {
    std::string& name = names[static_cast<size_t>(id)];
    if (!name.empty()) return;
    const std::string& wanted = g.value(id).name;
    std::string base = wanted.empty() ? fmt::format("value_{}", id) : wanted;
    name = base;
    for (int suffix = 1; taken.count(name) > 0; ++suffix) name = fmt::format("{}_{}", base, suffix);
    taken.insert(name);
  };
  for (ir::ValueId id : g.inputs) assign(id);
  for (ir::ValueId id : g.outputs) assign(id);
  for (size_t v = 0; v < g.values.size(); ++v) assign(static_cast<ir::ValueId>(v));
  return names;
}

Status write_graph(const ir::Graph& g, const std::vector<std::string>& capture_names,
                   std::set<std::string, std::less<>> taken, WriteContext& ctx,
                   onnx::GraphProto* proto);

Status write_attribute(const ir::Node& node, const std::string& key, const ir::Attribute& attr,
                       std::vector<std::string> capture_names,
                       const std::set<std::string, std::less<>>& taken, WriteContext& ctx,
                       onnx::AttributeProto* proto) {
  using AP = onnx::AttributeProto;
  using Kind = ir::Attribute::Kind;
  proto->set_name(key);
  switch (attr.kind) {
    case Kind::kInt: proto->set_type(AP::INT); proto->set_i(attr.i); break;
    case Kind::kFloat: proto->set_type(AP::FLOAT); proto->set_f(attr.f); break;
    case Kind::kString: proto->set_type(AP::STRING); proto->set_s(attr.s); break;
    case Kind::kInts:
      proto->set_type(AP::INTS);
      proto->mutable_ints()->Add(attr.ints.begin(), attr.ints.end());
      break;
    case Kind::kFloats:
      proto->set_type(AP::FLOATS);
      proto->mutable_floats()->Add(attr.floats.begin(), attr.floats.end());
      break;
    case Kind::kStrings:
      proto->set_type(AP::STRINGS);
      for (const std::string& s : attr.strings) proto->add_strings(s);
      break;
    case Kind::kTensor:
      proto->set_type(AP::TENSOR);
      return write_tensor(attr.tensor, node.name + "." + key, false, ctx, proto->mutable_t());
    case Kind::kGraph:
      proto->set_type(AP::GRAPH);
      if (!attr.graph) return internal_error("{}: graph attribute '{}' is empty", node.describe(), key);
      return write_graph(*attr.graph, capture_names, taken, ctx, proto->mutable_g());
  }
  return Status::ok();
}

Status write_node(const ir::Node& node, const std::vector<std::string>& names,
                  const std::set<std::string, std::less<>>& taken, WriteContext& ctx,
                  onnx::NodeProto* proto) {
  proto->set_op_type(std::string(ir::op_name(node.op)));
  const std::string_view domain = ir::op_domain(node.op);
  if (!domain.empty()) proto->set_domain(std::string(domain));
  ctx.uses_recinfer |= domain == kRecinferDomain;
  proto->set_name(node.name);
  auto name_of = [&](ir::ValueId id) {
    return id == ir::kNoValue ? std::string() : names[static_cast<size_t>(id)];
  };
  const auto declared = static_cast<size_t>(node.num_declared_inputs);
  for (size_t i = 0; i < declared; ++i) proto->add_input(name_of(node.inputs[i]));
  for (ir::ValueId out : node.outputs) proto->add_output(name_of(out));

  // Inputs beyond the declared ones are the subgraphs' captures, in attribute-name order (the
  // verifier has checked that the counts agree).
  size_t next_capture = declared;
  for (const auto& [key, attr] : node.attributes) {
    std::vector<std::string> capture_names;
    if (attr.kind == ir::Attribute::Kind::kGraph && attr.graph) {
      for (size_t k = 0; k < attr.graph->captures.size(); ++k, ++next_capture) {
        if (next_capture >= node.inputs.size() || node.inputs[next_capture] == ir::kNoValue) {
          return internal_error("{}: attribute '{}' capture {} is not bound to an input",
                                node.describe(), key, k);
        }
        capture_names.push_back(names[static_cast<size_t>(node.inputs[next_capture])]);
      }
    }
    Status st = write_attribute(node, key, attr, std::move(capture_names), taken, ctx,
                                proto->add_attribute());
    if (!st.is_ok()) return st.with_context(fmt::format("{}: attribute '{}'", node.describe(), key));
  }
  return Status::ok();
}

Status write_graph(const ir::Graph& g, const std::vector<std::string>& capture_names,
                   std::set<std::string, std::less<>> taken, WriteContext& ctx,
                   onnx::GraphProto* proto) {
  if (capture_names.size() != g.captures.size()) {
    return internal_error("graph '{}' has {} captures but {} bound values", g.name,
                          g.captures.size(), capture_names.size());
  }
  const std::vector<std::string> names = name_values(g, capture_names, taken);
  proto->set_name(g.name.empty() ? "graph" : g.name);

  const std::vector<int> producers = g.producers();
  std::vector<char> used(g.values.size(), 0);
  // Inputs and captures are never initializers; inputs, outputs and captures get no value_info.
  std::vector<char> bound(g.values.size(), 0);
  std::vector<char> described(g.values.size(), 0);
  for (const ir::Node& node : g.nodes) {
    for (ir::ValueId in : node.inputs) {
      if (in != ir::kNoValue) used[static_cast<size_t>(in)] = 1;
    }
  }
  for (ir::ValueId id : g.captures) bound[static_cast<size_t>(id)] = 1;
  for (ir::ValueId id : g.inputs) {
    auto* info = proto->add_input();
    info->set_name(names[static_cast<size_t>(id)]);
    write_type(g.value(id), info);
    bound[static_cast<size_t>(id)] = 1;
  }
  for (ir::ValueId id : g.outputs) {
    auto* info = proto->add_output();
    info->set_name(names[static_cast<size_t>(id)]);
    write_type(g.value(id), info);
    used[static_cast<size_t>(id)] = 1;
    described[static_cast<size_t>(id)] = 1;
  }
  for (size_t v = 0; v < g.values.size(); ++v) {
    const ir::Value& value = g.value(static_cast<ir::ValueId>(v));
    if (value.constant && producers[v] < 0 && used[v] && !bound[v]) {
      RI_RETURN_IF_ERROR(write_tensor(*value.constant, names[v], true, ctx, proto->add_initializer()));
    } else if (producers[v] >= 0 && !bound[v] && !described[v] &&
               (value.dtype != DType::kUndefined || value.declared_shape)) {
      auto* info = proto->add_value_info();
      info->set_name(names[v]);
      write_type(value, info);
    }
  }
  for (const ir::Node& node : g.nodes) {
    RI_RETURN_IF_ERROR(write_node(node, names, taken, ctx, proto->add_node()));
  }
  return Status::ok();
}

// Writes `proto` to `tmp_path`, then moves the data file (when any) and the model into place.
Status commit_files(const onnx::ModelProto& proto, const std::string& path,
                    const std::string& tmp_path, DataFile& data) {
  {
    std::ofstream out(tmp_path, std::ios::binary | std::ios::trunc);
    if (!out) return io_error("cannot create '{}' (while saving '{}')", tmp_path, path);
    if (!proto.SerializeToOstream(&out) || !out.flush()) {
      return io_error("failed writing '{}' (while saving '{}')", tmp_path, path);
    }
  }
  std::error_code ec;
  if (data.out.is_open()) {
    data.out.close();
    if (!data.out) return io_error("failed writing external data file '{}'", data.tmp_path);
    const std::string final_data = path + ".data";
    fs::rename(data.tmp_path, final_data, ec);
    if (ec) return io_error("cannot move '{}' to '{}': {}", data.tmp_path, final_data, ec.message());
  }
  fs::rename(tmp_path, path, ec);
  if (ec) return io_error("cannot move '{}' to '{}': {}", tmp_path, path, ec.message());
  return Status::ok();
}

}  // namespace

Status save_model(const ir::Graph& graph, const std::string& path, const SaveOptions& options) {
  if (graph.opset <= 0) return invalid_argument("cannot save '{}': the graph has no opset", path);
  // Ids in range, values defined before use, captures bound: the writer indexes without checks.
  Status verified = ir::verify_graph(graph);
  if (!verified.is_ok()) return verified.with_context("cannot save '" + path + "'");
  const fs::path file(path);
  if (file.filename().empty()) return io_error("cannot save to '{}': not a file path", path);
  DataFile data;
  data.tmp_path = path + ".data.tmp";
  data.location = file.filename().string() + ".data";
  WriteContext ctx{options, data};

  onnx::ModelProto proto;
  proto.set_ir_version(kSavedIrVersion);
  proto.set_producer_name(options.producer);
  Status st = write_graph(graph, {}, {}, ctx, proto.mutable_graph());
  auto* import = proto.add_opset_import();
  import->set_domain("");
  import->set_version(graph.opset);
  if (ctx.uses_recinfer) {
    import = proto.add_opset_import();
    import->set_domain(kRecinferDomain);
    import->set_version(kRecinferDomainVersion);
  }
  if (st.is_ok() && proto.ByteSizeLong() > static_cast<size_t>(INT_MAX)) {
    st = unsupported("model is {} bytes; protobuf models must be under 2 GiB (lower the external "
                     "data threshold)", proto.ByteSizeLong());
  }
  const std::string tmp_path = path + ".tmp";
  if (st.is_ok()) st = commit_files(proto, path, tmp_path, data);
  if (!st.is_ok()) {
    if (data.out.is_open()) data.out.close();
    std::error_code ignored;
    fs::remove(data.tmp_path, ignored);
    fs::remove(tmp_path, ignored);
    return st.with_context("saving '" + path + "'");
  }
  return Status::ok();
}

}  // namespace recinfer::onnx_io
