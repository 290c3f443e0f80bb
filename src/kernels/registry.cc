#include "kernels/registry.h"

namespace recinfer::kernels {

const KernelRegistry& KernelRegistry::instance() {
  static const KernelRegistry registry = [] {
    KernelRegistry r;
    register_elementwise_kernels(r);
    register_compare_kernels(r);
    register_shape_kernels(r);
    register_reduce_kernels(r);
    register_embedding_kernels(r);
    register_dense_kernels(r);
    register_sequence_kernels(r);
    register_rec_kernels(r);
    register_control_flow_kernels(r);
    return r;
  }();
  return registry;
}

const OpKernels* KernelRegistry::find(ir::OpType op) const {
  const auto index = static_cast<size_t>(op);
  if (index >= table_.size() || table_[index].infer == nullptr || table_[index].make == nullptr) {
    return nullptr;
  }
  return &table_[index];
}

}  // namespace recinfer::kernels
