// What a model file holds, read from the protobuf without converting it: its op histogram, op
// coverage, and the features that put a model outside what recinfer runs by design (training
// ops, strings, sequences/optionals). Works on models that do not load, so `inspect` can still
// describe them and `conformance` can say why a case is skipped.
#pragma once

#include <map>
#include <string>

#include "onnx/op_coverage.h"

namespace recinfer::onnx_io {

struct ModelSurvey {
  int opset = 0;             // the default domain's
  int64_t ir_version = 0;
  std::string producer;
  // Node count per op: "Op" for the default domain, "domain.Op" otherwise; subgraph nodes under
  // "Op (in subgraph)".
  std::map<std::string, int> histogram;
  OpCoverage coverage;       // given `supported`, the ops it says no to count as unsupported
  // Ops or attributes that only make sense when training: the ai.onnx.preview.training domain,
  // BatchNormalization training_mode=1, Dropout given a training_mode input.
  std::string training_op;   // the first such node, "" when none
  std::string string_use;    // the first string-typed graph value or string op, "" when none
  std::string sequence_use;  // the first sequence/optional graph value or op, "" when none
};

Result<ModelSurvey> survey_model(const std::string& path, OpSupportFn supported = nullptr);

}  // namespace recinfer::onnx_io
