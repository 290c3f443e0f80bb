#include "kernels/dense/dense_kernels.h"
#include "kernels/dense/det.h"
#include "kernels/registry.h"
#include "kernels/work.h"

namespace recinfer::kernels {

void register_dense_kernels(KernelRegistry& registry) {
  registry.add(ir::OpType::kGemm, {&infer_gemm, &make_gemm, &make_gemm_reference, OpClass::kMatmul, &gemm_work});
  registry.add(ir::OpType::kFusedGemm, {&infer_fused_gemm, &make_gemm, &make_gemm_reference, OpClass::kMatmul, &gemm_work});
  registry.add(ir::OpType::kDotInteraction,
               {&infer_dot_interaction, &make_dot_interaction, &make_dot_interaction_reference,
                OpClass::kMatmul, &dot_interaction_work});
  registry.add(ir::OpType::kMatMul, {&infer_matmul, &make_matmul, &make_matmul_reference, OpClass::kMatmul, &matmul_work});
  registry.add(ir::OpType::kDet, {&infer_det, &make_det, nullptr});
}

}  // namespace recinfer::kernels
