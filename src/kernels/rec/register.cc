#include "kernels/rec/rec_kernels.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

void register_rec_kernels(KernelRegistry& registry) {
  registry.add(ir::OpType::kEmbeddingBag,
               {&infer_embedding_bag, &make_embedding_bag, &make_embedding_bag_reference});
}

}  // namespace recinfer::kernels
