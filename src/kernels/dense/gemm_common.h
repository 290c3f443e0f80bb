// Gemm pieces shared by the optimised and the reference kernel: attributes and the bias C,
// which broadcasts unidirectionally to (M, N).
#pragma once

#include <cstdint>

#include "ir/graph.h"
#include "kernels/dense/dense_scalar.h"
#include "kernels/elementwise/activation.h"
#include "recinfer/tensor.h"

namespace recinfer::kernels::dense {

struct GemmAttributes {
  float alpha = 1.0f;
  float beta = 1.0f;
  bool trans_a = false;
  bool trans_b = false;
  // ai.recinfer FusedGemm only (validated in infer_fused_gemm); plain Gemm has none.
  Activation activation = Activation::kNone;

  static GemmAttributes from(const ir::Node& node) {
    GemmAttributes attrs;
    attrs.activation = parse_activation(node.attr_string("activation", "")).value_or(Activation::kNone);
    attrs.alpha = node.attr_float("alpha", 1.0f);
    attrs.beta = node.attr_float("beta", 1.0f);
    attrs.trans_a = node.attr_int("transA", 0) != 0;
    attrs.trans_b = node.attr_int("transB", 0) != 0;
    return attrs;
  }
};

// ONNX Gemm's transA / transB are 0 or 1. Anything else is a corrupt model, not "true": refused
// in prepare (at load) and infer, by the optimised and the reference kernel alike.
inline Status check_gemm_flags(const ir::Node& node) {
  for (const char* flag : {"transA", "transB"}) {
    const int64_t value = node.attr_int(flag, 0);
    if (value != 0 && value != 1) {
      return invalid_argument("{}: attribute {} must be 0 or 1, got {}", node.describe(), flag,
                              value);
    }
  }
  return Status::ok();
}

// C viewed as (M, N): a broadcast dim has stride 0. Valid shapes (checked in infer) are (),
// (1), (N), (1, N), (M, 1), (M, N) and (1, 1).
template <typename T>
struct GemmBias {
  const T* c = nullptr;  // nullptr: no bias
  int64_t row_stride = 0;
  int64_t col_stride = 0;

  static GemmBias from(const Tensor* c) {
    GemmBias bias;
    if (c == nullptr) return bias;
    bias.c = c->data<T>();
    const Shape& shape = c->shape();
    if (shape.rank() >= 1) bias.col_stride = shape[shape.rank() - 1] == 1 ? 0 : 1;
    if (shape.rank() == 2) bias.row_stride = shape[0] == 1 ? 0 : shape[1];
    return bias;
  }
  T at(int64_t i, int64_t j) const { return c[i * row_stride + j * col_stride]; }
};

}  // namespace recinfer::kernels::dense
