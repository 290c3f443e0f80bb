// Saves an ir::Graph as an ONNX model file (`recinfer optimize`), the inverse of load_model.
//
// What is written: a ModelProto with ir_version 8, an opset import for the default domain at
// graph.opset, plus {ai.recinfer, 1} iff some node (subgraphs included) is an ai.recinfer op.
// - Nodes keep op, domain, name and every attribute (tensors and subgraphs included). Omitted
//   optional inputs/outputs are written as "" (trailing ones too, so a reload gives the same
//   node.inputs/outputs). Subgraphs become GraphProtos that read the enclosing scope by name: the
//   owning node's inputs beyond num_declared_inputs are matched to the attributes' captures in
//   attribute-name order, as the converter and the verifier do.
// - Graph inputs/outputs carry dtype and declared shape (fixed dims and dim_params); other node
//   outputs with a known dtype or shape are written as value_info.
// - Initializers: the constant values no node produces that some node or graph output reads
//   (unused constants are dropped).
// - Value names are unique in their scope chain (a subgraph never shadows an enclosing name) and
//   non-empty: original names are kept where possible, graph inputs/outputs first; clashing or
//   empty names get a generated one.
// - Initializers of at least `external_data_threshold` bytes go to one file `<path>.data` next to
//   the model, referenced by its bare file name, each at a 64-byte aligned offset so load_model
//   maps it zero-copy. Empty tensors and tensor attributes (Constant values, read by ONNX shape
//   inference) are always inline. No .data file is written when nothing goes there.
//
// The graph is verified first (ir::verify_graph). Both files are written to temporaries and
// renamed into place only when complete; a failed save removes its temporaries and returns a
// Status (io_error naming the path for file-system failures), never a partial model file.
// Thread-safety: save_model only reads `graph`; concurrent saves to different paths are fine.
#pragma once

#include <cstddef>
#include <string>

#include "ir/graph.h"
#include "recinfer/status.h"

namespace recinfer::onnx_io {

struct SaveOptions {
  // Initializers of at least this many bytes go to <path>.data; SIZE_MAX keeps all inline.
  size_t external_data_threshold = 1024;
  std::string producer = "recinfer";
};

inline constexpr int64_t kSavedIrVersion = 8;

Status save_model(const ir::Graph& graph, const std::string& path, const SaveOptions& options = {});

}  // namespace recinfer::onnx_io
