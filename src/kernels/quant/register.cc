#include "kernels/quant/quant_kernels.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

void register_quant_kernels(KernelRegistry& registry) {
  registry.add(ir::OpType::kQuantizeLinear,
               {&infer_quantize_linear, &make_quantize_linear, nullptr});
  registry.add(ir::OpType::kDequantizeLinear,
               {&infer_dequantize_linear, &make_dequantize_linear, nullptr});
}

}  // namespace recinfer::kernels
