#include "kernels/shape/transpose_tiled.h"

#include <algorithm>
#include <cstring>

namespace recinfer::kernels::layout {
namespace {

// 32x32 tiles of up to 8-byte elements are 8 KiB: source and destination tiles both stay in L1.
constexpr int64_t kTile = 32;

template <typename T>
void transpose_rows(const char* src_bytes, char* dst_bytes, int64_t rows, int64_t cols,
                    int64_t col_begin, int64_t col_end) {
  // Byte buffers may be views at arbitrary offsets, so go through memcpy for T-sized moves;
  // compilers turn these into plain loads and stores.
  for (int64_t r0 = 0; r0 < rows; r0 += kTile) {
    const int64_t r1 = std::min(rows, r0 + kTile);
    for (int64_t c = col_begin; c < col_end; ++c) {
      char* out_row = dst_bytes + (c * rows) * static_cast<int64_t>(sizeof(T));
      for (int64_t r = r0; r < r1; ++r) {
        std::memcpy(out_row + r * static_cast<int64_t>(sizeof(T)),
                    src_bytes + (r * cols + c) * static_cast<int64_t>(sizeof(T)), sizeof(T));
      }
    }
  }
}

void transpose_rows_any(const char* src, char* dst, size_t elem_size, int64_t rows, int64_t cols,
                        int64_t col_begin, int64_t col_end) {
  switch (elem_size) {
    case 1: transpose_rows<uint8_t>(src, dst, rows, cols, col_begin, col_end); return;
    case 2: transpose_rows<uint16_t>(src, dst, rows, cols, col_begin, col_end); return;
    case 4: transpose_rows<uint32_t>(src, dst, rows, cols, col_begin, col_end); return;
    case 8: transpose_rows<uint64_t>(src, dst, rows, cols, col_begin, col_end); return;
    default: {
      const auto e = static_cast<int64_t>(elem_size);
      for (int64_t c = col_begin; c < col_end; ++c) {
        for (int64_t r = 0; r < rows; ++r) {
          std::memcpy(dst + (c * rows + r) * e, src + (r * cols + c) * e, elem_size);
        }
      }
    }
  }
}

}  // namespace

void batched_transpose_2d(KernelContext& ctx, const void* src, void* dst, size_t elem_size,
                          int64_t batch, int64_t rows, int64_t cols) {
  if (batch == 0 || rows == 0 || cols == 0) return;
  const auto* s = static_cast<const char*>(src);
  auto* d = static_cast<char*>(dst);
  const int64_t col_blocks = (cols + kTile - 1) / kTile;
  const int64_t matrix_bytes = rows * cols * static_cast<int64_t>(elem_size);
  const int64_t block_bytes = kTile * rows * static_cast<int64_t>(elem_size);
  const int64_t grain = std::max<int64_t>(1, (64 * 1024) / std::max<int64_t>(1, block_bytes));
  // One work item = kTile output rows (source columns) of one matrix.
  ctx.parallel_for(batch * col_blocks, grain, [&](int64_t begin, int64_t end) {
    for (int64_t item = begin; item < end; ++item) {
      const int64_t b = item / col_blocks;
      const int64_t c0 = (item % col_blocks) * kTile;
      const int64_t c1 = std::min(cols, c0 + kTile);
      transpose_rows_any(s + b * matrix_bytes, d + b * matrix_bytes, elem_size, rows, cols, c0,
                         c1);
    }
  });
}

}  // namespace recinfer::kernels::layout
