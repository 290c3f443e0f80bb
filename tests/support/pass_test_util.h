// Shared by the pass tests: load a zoo model's graph, run chosen passes, count ops.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "passes/pipeline.h"
#include "recinfer/tensor.h"

namespace recinfer::passes::testing {

std::string zoo_model(const std::string& name);  // models/zoo/<name>/model.onnx
std::shared_ptr<ir::Graph> load_graph(const std::string& path);
// Runs the pipeline with every pass not in `enabled` disabled.
PipelineReport run_only(ir::Graph& graph, const std::vector<std::string>& enabled);
// Op name -> count, including subgraphs.
std::map<std::string, int> op_counts(const ir::Graph& graph);
// Runs the model with the passes on and with them off; output 0 of both must have `shape` and
// match `expected` (computed by the test from the op definitions) within `tolerance`.
void expect_outputs_both_ways(const std::string& path, const std::vector<Tensor>& inputs,
                              const std::vector<float>& expected, const Shape& shape,
                              float tolerance = 1e-5f);

// The first node of `op` in the top-level graph, or nullptr.
const ir::Node* find_op(const ir::Graph& g, ir::OpType op);
const PassReport* find_report(const PipelineReport& report, const std::string& pass);

}  // namespace recinfer::passes::testing
