// Shape inference of the control-flow ops, registered by register_control_flow_kernels.
#pragma once

#include "kernels/kernel.h"

namespace recinfer::kernels {

Status infer_if(InferContext& ctx);

}  // namespace recinfer::kernels
