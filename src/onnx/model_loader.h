// Loads an ONNX model file into an ir::Graph. The only place (with tensor_proto) that touches
// protobuf. Validates as it goes: every problem is a Status naming the node/tensor and value.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ir/graph.h"
#include "recinfer/limits.h"
#include "recinfer/status.h"

namespace recinfer::onnx_io {

struct LoadedModel {
  std::shared_ptr<ir::Graph> graph;
  int64_t ir_version = 0;
  int opset = 0;
  std::string producer;
};

inline constexpr int kMaxSupportedOpset = 17;
// Default-domain opset versions that exist at all (ONNX 1.17 defines 1..22); a version outside
// is a corrupt model, not merely an unsupported one.
inline constexpr int64_t kMaxKnownOpset = 22;
// recinfer's fused-op domain (docs/ai_recinfer_ops.md) and the one version of it there is.
inline constexpr const char* kRecinferDomain = "ai.recinfer";
inline constexpr int kRecinferDomainVersion = 1;

// Whether recinfer can run an op it knows by name.
using OpSupportFn = bool (*)(ir::OpType op);

struct LoadOptions {
  Limits limits;  // max_tensor_bytes bounds every initializer before its data is read
  // External-data files with st_nlink > 1 are refused unless this is set (see tensor_proto.h).
  bool allow_external_hardlinks = false;
  // Given, load errors list every op it says no to together with the ops recinfer does not
  // know at all, in one error (the runtime passes the op schema's answer).
  OpSupportFn supported = nullptr;
};

// `path`: the .onnx file; external data is resolved relative to its folder.
Result<LoadedModel> load_model(const std::string& path, const LoadOptions& options = {});
// Same from bytes in memory (external data relative to `model_dir`).
Result<LoadedModel> load_model_from_bytes(const void* data, size_t size,
                                          const std::string& model_dir,
                                          const LoadOptions& options = {});

}  // namespace recinfer::onnx_io
