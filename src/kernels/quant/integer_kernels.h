// Integer (quantized) compute ops of the quantization family, used by register.cc. Each kernel
// is a plain loop (int32 accumulation, exact), so each is its own reference.
#pragma once

#include <memory>

#include "kernels/kernel.h"

namespace recinfer::kernels {

// DynamicQuantizeLinear: float32 x -> uint8 y, scale and zero point from x's range (with 0).
Status infer_dynamic_quantize_linear(InferContext& ctx);
std::unique_ptr<Kernel> make_dynamic_quantize_linear(const ir::Node& node);

// MatMulInteger: (A - a_zero_point) @ (B - b_zero_point) in int32, numpy.matmul shapes.
Status infer_matmul_integer(InferContext& ctx);
std::unique_ptr<Kernel> make_matmul_integer(const ir::Node& node);
// QLinearMatMul: the same product requantized with a_scale*b_scale/y_scale and y_zero_point.
Status infer_qlinear_matmul(InferContext& ctx);
std::unique_ptr<Kernel> make_qlinear_matmul(const ir::Node& node);

// ConvInteger: Conv over (x - x_zero_point) and (w - w_zero_point) in int32.
Status infer_conv_integer(InferContext& ctx);
std::unique_ptr<Kernel> make_conv_integer(const ir::Node& node);
// QLinearConv: the same with an int32 bias, requantized like QLinearMatMul.
Status infer_qlinear_conv(InferContext& ctx);
std::unique_ptr<Kernel> make_qlinear_conv(const ir::Node& node);

}  // namespace recinfer::kernels
