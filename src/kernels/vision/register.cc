#include "kernels/registry.h"
#include "kernels/vision/vision_kernels.h"

namespace recinfer::kernels {

void register_vision_kernels(KernelRegistry& registry) {
  registry.add(ir::OpType::kNonMaxSuppression,
               {&infer_non_max_suppression, &make_non_max_suppression, nullptr});
  registry.add(ir::OpType::kRoiAlign, {&infer_roi_align, &make_roi_align, nullptr});
  registry.add(ir::OpType::kGridSample, {&infer_grid_sample, &make_grid_sample, nullptr});
}

}  // namespace recinfer::kernels
