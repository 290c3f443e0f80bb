#include "onnx/model_loader.h"

#include <climits>
#include <filesystem>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <onnx/onnx_pb.h>

#include "core/mapped_file.h"
#include "onnx/graph_converter.h"
#include "onnx/op_coverage.h"

namespace recinfer::onnx_io {

Result<LoadedModel> load_model_from_bytes(const void* data, size_t size,
                                          const std::string& model_dir,
                                          const LoadOptions& options) {
  if (size > static_cast<size_t>(INT_MAX)) {
    return unsupported("model is {} bytes; protobuf models must be under 2 GiB (use external data)",
                       size);
  }
  onnx::ModelProto proto;
  google::protobuf::io::ArrayInputStream stream(data, static_cast<int>(size));
  google::protobuf::io::CodedInputStream coded(&stream);
  coded.SetTotalBytesLimit(INT_MAX);
  if (!proto.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) {
    return invalid_argument("not a valid ONNX ModelProto (truncated or corrupt protobuf)");
  }
  if (!proto.has_graph()) return invalid_argument("ONNX model has no graph");

  OpsetInfo opset;
  bool found_default = false;
  for (const auto& import : proto.opset_import()) {
    if (import.domain().empty() || import.domain() == "ai.onnx") {
      if (import.version() < 1 || import.version() > kMaxKnownOpset) {
        return invalid_argument("opset_import of the default domain has version {}; ONNX "
                                "opsets are 1 to {} (recinfer supports up to {})",
                                import.version(), kMaxKnownOpset, kMaxSupportedOpset);
      }
      opset.default_opset = static_cast<int>(import.version());
      found_default = true;
    } else if (import.domain() == kRecinferDomain) {
      if (import.version() != kRecinferDomainVersion) {
        return unsupported("model imports domain {} version {} (recinfer supports version {})",
                           kRecinferDomain, import.version(), kRecinferDomainVersion);
      }
      opset.recinfer_opset = kRecinferDomainVersion;
    }
    // Other domains (ai.onnx.ml, ...) are accepted here; a node that uses one of their ops is
    // reported as unsupported by the converter.
  }
  if (!found_default) opset.default_opset = proto.ir_version() < 3 ? 1 : 1;
  if (opset.default_opset > kMaxSupportedOpset) {
    return unsupported("model uses opset {} (recinfer supports up to {})", opset.default_opset,
                       kMaxSupportedOpset);
  }

  if (proto.graph().output_size() == 0) {
    return invalid_argument("graph '{}' has no outputs: running it would compute nothing",
                            proto.graph().name());
  }
  RI_RETURN_IF_ERROR(
      check_op_coverage(scan_op_coverage(proto.graph(), opset.default_opset, options.supported)));
  ExternalDataResolver resolver(model_dir, {options.limits.max_tensor_bytes,
                                            options.allow_external_hardlinks});
  RI_ASSIGN_OR_RETURN(ConvertedGraph converted,
                      convert_graph(proto.graph(), opset, resolver, nullptr));
  LoadedModel model;
  model.graph = std::move(converted.graph);
  model.ir_version = proto.ir_version();
  model.opset = opset.default_opset;
  model.producer = proto.producer_name() + (proto.producer_version().empty()
                                                ? ""
                                                : " " + proto.producer_version());
  return model;
}

Result<LoadedModel> load_model(const std::string& path, const LoadOptions& options) {
  RI_ASSIGN_OR_RETURN(auto file, MappedFile::open(path));
  // External data lives next to the real model file: a symlinked model.onnx (a folder of links to
  // a model, as `recinfer bench --save-inputs` writes) reads the weights of the model it links to.
  std::error_code ec;
  std::filesystem::path real = std::filesystem::canonical(path, ec);
  std::string dir = (ec ? std::filesystem::path(path) : real).parent_path().string();
  auto model = load_model_from_bytes(file->data(), file->size(), dir.empty() ? "." : dir, options);
  if (!model.is_ok()) return model.status().with_context(path);
  return model;
}

}  // namespace recinfer::onnx_io
