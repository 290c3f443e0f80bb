#include "kernels/registry.h"

namespace recinfer::kernels {

void register_control_flow_kernels(KernelRegistry& /*registry*/) {}

}  // namespace recinfer::kernels
