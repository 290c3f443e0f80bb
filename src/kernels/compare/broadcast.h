// Multidirectional (numpy-style) broadcasting for the compare/logical/select family.
//
// Two views of the same rule:
//  - broadcast_offset(): the naive definition (decode the output index, map it into the input),
//    used by the reference kernels so that they share no logic with the fast paths;
//  - BroadcastLayout: the operands' shapes coalesced into the fewest dims (adjacent dims merged
//    when every operand is broadcast in both or in neither), so that same-shape, scalar and
//    "outer" (column x row) cases all become one loop over contiguous rows whose inner stride is
//    0 or 1 per operand. for_each_broadcast_block() walks those rows in parallel blocks.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "kernels/kernel.h"
#include "recinfer/shape.h"
#include "recinfer/status.h"

namespace recinfer::kernels::compare {

// The broadcast shape of `shapes`; an invalid_argument naming every operand (by `names`) and
// the clashing dims when they are incompatible. names.size() == shapes.size().
Result<Shape> broadcast_shapes(std::span<const Shape> shapes,
                               std::span<const std::string_view> names);

// Offset into a contiguous tensor of shape `in` of the element that broadcasts to the output
// element with flat index `out_index` in `out` (in must be broadcastable to out).
int64_t broadcast_offset(const Shape& in, const Shape& out, int64_t out_index);

template <int kOperands>
struct BroadcastLayout {
  // Coalesced output dims; dims[rank - 1] is the contiguous inner row. rank 0 means a single
  // element (every dim was 1).
  int rank = 0;
  std::array<int64_t, Shape::kMaxRank> dims{};
  // Element strides per operand and coalesced dim; 0 where the operand is broadcast.
  std::array<std::array<int64_t, Shape::kMaxRank>, kOperands> strides{};

  int64_t inner() const { return rank == 0 ? 1 : dims[rank - 1]; }
  int64_t rows() const {
    int64_t r = 1;
    for (int d = 0; d + 1 < rank; ++d) r *= dims[d];
    return r;
  }
  // 1 when operand i advances along the inner row, 0 when it is broadcast across it.
  int64_t inner_stride(int i) const { return rank == 0 ? 0 : strides[i][rank - 1]; }
};

// `out` must be the broadcast of `inputs` (as returned by broadcast_shapes).
template <int kOperands>
BroadcastLayout<kOperands> make_broadcast_layout(const Shape& out,
                                                 const std::array<Shape, kOperands>& inputs) {
  const int out_rank = out.rank();
  // Contiguous strides of each operand right-aligned to the output, 0 on broadcast dims.
  std::array<std::array<int64_t, Shape::kMaxRank>, kOperands> full{};
  for (int i = 0; i < kOperands; ++i) {
    const Shape& in = inputs[i];
    const int pad = out_rank - in.rank();
    int64_t stride = 1;
    for (int d = out_rank - 1; d >= 0; --d) {
      const int64_t dim = d >= pad ? in[d - pad] : 1;
      full[i][d] = (dim == 1 && out[d] != 1) ? 0 : stride;
      stride *= dim;
    }
  }
  BroadcastLayout<kOperands> layout;
  for (int d = 0; d < out_rank; ++d) {
    if (out[d] == 1) continue;  // size-1 output dims carry no iteration
    bool merge = layout.rank > 0;
    for (int i = 0; i < kOperands && merge; ++i) {
      const bool prev_broadcast = layout.strides[i][layout.rank - 1] == 0;
      merge = prev_broadcast == (full[i][d] == 0);
    }
    if (merge) {
      // Row-major contiguity: the merged dim steps like the inner one of the pair.
      layout.dims[layout.rank - 1] *= out[d];
      for (int i = 0; i < kOperands; ++i) layout.strides[i][layout.rank - 1] = full[i][d];
    } else {
      layout.dims[layout.rank] = out[d];
      for (int i = 0; i < kOperands; ++i) layout.strides[i][layout.rank] = full[i][d];
      ++layout.rank;
    }
  }
  return layout;
}

// Enough elements per parallel task that scheduling cost stays small next to the work.
inline constexpr int64_t kBroadcastBlock = 4096;
inline constexpr int64_t kMinElementsPerChunk = 16384;

// Calls fn(offsets, out_offset, count) for every block of at most kBroadcastBlock consecutive
// output elements within one inner row, in parallel. offsets[i] is operand i's element offset at
// the block's start; along the block operand i advances by layout.inner_stride(i).
template <int kOperands, typename Fn>
void for_each_broadcast_block(const BroadcastLayout<kOperands>& layout, KernelContext& ctx,
                              Fn&& fn) {
  const int64_t inner = layout.inner();
  const int64_t rows = layout.rows();
  if (inner == 0 || rows == 0) return;
  const int64_t blocks_per_row = (inner + kBroadcastBlock - 1) / kBroadcastBlock;
  const int64_t block = (inner + blocks_per_row - 1) / blocks_per_row;  // balanced blocks
  const int64_t tasks = rows * blocks_per_row;
  const int64_t grain = std::max<int64_t>(1, kMinElementsPerChunk / block);
  const int outer_rank = std::max(layout.rank - 1, 0);
  ctx.parallel_for(tasks, grain, [&](int64_t begin, int64_t end) {
    // Decode the first row once, then step the multi-index with carries.
    int64_t row = begin / blocks_per_row;
    std::array<int64_t, Shape::kMaxRank> index{};
    std::array<int64_t, kOperands> row_offsets{};
    int64_t rest = row;
    for (int d = outer_rank - 1; d >= 0; --d) {
      index[d] = rest % layout.dims[d];
      rest /= layout.dims[d];
      for (int i = 0; i < kOperands; ++i) row_offsets[i] += index[d] * layout.strides[i][d];
    }
    for (int64_t task = begin; task < end; ++task) {
      const int64_t task_row = task / blocks_per_row;
      while (row < task_row) {
        ++row;
        for (int d = outer_rank - 1; d >= 0; --d) {
          for (int i = 0; i < kOperands; ++i) row_offsets[i] += layout.strides[i][d];
          if (++index[d] < layout.dims[d]) break;
          for (int i = 0; i < kOperands; ++i) {
            row_offsets[i] -= index[d] * layout.strides[i][d];
          }
          index[d] = 0;
        }
      }
      const int64_t col = (task - task_row * blocks_per_row) * block;
      const int64_t count = std::min(block, inner - col);
      std::array<int64_t, kOperands> offsets;
      for (int i = 0; i < kOperands; ++i) {
        offsets[i] = row_offsets[i] + col * layout.inner_stride(i);
      }
      fn(offsets, task_row * inner + col, count);
    }
  });
}

}  // namespace recinfer::kernels::compare
