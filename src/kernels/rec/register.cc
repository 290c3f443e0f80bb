#include "kernels/rec/rec_kernels.h"
#include "kernels/registry.h"
#include "kernels/work.h"

namespace recinfer::kernels {

namespace {
// Ids and per-sample weights (inputs 1 and 4 of each group of 5) take any length: bag bounds
// are checked against the id count at run time (offsets in range and non-decreasing).
bool embedding_bag_ragged_input(const ir::Node& node, size_t index) {
  return static_cast<int>(index) < node.num_declared_inputs && (index % 5 == 1 || index % 5 == 4);
}
}  // namespace

void register_rec_kernels(KernelRegistry& registry) {
  registry.add(ir::OpType::kEmbeddingBag,
               {&infer_embedding_bag, &make_embedding_bag, &make_embedding_bag_reference,
                OpClass::kGather, &embedding_bag_work, &embedding_bag_ragged_input});
  registry.add(ir::OpType::kMaskedGather,
               {&infer_masked_gather, &make_masked_gather, &make_masked_gather_reference,
                OpClass::kGather, &gather_work});
  registry.add(ir::OpType::kCompareCount,
               {&infer_compare_count, &make_compare_count, &make_compare_count_reference});
  registry.add(ir::OpType::kMaskedReduce,
               {&infer_masked_reduce, &make_masked_reduce, &make_masked_reduce_reference});
  registry.add(ir::OpType::kCountDistinct,
               {&infer_count_distinct, &make_count_distinct, &make_count_distinct_reference});
  registry.add(ir::OpType::kPackedLookup,
               {&infer_packed_lookup, &make_packed_lookup, &make_packed_lookup_reference,
                OpClass::kGather, &packed_lookup_work});
}

}  // namespace recinfer::kernels
