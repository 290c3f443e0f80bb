// What a static plan is specialised for: the dtypes and shapes of a request's inputs, except
// the length of ragged inputs. A ragged input is a 1-D tensor whose length varies from request
// to request without changing any other shape — the flat id lists of EmbeddingBag (and their
// per-sample weights), read only by EmbeddingBag and Shape (CompiledGraph::ragged_inputs()).
// One plan then serves every id count, so serving DLRM traffic does not build a plan (or keep
// one more) per request; the plan computes whatever depends on the count at run time.
#pragma once

#include <optional>
#include <vector>

#include "recinfer/tensor.h"
#include "runtime/plan.h"

namespace recinfer::runtime {

struct PlanKey {
  std::vector<DType> dtypes;
  std::vector<Shape> shapes;  // a ragged input's dim 0 is stored as -1
  std::vector<char> ragged;   // per input

  // `ragged` may be shorter than `inputs` (missing entries are not ragged).
  static PlanKey of(const std::vector<Tensor>& inputs, const std::vector<char>& ragged);
  // Allocation-free comparison against a request.
  bool matches(const std::vector<Tensor>& inputs) const;
  // Whether input i's length is left free in the plan (ragged and 1-D).
  bool is_free(size_t i) const;
  // What build_plan is told about `inputs` (a request this key matches).
  std::vector<std::optional<InputBinding>> bindings(const std::vector<Tensor>& inputs) const;
};

}  // namespace recinfer::runtime
