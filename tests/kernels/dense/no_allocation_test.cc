// Steady-state compute of the dense and embedding kernels must not touch the heap: the runtime's
// zero-allocation guarantee depends on it. Runs each kernel once to warm up (oneDNN builds its
// JIT kernels on first use), then counts operator new calls during a second compute.
#include <gtest/gtest.h>

#include "kernels/dense/kernel_test_support.h"
#include "kernels/op_runner.h"
#include "kernels/registry.h"
#include "support/allocation_counter.h"

namespace recinfer::kernels {
namespace {

using dense_test::make_tensor;
using dense_test::random_tensor;

using Attrs = std::map<std::string, ir::Attribute, std::less<>>;

// Counts allocations of the second compute; -1 when setting up the node failed.
int64_t steady_state_allocations(ir::OpType op, Attrs attrs, const std::vector<Tensor>& inputs,
                                 KernelVariant variant = KernelVariant::kOptimized) {
  ir::Node node;
  node.name = "alloc_probe";
  node.op = op;
  node.opset = 13;
  node.attributes = std::move(attrs);
  for (size_t i = 0; i < inputs.size(); ++i) node.inputs.push_back(static_cast<ir::ValueId>(i));
  node.num_declared_inputs = static_cast<int>(inputs.size());
  node.outputs.push_back(static_cast<ir::ValueId>(inputs.size()));
  const OpSchema* kernels = KernelRegistry::instance().find(op);
  if (kernels == nullptr) return -1;
  std::vector<TensorInfo> infos;
  for (const Tensor& t : inputs) infos.push_back({t.dtype(), t.shape(), &t});
  std::vector<const TensorInfo*> info_ptrs;
  std::vector<const Tensor*> input_ptrs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    info_ptrs.push_back(&infos[i]);
    input_ptrs.push_back(&inputs[i]);
  }
  InferContext infer_ctx(node, info_ptrs, 1);
  if (!kernels->infer(infer_ctx).is_ok()) return -1;
  auto out = Tensor::allocate(infer_ctx.output(0).dtype, infer_ctx.output(0).shape);
  if (!out.is_ok()) return -1;
  std::vector<Tensor> outputs = {*out};
  auto factory = variant == KernelVariant::kReference && kernels->make_reference
                     ? kernels->make_reference
                     : kernels->make;
  std::unique_ptr<Kernel> kernel = factory(node);
  if (!kernel->prepare(PrepareContext{node, input_ptrs}).is_ok()) return -1;
  SerialFor serial;
  KernelContext ctx(node, input_ptrs.data(), static_cast<int>(input_ptrs.size()), outputs.data(),
                    1, serial);
  if (!kernel->compute(ctx).is_ok()) return -1;
  recinfer::testing::start_counting_allocations();
  const Status status = kernel->compute(ctx);
  const int64_t allocations = recinfer::testing::stop_counting_allocations();
  return status.is_ok() ? allocations : -1;
}

TEST(DenseNoAllocationTest, GatherAndGatherElements) {
  std::mt19937 rng(5);
  Tensor table = random_tensor<float>(rng, {100, 16});
  Tensor ids = make_tensor<int64_t>({2, 3}, {0, 99, -1, 5, 7, 42});
  EXPECT_EQ(steady_state_allocations(ir::OpType::kGather, {{"axis", attr_int(0)}}, {table, ids}), 0);
  EXPECT_EQ(steady_state_allocations(ir::OpType::kGather, {{"axis", attr_int(1)}},
                                     {table, make_tensor<int32_t>({2}, {3, -2})}),
            0);
  Tensor elem_ids = make_tensor<int64_t>({1, 2}, {4, 9});
  EXPECT_EQ(steady_state_allocations(ir::OpType::kGatherElements, {{"axis", attr_int(0)}},
                                     {table, elem_ids}),
            0);
}

TEST(DenseNoAllocationTest, GemmAndMatMul) {
  std::mt19937 rng(6);
  Attrs gemm = {{"alpha", attr_float(0.5f)}, {"transB", attr_int(1)}};
  Tensor a = random_tensor<float>(rng, {33, 20});
  Tensor b = random_tensor<float>(rng, {17, 20});
  Tensor c = random_tensor<float>(rng, {17});
  EXPECT_EQ(steady_state_allocations(ir::OpType::kGemm, gemm, {a, b, c}), 0);
  EXPECT_EQ(steady_state_allocations(ir::OpType::kGemm, gemm,
                                     {random_tensor<int64_t>(rng, {4, 5}),
                                      random_tensor<int64_t>(rng, {3, 5}),
                                      random_tensor<int64_t>(rng, {4, 1})}),
            0);
  EXPECT_EQ(steady_state_allocations(ir::OpType::kMatMul, {},
                                     {random_tensor<float>(rng, {2, 1, 9, 20}),
                                      random_tensor<float>(rng, {3, 20, 7})}),
            0);
  EXPECT_EQ(steady_state_allocations(ir::OpType::kMatMul, {},
                                     {random_tensor<int32_t>(rng, {5}),
                                      random_tensor<int32_t>(rng, {2, 5, 3})}),
            0);
}

}  // namespace
}  // namespace recinfer::kernels
