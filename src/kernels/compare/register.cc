#include "kernels/registry.h"

namespace recinfer::kernels {

void register_compare_kernels(KernelRegistry& /*registry*/) {}

}  // namespace recinfer::kernels
