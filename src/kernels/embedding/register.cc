#include "kernels/registry.h"

namespace recinfer::kernels {

void register_embedding_kernels(KernelRegistry& /*registry*/) {}

}  // namespace recinfer::kernels
