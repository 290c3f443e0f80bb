#include "kernels/embedding/embedding_kernels.h"
#include "kernels/registry.h"
#include "kernels/work.h"

namespace recinfer::kernels {

void register_embedding_kernels(KernelRegistry& registry) {
  registry.add(ir::OpType::kGather, {&infer_gather, &make_gather, &make_gather_reference, OpClass::kGather, &gather_work});
  registry.add(ir::OpType::kGatherElements,
               {&infer_gather_elements, &make_gather_elements, &make_gather_elements_reference});
  registry.add(ir::OpType::kGatherND, {&infer_gather_nd, &make_gather_nd, nullptr});
  registry.add(ir::OpType::kScatterElements, {&infer_scatter_elements, &make_scatter_elements,
                                              &make_scatter_elements_reference});
  registry.add(ir::OpType::kScatter, {&infer_scatter_elements, &make_scatter_elements,
                                      &make_scatter_elements_reference});
  registry.add(ir::OpType::kScatterND, {&infer_scatter_nd, &make_scatter_nd, nullptr});
}

}  // namespace recinfer::kernels
