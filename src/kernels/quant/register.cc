#include "kernels/registry.h"

namespace recinfer::kernels {

void register_quant_kernels(KernelRegistry& /*registry*/) {}

}  // namespace recinfer::kernels
