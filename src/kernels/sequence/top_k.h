// TopK selection shared by the kernel (top_k.cc) and its selection loops (top_k_select.cc).
#pragma once

#include <cstdint>

#include "kernels/parallel.h"
#include "recinfer/status.h"
#include "recinfer/tensor.h"

namespace recinfer::kernels::sequence {

// The input seen as outer x n x inner with selection along n.
struct TopKSplit {
  int64_t outer = 1;
  int64_t n = 0;
  int64_t inner = 1;
  int64_t k = 0;
  bool largest = true;
};

// Writes the k best of each of the outer*inner columns of x into values/indices (both shaped
// outer x k x inner), best first; equal values keep the smaller index first, NaN ranks above
// every number. The fast version keeps a k-element heap in the indices output (O(n log k), no
// scratch); the reference stably sorts each whole column.
Status top_k_heap(const Tensor& x, const TopKSplit& split, Tensor& values, Tensor& indices,
                  ParallelFor& parallel);
Status top_k_reference(const Tensor& x, const TopKSplit& split, Tensor& values, Tensor& indices);

}  // namespace recinfer::kernels::sequence
