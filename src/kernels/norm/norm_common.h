// Pieces the normalisation kernels share: row statistics computed with independent lanes (so
// the loops vectorise), per-channel parameter checks, and the optional-output question.
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/kernel.h"

namespace recinfer::kernels::norm {

// Whether optional output i of the node is consumed (declared and not omitted).
inline bool wants_output(const ir::Node& node, int i) {
  return i < static_cast<int>(node.outputs.size()) && node.outputs[static_cast<size_t>(i)] != ir::kNoValue;
}

// Sum of n contiguous values in 8 independent lanes.
template <typename T>
T lane_sum(const T* x, int64_t n) {
  constexpr int kLanes = 8;
  T acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) acc[l] += x[i + l];
  }
  for (; i < n; ++i) acc[0] += x[i];
  for (int l = 1; l < kLanes; ++l) acc[0] += acc[l];
  return acc[0];
}

// Sum of (x - mean)² over n contiguous values in 8 independent lanes. Two passes (mean first)
// rather than E[x²] - E[x]², which cancels catastrophically when |mean| >> std.
template <typename T>
T lane_squared_deviation(const T* x, int64_t n, T mean) {
  constexpr int kLanes = 8;
  T acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) {
      const T d = x[i + l] - mean;
      acc[l] += d * d;
    }
  }
  for (; i < n; ++i) {
    const T d = x[i] - mean;
    acc[0] += d * d;
  }
  for (int l = 1; l < kLanes; ++l) acc[0] += acc[l];
  return acc[0];
}


// Mean and 1/sqrt(variance + epsilon) of one contiguous row (population variance).
template <typename T>
void row_stats(const T* x, int64_t n, T epsilon, T* mean, T* inv_std) {
  const T m = lane_sum(x, n) / static_cast<T>(n);
  const T var = lane_squared_deviation(x, n, m) / static_cast<T>(n);
  *mean = m;
  *inv_std = T(1) / std::sqrt(var + epsilon);
}

// Naive counterpart for the reference kernels: one sequential accumulator.
template <typename T>
void row_stats_naive(const T* x, int64_t n, int64_t stride, T epsilon, T* mean, T* inv_std) {
  T sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += x[i * stride];
  const T m = sum / static_cast<T>(n);
  T sq = 0;
  for (int64_t i = 0; i < n; ++i) sq += (x[i * stride] - m) * (x[i * stride] - m);
  *mean = m;
  *inv_std = T(1) / std::sqrt(sq / static_cast<T>(n) + epsilon);
}

// A per-channel parameter (scale, bias, mean, var of BatchNormalization / InstanceNormalization):
// 1-D with `channels` elements and the input's dtype.
Status check_channel_param(const InferContext& ctx, int input, const char* what, DType dtype,
                           int64_t channels);

}  // namespace recinfer::kernels::norm
