#include "kernels/registry.h"

namespace recinfer::kernels {

void register_elementwise_kernels(KernelRegistry& /*registry*/) {}

}  // namespace recinfer::kernels
