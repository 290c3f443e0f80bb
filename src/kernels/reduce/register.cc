#include "kernels/reduce/reduce_ops.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

void register_reduce_kernels(KernelRegistry& registry) {
  registry.add(ir::OpType::kReduceSum,
               {&infer_reduce, &make_reduce_sum, &make_reduce_sum_reference});
  registry.add(ir::OpType::kReduceMean,
               {&infer_reduce, &make_reduce_mean, &make_reduce_mean_reference});
  registry.add(ir::OpType::kReduceMax,
               {&infer_reduce, &make_reduce_max, &make_reduce_max_reference});
  registry.add(ir::OpType::kArgMax, {&infer_arg_max, &make_arg_max, nullptr});
  registry.add(ir::OpType::kCumSum, {&infer_cum_sum, &make_cum_sum, nullptr});
  registry.add(ir::OpType::kSoftmax, {&infer_softmax, &make_softmax, &make_softmax_reference});
}

}  // namespace recinfer::kernels
