// Helpers for the rec (ai.recinfer fused ops) kernel tests: running one op of the ONNX
// subgraphs the fused ops replace, running the fused op in both variants, and comparing floats
// where NaN (the mean of an empty set) must match NaN.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernels/dense/kernel_test_support.h"
#include "kernels/op_runner.h"

namespace recinfer::kernels::rec_test {

using dense_test::make_tensor;
using dense_test::random_tensor;
using dense_test::ThreadedFor;
using dense_test::values_of;
using Attrs = std::map<std::string, ir::Attribute, std::less<>>;

// Runs one op of an ONNX subgraph (optimised kernels, serial); fails the test on error.
inline Tensor run1(ir::OpType op, int opset, Attrs attrs, const std::vector<Tensor>& inputs) {
  auto out = run_op(op, opset, std::move(attrs), inputs, 1);
  EXPECT_TRUE(out.is_ok()) << ir::op_name(op) << ": " << out.status().to_string();
  return out.is_ok() ? (*out)[0] : Tensor();
}

inline Tensor i64(const std::vector<int64_t>& v) {
  return make_tensor<int64_t>(Shape{static_cast<int64_t>(v.size())}, v);
}

// The comparison attribute values of CompareCount/CountDistinct and the ONNX ops they name.
inline const char* const kComparisons[] = {"Equal", "Greater", "Less", "GreaterOrEqual",
                                           "LessOrEqual"};

inline ir::OpType comparison_op(const std::string& name) {
  if (name == "Equal") return ir::OpType::kEqual;
  if (name == "Greater") return ir::OpType::kGreater;
  if (name == "Less") return ir::OpType::kLess;
  if (name == "GreaterOrEqual") return ir::OpType::kGreaterOrEqual;
  return ir::OpType::kLessOrEqual;
}

// Same dtype and shape; elements equal, or both NaN, or (floats) within atol + rtol * |ref|.
template <typename T>
void expect_same(const Tensor& got, const Tensor& ref, double atol = 0, double rtol = 0) {
  ASSERT_EQ(got.dtype(), ref.dtype());
  ASSERT_EQ(got.shape(), ref.shape())
      << got.shape().to_string() << " vs " << ref.shape().to_string();
  for (int64_t i = 0; i < ref.numel(); ++i) {
    const double g = static_cast<double>(got.data<T>()[i]);
    const double r = static_cast<double>(ref.data<T>()[i]);
    if (std::isnan(r)) {
      ASSERT_TRUE(std::isnan(g)) << "element " << i << ": " << g << " vs reference NaN";
    } else if (g != r) {
      ASSERT_LE(std::abs(g - r), atol + rtol * std::abs(r))
          << "element " << i << ": " << g << " vs reference " << r;
    }
  }
}

// The fused op's outputs for one variant (on `parallel` when given).
inline Result<std::vector<Tensor>> run_fused(ir::OpType op, Attrs attrs,
                                             const std::vector<Tensor>& inputs, int outputs,
                                             KernelVariant variant,
                                             ParallelFor* parallel = nullptr) {
  return run_op(op, 1, std::move(attrs), inputs, outputs, variant, parallel);
}

}  // namespace recinfer::kernels::rec_test
