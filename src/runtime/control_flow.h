// Kernels of control-flow ops (Loop, If), which run subgraphs through the executor and so live in
// the runtime; their shape inference and schema entry are in kernels/control/.
#pragma once

#include <memory>

#include "ir/graph.h"
#include "kernels/kernel.h"

namespace recinfer::runtime {

// The kernel of a control-flow node, or nullptr when `node` is not control flow.
std::unique_ptr<kernels::Kernel> make_control_flow_kernel(const ir::Node& node);

// The individual kernels (loop_kernel.cc, if_kernel.cc), dispatched by the above.
std::unique_ptr<kernels::Kernel> make_loop_kernel();
std::unique_ptr<kernels::Kernel> make_if_kernel();

}  // namespace recinfer::runtime
