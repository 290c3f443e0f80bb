// Which dims of a graph's values are fixed whatever its symbolic input dims are.
//
// Passes that slice weights or build index ranges need a value's width (e.g. the columns each
// Concat part contributes to a Gemm), which exports rarely declare. This runs the kernels' shape
// inference (and folds small shape subgraphs) once per probe, each probe binding every symbolic
// input dim to a different value; a dim that comes out equal in every probe does not depend on
// them. It is a cheap, conservative answer, not a proof: rewrites built on it keep the plan's
// own shape checks, so a wrong answer surfaces as a shape error at plan time, never as wrong data.
#pragma once

#include <optional>
#include <vector>

#include "ir/graph.h"
#include "recinfer/shape.h"
#include "recinfer/tensor.h"

namespace recinfer::passes {

class StaticShapes {
 public:
  // Top-level values only; values inside subgraphs and outputs of Loop nodes stay unknown.
  explicit StaticShapes(const ir::Graph& graph);

  // The value's dims, -1 where a dim differs between probes; nullopt when a probe could not
  // infer it (unknown rank).
  std::optional<std::vector<int64_t>> dims(ir::ValueId v) const;
  // Dim `axis` (negative counts from the end) when it is the same in every probe.
  std::optional<int64_t> dim(ir::ValueId v, int axis) const;
  std::optional<int> rank(ir::ValueId v) const;
  // The dtype inferred in the first probe (kUndefined when unknown).
  DType dtype(ir::ValueId v) const;
  // True when dim `a` of `u` equals dim `b` of `v` in every probe (e.g. both are the batch).
  bool same_dim(ir::ValueId u, int a, ir::ValueId v, int b) const;

 private:
  struct Known {
    bool known = false;
    DType dtype = DType::kUndefined;
    Shape shape;
    std::optional<Tensor> value;  // constants and folded small shape computations
  };
  using Probe = std::vector<Known>;

  static Probe run_probe(const ir::Graph& graph, int probe);
  const Known* known(size_t probe, ir::ValueId v) const;

  std::vector<Probe> probes_;
};

}  // namespace recinfer::passes
