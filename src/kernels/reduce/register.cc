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
  registry.add(ir::OpType::kReduceMin,
               {&infer_reduce, &make_reduce_min, &make_reduce_min_reference});
  registry.add(ir::OpType::kReduceProd,
               {&infer_reduce, &make_reduce_prod, &make_reduce_prod_reference});
  registry.add(ir::OpType::kReduceL1,
               {&infer_reduce, &make_reduce_l1, &make_reduce_l1_reference});
  registry.add(ir::OpType::kReduceL2,
               {&infer_reduce, &make_reduce_l2, &make_reduce_l2_reference});
  registry.add(ir::OpType::kReduceLogSum,
               {&infer_reduce, &make_reduce_log_sum, &make_reduce_log_sum_reference});
  registry.add(ir::OpType::kReduceLogSumExp,
               {&infer_reduce, &make_reduce_log_sum_exp, &make_reduce_log_sum_exp_reference});
  registry.add(ir::OpType::kReduceSumSquare,
               {&infer_reduce, &make_reduce_sum_square, &make_reduce_sum_square_reference});
  registry.add(ir::OpType::kArgMax, {&infer_arg_max, &make_arg_max, nullptr});
  registry.add(ir::OpType::kArgMin, {&infer_arg_max, &make_arg_min, nullptr});
  registry.add(ir::OpType::kCumSum, {&infer_cum_sum, &make_cum_sum, nullptr});
  registry.add(ir::OpType::kSoftmax, {&infer_softmax, &make_softmax, &make_softmax_reference});
  registry.add(ir::OpType::kLogSoftmax,
               {&infer_softmax, &make_log_softmax, &make_log_softmax_reference});
  registry.add(ir::OpType::kHardmax, {&infer_softmax, &make_hardmax, nullptr});
}

}  // namespace recinfer::kernels
