#include "runtime/control_flow.h"

namespace recinfer::runtime {

std::unique_ptr<kernels::Kernel> make_control_flow_kernel(const ir::Node& node) {
  switch (node.op) {
    case ir::OpType::kLoop: return make_loop_kernel();
    case ir::OpType::kIf: return make_if_kernel();
    default: return nullptr;
  }
}

}  // namespace recinfer::runtime
