// Helpers for the conv and rnn family tests: the dense family's threaded ParallelFor, random
// tensors and comparisons, plus an allocation probe for nodes with several outputs.
#pragma once

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "kernels/dense/kernel_test_support.h"
#include "kernels/op_runner.h"
#include "kernels/registry.h"
#include "support/allocation_counter.h"

namespace recinfer::kernels::conv_test {

using dense_test::expect_close;
using dense_test::make_tensor;
using dense_test::random_tensor;
using dense_test::ThreadedFor;
using dense_test::values_of;

using Attrs = std::map<std::string, ir::Attribute, std::less<>>;

// Runs `op` optimised on a ThreadedFor and as the reference; expects both to succeed and every
// output to agree within atol + rtol·|ref|.
template <typename T>
void expect_matches_reference(ir::OpType op, int opset, const Attrs& attrs,
                              const std::vector<Tensor>& inputs, int num_outputs, double atol,
                              double rtol, const std::string& label) {
  ThreadedFor parallel(3);
  auto fast = run_op(op, opset, attrs, inputs, num_outputs, KernelVariant::kOptimized, &parallel);
  auto ref = run_op(op, opset, attrs, inputs, num_outputs, KernelVariant::kReference);
  ASSERT_TRUE(fast.is_ok()) << label << ": " << fast.status().to_string();
  ASSERT_TRUE(ref.is_ok()) << label << ": " << ref.status().to_string();
  for (int i = 0; i < num_outputs; ++i) {
    SCOPED_TRACE(label + " output " + std::to_string(i));
    expect_close<T>((*fast)[static_cast<size_t>(i)], (*ref)[static_cast<size_t>(i)], atol, rtol);
  }
}

// Like run_op, but prepare sees no constant inputs (weights computed at run time), so kernels
// take their unpacked path.
inline Result<std::vector<Tensor>> run_without_constants(ir::OpType op, int opset, const Attrs& attrs,
                                                         const std::vector<Tensor>& inputs, int num_outputs) {
  ir::Node node;
  node.name = "no_constants";
  node.op = op;
  node.opset = opset;
  node.attributes = attrs;
  std::vector<TensorInfo> infos(inputs.size());
  std::vector<const TensorInfo*> info_ptrs(inputs.size(), nullptr);
  std::vector<const Tensor*> input_ptrs(inputs.size(), nullptr);
  for (size_t i = 0; i < inputs.size(); ++i) {
    node.inputs.push_back(inputs[i].defined() ? static_cast<ir::ValueId>(i) : ir::kNoValue);
    if (!inputs[i].defined()) continue;
    infos[i] = {inputs[i].dtype(), inputs[i].shape(), &inputs[i]};
    info_ptrs[i] = &infos[i];
    input_ptrs[i] = &inputs[i];
  }
  node.num_declared_inputs = static_cast<int>(inputs.size());
  for (int i = 0; i < num_outputs; ++i) node.outputs.push_back(static_cast<ir::ValueId>(inputs.size() + i));
  const OpSchema* schema = KernelRegistry::instance().find(op);
  if (schema == nullptr) return unsupported("no schema");
  InferContext infer_ctx(node, info_ptrs, static_cast<size_t>(num_outputs));
  RI_RETURN_IF_ERROR(schema->infer(infer_ctx));
  std::vector<Tensor> outputs;
  for (int i = 0; i < num_outputs; ++i) {
    RI_ASSIGN_OR_RETURN(Tensor out, Tensor::allocate(infer_ctx.output(i).dtype, infer_ctx.output(i).shape));
    outputs.push_back(out);
  }
  std::unique_ptr<Kernel> kernel = schema->make(node);
  RI_RETURN_IF_ERROR(kernel->prepare(PrepareContext{node, std::vector<const Tensor*>(inputs.size(), nullptr)}));
  ThreadedFor parallel(2);
  KernelContext ctx(node, input_ptrs.data(), static_cast<int>(input_ptrs.size()), outputs.data(), num_outputs,
                    parallel);
  RI_RETURN_IF_ERROR(kernel->compute(ctx));
  return outputs;
}

// operator new calls during a second compute (the first warms up oneDNN and per-thread scratch);
// -1 when setting up the node failed.
inline int64_t steady_state_allocations(ir::OpType op, int opset, Attrs attrs,
                                        const std::vector<Tensor>& inputs, int num_outputs = 1) {
  ir::Node node;
  node.name = "alloc_probe";
  node.op = op;
  node.opset = opset;
  node.attributes = std::move(attrs);
  for (size_t i = 0; i < inputs.size(); ++i) {
    node.inputs.push_back(inputs[i].defined() ? static_cast<ir::ValueId>(i) : ir::kNoValue);
  }
  node.num_declared_inputs = static_cast<int>(inputs.size());
  for (int i = 0; i < num_outputs; ++i) node.outputs.push_back(static_cast<ir::ValueId>(inputs.size() + i));
  const OpSchema* schema = KernelRegistry::instance().find(op);
  if (schema == nullptr) return -1;
  std::vector<TensorInfo> infos;
  for (const Tensor& t : inputs) infos.push_back({t.dtype(), t.shape(), &t});
  std::vector<const TensorInfo*> info_ptrs;
  std::vector<const Tensor*> input_ptrs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    info_ptrs.push_back(inputs[i].defined() ? &infos[i] : nullptr);
    input_ptrs.push_back(inputs[i].defined() ? &inputs[i] : nullptr);
  }
  InferContext infer_ctx(node, info_ptrs, static_cast<size_t>(num_outputs));
  if (!schema->infer(infer_ctx).is_ok()) return -1;
  std::vector<Tensor> outputs;
  for (int i = 0; i < num_outputs; ++i) {
    auto out = Tensor::allocate(infer_ctx.output(i).dtype, infer_ctx.output(i).shape);
    if (!out.is_ok()) return -1;
    outputs.push_back(*out);
  }
  std::unique_ptr<Kernel> kernel = schema->make(node);
  if (!kernel->prepare(PrepareContext{node, input_ptrs}).is_ok()) return -1;
  SerialFor serial;
  KernelContext ctx(node, input_ptrs.data(), static_cast<int>(input_ptrs.size()), outputs.data(),
                    num_outputs, serial);
  if (!kernel->compute(ctx).is_ok()) return -1;
  recinfer::testing::start_counting_allocations();
  const Status status = kernel->compute(ctx);
  const int64_t allocations = recinfer::testing::stop_counting_allocations();
  return status.is_ok() ? allocations : -1;
}

}  // namespace recinfer::kernels::conv_test
