// A static execution plan of a CompiledGraph for one binding of input shapes: per-value storage
// (input, constant, arena offset, or dynamic), the steps to run, and the arena size.
// Built once per batch-size bucket; executing it performs no heap allocation unless some steps
// are dynamic (data-dependent shapes), which allocate only for their own outputs.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "recinfer/limits.h"
#include "runtime/compiled_graph.h"

namespace recinfer::runtime {

// kInputView: a view op (Reshape, Squeeze, ...) of a graph input, rebound to the request's
// tensor at the start of every run instead of copied by a step.
enum class SlotKind { kUnused, kInput, kConstant, kArena, kDynamic, kInputView };

struct Slot {
  SlotKind kind = SlotKind::kUnused;
  DType dtype = DType::kUndefined;
  Shape shape;             // static slots only
  size_t offset = 0;       // kArena
  int input_index = -1;    // kInput: index into graph inputs followed by captures
  int view_of = -1;        // kInputView: the kInput slot it views
  Tensor constant;         // kConstant
};

struct Step {
  int node = 0;
  bool dynamic = false;         // shapes are inferred and outputs allocated when it runs
  std::vector<int> input_slots;  // -1 for an omitted optional input
  int first_output_slot = 0;    // a node's outputs occupy consecutive slots
  int num_outputs = 0;
};

struct PlanStats {
  int folded_nodes = 0;
  int input_views = 0;  // view ops of graph inputs that need no step
  int dynamic_steps = 0;
  int aliased_values = 0;
};

struct Plan {
  std::vector<Slot> slots;
  std::vector<int> value_slot;  // ValueId -> slot
  std::vector<Step> steps;
  std::vector<int> input_slots;  // graph inputs, then captures
  std::vector<int> output_slots;
  std::vector<int> input_view_slots;  // kInputView slots, rebound every run
  size_t arena_bytes = 0;
  PlanStats stats;
  Limits limits;  // the plan was checked against these; its executors apply them at run time
};

// What is known about a graph input (or capture) when planning; nullopt = shape unknown.
struct InputBinding {
  DType dtype = DType::kUndefined;
  Shape shape;
  // A ragged input (plan_key.h): `shape` is one request's; the plan must not depend on its
  // length, so Shape of it is computed at run time instead of folded into a constant.
  bool free_length = false;
};

struct PlanOptions {
  // Nodes whose inputs are all constant are evaluated at plan time if every output has at most
  // this many elements.
  int64_t fold_max_elements = int64_t{1} << 16;
  // Every planned tensor must fit max_tensor_bytes and the arena arena_limit(); build_plan
  // fails before anything is allocated otherwise.
  Limits limits;
};

Result<std::shared_ptr<const Plan>> build_plan(const CompiledGraph& graph,
                                               const std::vector<std::optional<InputBinding>>& inputs,
                                               const PlanOptions& options = {});

}  // namespace recinfer::runtime
