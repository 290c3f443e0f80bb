#include "kernels/quant/integer_kernels.h"
#include "kernels/quant/quant_kernels.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

void register_quant_kernels(KernelRegistry& registry) {
  registry.add(ir::OpType::kQuantizeLinear,
               {&infer_quantize_linear, &make_quantize_linear, nullptr});
  registry.add(ir::OpType::kDequantizeLinear,
               {&infer_dequantize_linear, &make_dequantize_linear, nullptr});
  registry.add(ir::OpType::kDynamicQuantizeLinear,
               {&infer_dynamic_quantize_linear, &make_dynamic_quantize_linear, nullptr});
  registry.add(ir::OpType::kMatMulInteger,
               {&infer_matmul_integer, &make_matmul_integer, nullptr, OpClass::kMatmul});
  registry.add(ir::OpType::kQLinearMatMul,
               {&infer_qlinear_matmul, &make_qlinear_matmul, nullptr, OpClass::kMatmul});
  registry.add(ir::OpType::kConvInteger,
               {&infer_conv_integer, &make_conv_integer, nullptr, OpClass::kMatmul});
  registry.add(ir::OpType::kQLinearConv,
               {&infer_qlinear_conv, &make_qlinear_conv, nullptr, OpClass::kMatmul});
}

}  // namespace recinfer::kernels
