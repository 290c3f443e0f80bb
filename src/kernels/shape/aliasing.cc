#include "kernels/shape/aliasing.h"

namespace recinfer::kernels {

bool is_view_op(ir::OpType op) {
  switch (op) {
    case ir::OpType::kReshape:
    case ir::OpType::kFlatten:
    case ir::OpType::kSqueeze:
    case ir::OpType::kUnsqueeze:
    case ir::OpType::kIdentity:
      return true;
    default:
      return false;
  }
}

}  // namespace recinfer::kernels
