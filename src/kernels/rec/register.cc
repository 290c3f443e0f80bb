#include "kernels/rec/rec_kernels.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

void register_rec_kernels(KernelRegistry& registry) {
  registry.add(ir::OpType::kEmbeddingBag,
               {&infer_embedding_bag, &make_embedding_bag, &make_embedding_bag_reference});
  registry.add(ir::OpType::kMaskedGather,
               {&infer_masked_gather, &make_masked_gather, &make_masked_gather_reference});
  registry.add(ir::OpType::kCompareCount,
               {&infer_compare_count, &make_compare_count, &make_compare_count_reference});
  registry.add(ir::OpType::kMaskedReduce,
               {&infer_masked_reduce, &make_masked_reduce, &make_masked_reduce_reference});
  registry.add(ir::OpType::kCountDistinct,
               {&infer_count_distinct, &make_count_distinct, &make_count_distinct_reference});
}

}  // namespace recinfer::kernels
