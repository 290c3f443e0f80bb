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
    register_norm_kernels(r);
    register_conv_kernels(r);
    register_rnn_kernels(r);
    register_random_kernels(r);
    register_quant_kernels(r);
    register_signal_kernels(r);
    register_vision_kernels(r);
    register_control_flow_kernels(r);
    return r;
  }();
  return registry;
}

const OpSchema* KernelRegistry::find(ir::OpType op) const {
  const auto index = static_cast<size_t>(op);
  if (index >= table_.size() || table_[index].infer == nullptr) return nullptr;
  return &table_[index];
}

bool is_matmul_class(ir::OpType op) {
  const OpSchema* schema = find_schema(op);
  return schema != nullptr && schema->op_class == OpClass::kMatmul;
}

bool is_view_op(ir::OpType op) {
  const OpSchema* schema = find_schema(op);
  return schema != nullptr && schema->view;
}

}  // namespace recinfer::kernels
