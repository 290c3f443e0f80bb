#include "kernels/dense/gemm_blocks.h"

#include <cstddef>

namespace recinfer::kernels::dense {

std::vector<WeightBlock> find_weight_blocks(const float* b, int64_t k, int64_t n, bool trans_b) {
  constexpr size_t kMaxBlocks = 16;
  std::vector<WeightBlock> blocks;
  if (b == nullptr || k <= 0 || n <= 0) return {};
  double kept = 0;  // multiply-adds per row of A that the blocks still do
  for (int64_t j = 0; j < n; ++j) {
    int64_t first = -1, last = -1;
    for (int64_t r = 0; r < k; ++r) {
      const float v = trans_b ? b[j * k + r] : b[r * n + j];
      if (v != 0.0f) {  // true for NaN too: NaN weights are not zero
        if (first < 0) first = r;
        last = r;
      }
    }
    if (first < 0) return {};  // an all-zero column: keep the plain product's semantics simple
    if (!blocks.empty() && blocks.back().k_begin == first && blocks.back().k_end == last + 1) {
      blocks.back().n_end = j + 1;
    } else {
      if (blocks.size() == kMaxBlocks) return {};
      blocks.push_back({j, j + 1, first, last + 1});
    }
  }
  for (const WeightBlock& blk : blocks) {
    kept += static_cast<double>(blk.k_end - blk.k_begin) * static_cast<double>(blk.n_end - blk.n_begin);
  }
  if (blocks.size() < 2 || kept > 0.75 * static_cast<double>(k) * static_cast<double>(n)) return {};
  return blocks;
}

}  // namespace recinfer::kernels::dense
