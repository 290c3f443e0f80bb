// Which ops have kernels: infer function, optimised kernel factory and (optionally) a separate
// naive reference kernel. Filled by one register_*_kernels function per kernel family.
#pragma once

#include <array>
#include <memory>

#include "ir/op_type.h"
#include "kernels/kernel.h"

namespace recinfer::kernels {

using InferFn = Status (*)(InferContext&);
using KernelFactory = std::unique_ptr<Kernel> (*)(const ir::Node&);

struct OpKernels {
  InferFn infer = nullptr;
  KernelFactory make = nullptr;
  KernelFactory make_reference = nullptr;  // null: `make` is already the naive implementation
};

class KernelRegistry {
 public:
  static const KernelRegistry& instance();

  void add(ir::OpType op, OpKernels kernels) { table_[static_cast<size_t>(op)] = kernels; }
  // nullptr when the op has no kernel.
  const OpKernels* find(ir::OpType op) const;

 private:
  std::array<OpKernels, static_cast<size_t>(ir::OpType::kCount)> table_{};
};

// Family registration (one per kernels/<family>/register.cc).
void register_elementwise_kernels(KernelRegistry& registry);
void register_compare_kernels(KernelRegistry& registry);
void register_shape_kernels(KernelRegistry& registry);
void register_reduce_kernels(KernelRegistry& registry);
void register_embedding_kernels(KernelRegistry& registry);
void register_dense_kernels(KernelRegistry& registry);
void register_sequence_kernels(KernelRegistry& registry);
void register_rec_kernels(KernelRegistry& registry);
// Control flow (Loop) lives in the runtime, which registers it here.
void register_control_flow_kernels(KernelRegistry& registry);

}  // namespace recinfer::kernels
