// Loads an ONNX model file into an ir::Graph. The only place (with tensor_proto) that touches
// protobuf. Validates as it goes: every problem is a Status naming the node/tensor and value.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ir/graph.h"
#include "recinfer/status.h"

namespace recinfer::onnx_io {

struct LoadedModel {
  std::shared_ptr<ir::Graph> graph;
  int64_t ir_version = 0;
  int opset = 0;
  std::string producer;
};

inline constexpr int kMaxSupportedOpset = 17;
// recinfer's fused-op domain (docs/ai_recinfer_ops.md) and the one version of it there is.
inline constexpr const char* kRecinferDomain = "ai.recinfer";
inline constexpr int kRecinferDomainVersion = 1;

// Whether recinfer can run an op it knows by name; given, load errors list every op it says no
// to together with the ops recinfer does not know at all.
using OpSupportFn = bool (*)(ir::OpType op);

// `path`: the .onnx file; external data is resolved relative to its folder.
Result<LoadedModel> load_model(const std::string& path, OpSupportFn supported = nullptr);
// Same from bytes in memory (external data relative to `model_dir`).
Result<LoadedModel> load_model_from_bytes(const void* data, size_t size,
                                          const std::string& model_dir,
                                          OpSupportFn supported = nullptr);

}  // namespace recinfer::onnx_io
