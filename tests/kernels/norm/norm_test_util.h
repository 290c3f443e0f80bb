// Helpers for the norm family's tests: the reduce tests' tensor builders and checks, plus a
// runner whose prepare sees no constant inputs (the run-time-parameter paths).
#pragma once

#include "kernels/reduce/reduce_test_util.h"

namespace recinfer::kernels::norm_test {

using reduce_test::ChunkedFor;
using reduce_test::count_compute_allocations;
using reduce_test::expect_close;
using reduce_test::make_tensor;
using reduce_test::random_tensor;
using reduce_test::run_ok;
using reduce_test::to_vector;
using Attrs = std::map<std::string, ir::Attribute, std::less<>>;

// Runs the optimised kernel with every input unknown at prepare time (as graph inputs are).
inline std::vector<Tensor> run_without_constants(ir::OpType op, int opset, Attrs attrs,
                                                 const std::vector<Tensor>& inputs,
                                                 int num_outputs) {
  ir::Node node;
  node.name = "under_test";
  node.op = op;
  node.opset = opset;
  node.attributes = std::move(attrs);
  std::vector<TensorInfo> infos(inputs.size());
  std::vector<const TensorInfo*> info_ptrs;
  std::vector<const Tensor*> input_ptrs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    node.inputs.push_back(static_cast<ir::ValueId>(i));
    infos[i] = {inputs[i].dtype(), inputs[i].shape(), nullptr};
    info_ptrs.push_back(&infos[i]);
    input_ptrs.push_back(&inputs[i]);
  }
  node.num_declared_inputs = static_cast<int>(inputs.size());
  for (int o = 0; o < num_outputs; ++o) node.outputs.push_back(100 + o);
  const OpSchema* schema = KernelRegistry::instance().find(op);
  EXPECT_NE(schema, nullptr);
  if (schema == nullptr) return {};
  InferContext infer_ctx(node, info_ptrs, static_cast<size_t>(num_outputs));
  EXPECT_TRUE(schema->infer(infer_ctx).is_ok());
  std::vector<Tensor> outputs;
  for (int o = 0; o < num_outputs; ++o) {
    outputs.push_back(*Tensor::allocate(infer_ctx.output(o).dtype, infer_ctx.output(o).shape));
  }
  std::unique_ptr<Kernel> kernel = schema->make(node);
  EXPECT_TRUE(kernel->prepare(PrepareContext{node, {}}).is_ok());
  SerialFor serial;
  KernelContext ctx(node, input_ptrs.data(), static_cast<int>(input_ptrs.size()), outputs.data(),
                    num_outputs, serial);
  const Status status = kernel->compute(ctx);
  EXPECT_TRUE(status.is_ok()) << status.to_string();
  return outputs;
}

}  // namespace recinfer::kernels::norm_test
