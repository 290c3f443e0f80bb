#include "kernels/compare/compare_family.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

void register_compare_kernels(KernelRegistry& registry) {
  compare::register_comparison_ops(registry);
  compare::register_logical_ops(registry);
  compare::register_where_op(registry);
}

}  // namespace recinfer::kernels
