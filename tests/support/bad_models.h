// Small malformed or hostile models (issue 12), built with the onnx protobuf API: shared by the
// unit tests and by tests/e2e/make_bad_models.cc, which writes them for the CLI-level checks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "support/model_builder.h"

namespace recinfer::testing {

// ReduceSum (opset 11) of x (2, 3) over `axes` = [1] held as ints, but with the attribute's type
// field set to `declared` (onnx::AttributeProto::INTS is the valid model). keepdims 0.
ModelBuilder reduce_axes_model(int declared);
// Relu with no graph output.
ModelBuilder no_outputs_model();
// Relu with `version` as the default-domain opset_import.
ModelBuilder opset_model(int64_t version);
// Gemm(a (2, 3), b (3, 4) constant) with the given transB value.
ModelBuilder gemm_trans_model(int64_t trans_b);
// ai.recinfer EmbeddingBag over a (4, 2) table: inputs ids (N) and offsets (B), int64; output
// (B, 2), mode sum.
ModelBuilder embedding_bag_model();
// Loop with trip count M = `trip_count` (an initializer), carrying x (1) float32 (the graph
// input) through an Identity body; the Loop node is named "counting_loop".
ModelBuilder loop_model(int64_t trip_count);
// Relu on x (2) plus an initializer "w" of float32 `dims`, zero-filled; `external` stores it in
// "weights.bin" next to the model (written by write_external_model).
ModelBuilder initializer_model(const std::vector<int64_t>& dims, bool external);
// Writes `dir`/model.onnx and, when the model has an external initializer, `dir`/weights.bin.
std::string write_external_model(const ModelBuilder& builder, const std::string& dir,
                                 const std::vector<int64_t>& dims);
// Expand(x (1), shape) to `shape` (a constant): the planned output is huge. Node "big_expand".
ModelBuilder expand_model(const std::vector<int64_t>& shape);

// Writes `dir`/input_<k>.pb for int64 tensors (1-D).
void write_int64_inputs(const std::string& dir, const std::vector<std::vector<int64_t>>& inputs);

}  // namespace recinfer::testing
