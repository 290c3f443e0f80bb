#include "kernels/conv/conv_kernels.h"
#include "kernels/conv/max_unpool.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

void register_conv_kernels(KernelRegistry& registry) {
  registry.add(ir::OpType::kEinsum, {.infer = &infer_einsum, .make = &make_einsum,
                                     .make_reference = &make_einsum_reference,
                                     .op_class = OpClass::kMatmul, .work = &einsum_work});
  registry.add(ir::OpType::kConv, {.infer = &infer_conv, .make = &make_conv,
                                   .make_reference = &make_conv_reference,
                                   .op_class = OpClass::kMatmul, .work = &conv_work});
  registry.add(ir::OpType::kConvTranspose,
               {.infer = &infer_conv_transpose, .make = &make_conv_transpose,
                .make_reference = &make_conv_transpose_reference, .op_class = OpClass::kMatmul,
                .work = &conv_transpose_work});
  registry.add(ir::OpType::kMaxPool, {.infer = &infer_max_pool, .make = &make_max_pool});
  registry.add(ir::OpType::kAveragePool, {.infer = &infer_average_pool, .make = &make_average_pool});
  registry.add(ir::OpType::kLpPool, {.infer = &infer_lp_pool, .make = &make_lp_pool});
  registry.add(ir::OpType::kMaxUnpool, {.infer = &infer_max_unpool, .make = &make_max_unpool});
}

}  // namespace recinfer::kernels
