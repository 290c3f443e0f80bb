// Cache-blocked batched 2-D transpose, the fast path behind Transpose for the common layouts
// (plain 2-D, last-two-dims swap, and every permutation that coalesces to one of those).
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/kernel.h"

namespace recinfer::kernels::layout {

// dst[b][c][r] = src[b][r][c] for a [batch, rows, cols] source of `elem_size`-byte elements.
// Parallel over blocks of output rows.
void batched_transpose_2d(KernelContext& ctx, const void* src, void* dst, size_t elem_size,
                          int64_t batch, int64_t rows, int64_t cols);

}  // namespace recinfer::kernels::layout
