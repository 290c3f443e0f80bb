// Entry points of the quantization family, used by register.cc.
#pragma once

#include <memory>

#include "kernels/kernel.h"

namespace recinfer::kernels {

// QuantizeLinear / DequantizeLinear (opset 10: per-tensor; 13+: per-axis too). Elementwise
// loops simple enough to be their own reference.
Status infer_quantize_linear(InferContext& ctx);
std::unique_ptr<Kernel> make_quantize_linear(const ir::Node& node);
Status infer_dequantize_linear(InferContext& ctx);
std::unique_ptr<Kernel> make_dequantize_linear(const ir::Node& node);

}  // namespace recinfer::kernels
