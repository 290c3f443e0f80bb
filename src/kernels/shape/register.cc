#include "kernels/registry.h"

namespace recinfer::kernels {

void register_shape_kernels(KernelRegistry& /*registry*/) {}

}  // namespace recinfer::kernels
