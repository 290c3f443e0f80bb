// Static memory planning: given buffers with sizes and lifetimes (inclusive step ranges over the
// execution order), assign arena offsets so that buffers alive at the same time never overlap.
// Greedy by size (after XNNPACK / TFLite): largest buffer first, each into the smallest gap
// between already-placed, time-overlapping buffers that fits it, else above them all.
// A pure function: no I/O, no global state.
#pragma once

#include <cstddef>
#include <vector>

namespace recinfer::planner {

struct BufferRequest {
  size_t bytes = 0;
  int first_step = 0;  // step that writes it first
  int last_step = 0;   // last step that reads it (inclusive)
};

struct MemoryPlan {
  std::vector<size_t> offsets;  // one per request, multiples of `alignment`
  size_t arena_bytes = 0;
};

MemoryPlan plan_memory(const std::vector<BufferRequest>& requests, size_t alignment = 64);

// True when no two time-overlapping buffers share bytes (used by tests and debug checks).
bool plan_is_valid(const std::vector<BufferRequest>& requests, const MemoryPlan& plan);

}  // namespace recinfer::planner
