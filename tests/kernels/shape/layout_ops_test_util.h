// Shared by the tests of the layout ops added with Tile/Pad/...: seeded random tensors and a
// check that the optimised kernel (split into chunks by ChunkedFor) matches the naive reference.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "kernels/shape/shape_test_util.h"

namespace recinfer::kernels::shape_test {

inline Tensor random_floats(const Shape& shape, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-4.0f, 4.0f);
  std::vector<float> v(static_cast<size_t>(shape.numel()));
  for (float& x : v) x = dist(rng);
  return make<float>(shape, v);
}

// Runs `op` optimised (chunked) and as the reference; both must succeed and agree bytewise.
inline std::vector<Tensor> expect_matches_reference(
    ir::OpType op, int opset, std::map<std::string, ir::Attribute, std::less<>> attributes,
    const std::vector<Tensor>& inputs, int num_outputs = 1) {
  ChunkedFor chunked;
  auto fast = run_op(op, opset, attributes, inputs, num_outputs, KernelVariant::kOptimized,
                     &chunked);
  auto ref = run_op(op, opset, attributes, inputs, num_outputs, KernelVariant::kReference);
  EXPECT_TRUE(fast.is_ok()) << fast.status().to_string();
  EXPECT_TRUE(ref.is_ok()) << ref.status().to_string();
  if (!fast.is_ok() || !ref.is_ok()) return {};
  for (int o = 0; o < num_outputs; ++o) {
    const Tensor& a = (*fast)[static_cast<size_t>(o)];
    const Tensor& b = (*ref)[static_cast<size_t>(o)];
    EXPECT_EQ(a.shape(), b.shape());
    EXPECT_EQ(a.dtype(), b.dtype());
    if (a.shape() == b.shape() && a.bytes() > 0) {
      EXPECT_EQ(std::memcmp(a.raw(), b.raw(), a.bytes()), 0) << "output " << o << " differs";
    }
  }
  return std::move(fast).value();
}

}  // namespace recinfer::kernels::shape_test
