#include "kernels/registry.h"

namespace recinfer::kernels {

void register_rnn_kernels(KernelRegistry& /*registry*/) {}

}  // namespace recinfer::kernels
