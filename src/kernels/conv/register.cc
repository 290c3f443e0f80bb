#include "kernels/registry.h"

namespace recinfer::kernels {

void register_conv_kernels(KernelRegistry& /*registry*/) {}

}  // namespace recinfer::kernels
