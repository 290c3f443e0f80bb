#include "kernels/registry.h"

namespace recinfer::kernels {

void register_sequence_kernels(KernelRegistry& /*registry*/) {}

}  // namespace recinfer::kernels
