// Registration entry points of the compare family's kernel files; register.cc calls them.
#pragma once

#include "kernels/registry.h"

namespace recinfer::kernels::compare {

void register_comparison_ops(KernelRegistry& registry);  // comparison.cc
void register_logical_ops(KernelRegistry& registry);     // logical.cc
void register_where_op(KernelRegistry& registry);        // where.cc

}  // namespace recinfer::kernels::compare
