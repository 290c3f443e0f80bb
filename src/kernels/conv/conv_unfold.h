// im2col and col2im over any number of spatial dims. The column matrix has one row per
// (channel, kernel position) and one column per grid position; grid position p and kernel
// position k touch image position p·stride - pad_begin + k·dilation (outside the image: zero /
// dropped). Conv unfolds its input over the output grid (gather); ConvTranspose folds its GEMM
// result over the input grid back into the output image (scatter-add).
#pragma once

#include <cstdint>
#include <type_traits>

#include "kernels/conv/conv_geometry.h"

namespace recinfer::kernels::conv {

// kScatter false: col[c·K + k][p] = image[c][p·s - pad + k·d] (0 outside the image).
// kScatter true:  image[c][p·s - pad + k·d] += col[c·K + k][p] (outside the image: dropped).
template <typename T, bool kScatter>
void unfold(std::conditional_t<kScatter, T*, const T*> image, const int64_t* image_dims,
            const int64_t* grid_dims, const WindowGeometry& g, int64_t channels,
            std::conditional_t<kScatter, const T*, T*> col) {
  const int rank = g.rank;
  const int last = rank - 1;
  int64_t image_size = 1, grid_size = 1;
  int64_t image_stride[kMaxSpatial];
  for (int d = last; d >= 0; --d) {
    image_stride[d] = image_size;
    image_size *= image_dims[d];
    grid_size *= grid_dims[d];
  }
  const int64_t grid_inner = grid_dims[last];
  const int64_t grid_rows = grid_inner == 0 ? 0 : grid_size / grid_inner;
  const int64_t kernel_size = g.kernel_size();
  for (int64_t c = 0; c < channels; ++c) {
    for (int64_t k = 0; k < kernel_size; ++k) {
      int64_t kpos[kMaxSpatial];
      for (int64_t rest = k, d = last; d >= 0; --d) {
        kpos[d] = rest % g.kernel[d];
        rest /= g.kernel[d];
      }
      auto row = col + (c * kernel_size + k) * grid_size;
      auto plane = image + c * image_size;
      const int64_t inner_first = kpos[last] * g.dilation[last] - g.pad_begin[last];
      const int64_t inner_stride = g.stride[last];
      int64_t pos[kMaxSpatial] = {};
      for (int64_t r = 0; r < grid_rows; ++r) {
        bool inside = true;
        int64_t offset = 0;
        for (int d = 0; d < last; ++d) {
          const int64_t at = pos[d] * g.stride[d] - g.pad_begin[d] + kpos[d] * g.dilation[d];
          inside = inside && at >= 0 && at < image_dims[d];
          offset += at * image_stride[d];
        }
        auto line = row + r * grid_inner;
        if (!inside) {
          if constexpr (!kScatter) {
            for (int64_t p = 0; p < grid_inner; ++p) line[p] = T(0);
          }
        } else {
          for (int64_t p = 0; p < grid_inner; ++p) {
            const int64_t at = p * inner_stride + inner_first;
            const bool valid = at >= 0 && at < image_dims[last];
            if constexpr (kScatter) {
              if (valid) plane[offset + at] += line[p];
            } else {
              line[p] = valid ? plane[offset + at] : T(0);
            }
          }
        }
        for (int d = last - 1; d >= 0; --d) {
          if (++pos[d] < grid_dims[d]) break;
          pos[d] = 0;
        }
      }
    }
  }
}

}  // namespace recinfer::kernels::conv
