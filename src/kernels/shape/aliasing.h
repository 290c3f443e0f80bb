// Which shape ops produce output bytes identical to their first input's, so the memory planner
// may bind the output to the input's storage (their kernels then skip the copy).
#pragma once

#include "ir/op_type.h"

namespace recinfer::kernels {

// True for Reshape, Flatten, Squeeze, Unsqueeze and Identity.
bool is_view_op(ir::OpType op);

}  // namespace recinfer::kernels
