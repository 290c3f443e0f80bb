// Lowering a bound Einsum (einsum_equation.h) to batched GEMMs. Operands are contracted left to
// right; for each pair the labels split into batch (in both, still needed), K (in both, summed
// here), M (first only) and N (second only), and labels that only one operand has and nothing
// later needs are summed away while that operand is copied. An operand is copied (permuted,
// diagonal taken, summed) only when its memory is not already a [batch, M, K] or [batch, K, M]
// matrix stack; of all label orders the plan picks the one that copies the fewest elements,
// and writes the last product straight into the output when its order allows.
// Plans are fixed-size values: the kernel builds one per run without touching the heap.
#pragma once

#include <cstdint>

#include "kernels/conv/einsum_equation.h"

namespace recinfer::kernels::conv {

struct EinsumBuffer {
  enum Kind : uint8_t { kInput, kScratch, kOutput };
  Kind kind = kInput;
  int64_t index = 0;  // input index, or element offset into the scratch buffer
};

// dst (contiguous over dim[]) = sum over red_dim[] of src at the given element strides.
struct EinsumGather {
  EinsumBuffer src, dst;
  int rank = 0;
  int64_t dim[kEinsumMaxViewDims] = {};
  int64_t stride[kEinsumMaxViewDims] = {};
  int red_rank = 0;
  int64_t red_dim[kEinsumMaxViewDims] = {};
  int64_t red_stride[kEinsumMaxViewDims] = {};
};

struct EinsumGemmOperand {
  EinsumBuffer buffer;
  bool trans = false;
  int64_t batch_stride = 0;
};

// y[batch] (m x n) = a[batch] (m x k) * b[batch] (k x n), all matrices contiguous.
struct EinsumStep {
  bool gather_a = false, gather_b = false;
  EinsumGather a_gather, b_gather;  // run first when the flag is set; they fill a / b
  EinsumGemmOperand a, b;
  EinsumBuffer y;
  int64_t batch = 1, m = 1, n = 1, k = 1;
};

struct EinsumPlan {
  int num_steps = 0;
  EinsumStep steps[kEinsumMaxOperands - 1];
  bool final_gather = false;  // copy (and sum) the last result / the only operand to the output
  EinsumGather final;
  int64_t scratch_elements = 0;
  int64_t copied_elements = 0;  // what the plan minimised (for tests)
};

// Requires !dims.zero_sum and a non-empty output (the kernel handles those without a plan).
Result<EinsumPlan> plan_einsum(const EinsumDims& dims);

}  // namespace recinfer::kernels::conv
