// Runs one node eagerly on tensors: infer, allocate outputs, compute. Used by constant folding
// at plan time and by kernel tests. Allocates; never used on the steady-state inference path.
#pragma once

#include <vector>

#include "ir/graph.h"
#include "kernels/kernel.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

// `inputs[i]` undefined (default Tensor) means the optional input is omitted. Returns one tensor
// per node output. Looks the op up in the registry (error if it has no kernel).
Result<std::vector<Tensor>> run_node(const ir::Node& node, const std::vector<Tensor>& inputs,
                                     KernelVariant variant, ParallelFor& parallel);

// Convenience for tests: builds a node of `op` with `attributes`, `inputs.size()` declared
// inputs and `num_outputs` outputs, then runs it.
Result<std::vector<Tensor>> run_op(ir::OpType op, int opset,
                                   std::map<std::string, ir::Attribute, std::less<>> attributes,
                                   const std::vector<Tensor>& inputs, int num_outputs,
                                   KernelVariant variant = KernelVariant::kOptimized,
                                   ParallelFor* parallel = nullptr);

// Attribute builders for tests and passes.
ir::Attribute attr_int(int64_t v);
ir::Attribute attr_float(float v);
ir::Attribute attr_string(std::string v);
ir::Attribute attr_ints(std::vector<int64_t> v);
ir::Attribute attr_floats(std::vector<float> v);
ir::Attribute attr_tensor(Tensor v);

}  // namespace recinfer::kernels
