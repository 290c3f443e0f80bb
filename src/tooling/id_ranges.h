// Which model inputs are embedding ids, and how many rows the table they index has: what a load
// generator needs to draw realistic ids (tooling/request_generator.h). Read off the optimised
// graph (after the passes, exporter Loops are EmbeddingBag ops): an input whose values reach,
// through Cast and shape-only ops, the ids operand of a Gather (axis 0) or an ai.recinfer
// EmbeddingBag/MaskedGather over a constant table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "recinfer/limits.h"
#include "recinfer/session.h"
#include "recinfer/status.h"

namespace recinfer::tooling {

struct ModelIdInputs {
  std::vector<TensorSpec> specs;  // the model's inputs, as Session::inputs() reports them
  // Per input: the row count of the smallest table its values index, or 0 when they index none
  // that the graph shows.
  std::vector<int64_t> rows;
};

// Reads the model without compiling it (a load generator needs no kernels).
Result<ModelIdInputs> find_id_inputs(const std::string& model_path, const Limits& limits = {});

}  // namespace recinfer::tooling
