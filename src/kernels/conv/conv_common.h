// Shapes and GEMM plumbing shared by Conv and ConvTranspose (optimised and reference).
#pragma once

#include <cstdint>

#include "kernels/conv/conv_geometry.h"
#include "kernels/dense/gemm_tiles.h"
#include "kernels/kernel.h"

namespace recinfer::kernels::conv {

// Conv: X (batch, C, in...), W (M, C/group, kernel...), Y (batch, M, out...).
// ConvTranspose: X (batch, C, in...), W (C, M/group, kernel...), Y (batch, M, out...).
struct ConvShape {
  int64_t batch = 0, in_channels = 0, out_channels = 0, group = 1;
  WindowGeometry geometry;
  int64_t in_group() const { return in_channels / group; }
  int64_t out_group() const { return out_channels / group; }
  Shape output_shape() const;
};

// Checks ranks, channel counts against group, and B's shape (nullptr: no bias); errors name
// the node. Fixed-size result: usable in compute.
Result<ConvShape> bind_conv(const ir::Node& node, const WindowAttributes& attrs, bool transposed,
                            const Shape& x, const Shape& w, const Shape* bias);

// Shared infer for Conv and ConvTranspose (float32, float64).
Status infer_conv_like(InferContext& ctx, bool transposed);

// One single-threaded row-major product on the calling thread: oneDNN for float, the naive
// tile loops otherwise. Returns the oneDNN status (0 = success).
template <typename T>
int multiply(const dense::GemmOperands<T>& ops, const dense::Tile& tile) {
  if constexpr (std::is_same_v<T, float>) {
    return dense::sgemm_tile(ops, tile, 1.0f, 0.0f);
  } else {
    dense::naive_gemm_tile(ops, tile);
    return 0;
  }
}

template <typename T>
dense::Tile whole(const dense::GemmOperands<T>& ops) {
  return dense::Tile{0, 0, ops.m, 0, ops.n};
}

}  // namespace recinfer::kernels::conv
