// Compares outputs with references: floats within atol + rtol*|ref| (NaN matches NaN), integers
// and bools exactly. TopK-aware: an int64 index output may differ from the reference where the
// paired value output (same shape, float) holds a value that is tied within its row.
#pragma once

#include <string>
#include <vector>

#include "recinfer/tensor.h"

namespace recinfer::tooling {

struct Tolerance {
  double atol = 1e-4;
  double rtol = 1e-3;
};

struct CompareResult {
  bool ok = true;
  std::string message;  // first mismatch, with index and values
  double max_abs_error = 0.0;
  int tie_swaps = 0;
};

CompareResult compare_tensor(const Tensor& got, const Tensor& ref, const Tolerance& tol);

// Compares all outputs; applies the TopK tie rule between index/value output pairs.
CompareResult compare_outputs(const std::vector<Tensor>& got, const std::vector<Tensor>& ref,
                              const Tolerance& tol);

}  // namespace recinfer::tooling
