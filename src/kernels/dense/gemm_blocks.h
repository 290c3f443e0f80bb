// Block-structured constant weights: when every column of op(B) reads only one contiguous range
// of rows (the rest of the column is exactly zero) — the block-diagonal weight head-split-gemm
// builds from H per-head projections — a Gemm runs one product per column block over its own
// rows and skips the zero blocks. That is the original per-head arithmetic: the zero blocks are
// cross-head terms the rewrite introduced (so an Inf/NaN in one head's inputs stays in that head).
#pragma once

#include <cstdint>
#include <vector>

namespace recinfer::kernels::dense {

struct WeightBlock {
  int64_t n_begin = 0, n_end = 0;  // columns of op(B) and Y
  int64_t k_begin = 0, k_end = 0;  // the rows of op(B) they read
};

// op(B) is k x n (B stored (k, n), or (n, k) when trans_b). Returns the column blocks when there
// are 2..16 of them, no column is all zero, and they skip at least a quarter of the
// multiply-adds; otherwise empty (use the plain product).
std::vector<WeightBlock> find_weight_blocks(const float* b, int64_t k, int64_t n, bool trans_b);

}  // namespace recinfer::kernels::dense
