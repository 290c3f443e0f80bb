#include "kernels/registry.h"

namespace recinfer::kernels {

void register_random_kernels(KernelRegistry& /*registry*/) {}

}  // namespace recinfer::kernels
