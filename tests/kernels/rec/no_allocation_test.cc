// Steady-state compute of the rec kernels must not touch the heap. The first compute may grow
// the per-thread sort scratch (CompareCount, CountDistinct); the second is counted.
#include "kernels/rec/rec_test_util.h"
#include "kernels/registry.h"
#include "support/allocation_counter.h"

namespace recinfer::kernels::rec_test {
namespace {

// Allocations of the second compute; -1 when setting up the node or a compute failed.
int64_t steady_state_allocations(ir::OpType op, Attrs attrs, const std::vector<Tensor>& inputs,
                                 int num_outputs) {
  ir::Node node;
  node.name = "alloc_probe";
  node.op = op;
  node.opset = 1;
  node.attributes = std::move(attrs);
  for (size_t i = 0; i < inputs.size(); ++i) {
    node.inputs.push_back(inputs[i].defined() ? static_cast<ir::ValueId>(i) : ir::kNoValue);
  }
  node.num_declared_inputs = static_cast<int>(inputs.size());
  for (int o = 0; o < num_outputs; ++o) {
    node.outputs.push_back(static_cast<ir::ValueId>(inputs.size()) + o);
  }
  const OpSchema* kernels = KernelRegistry::instance().find(op);
  if (kernels == nullptr) return -1;
  std::vector<TensorInfo> infos(inputs.size());
  std::vector<const TensorInfo*> info_ptrs(inputs.size(), nullptr);
  std::vector<const Tensor*> input_ptrs(inputs.size(), nullptr);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined()) continue;
    infos[i] = {inputs[i].dtype(), inputs[i].shape(), &inputs[i]};
    info_ptrs[i] = &infos[i];
    input_ptrs[i] = &inputs[i];
  }
  InferContext infer_ctx(node, info_ptrs, static_cast<size_t>(num_outputs));
  if (!kernels->infer(infer_ctx).is_ok()) return -1;
  std::vector<Tensor> outputs;
  for (int o = 0; o < num_outputs; ++o) {
    auto out = Tensor::allocate(infer_ctx.output(o).dtype, infer_ctx.output(o).shape);
    if (!out.is_ok()) return -1;
    outputs.push_back(*out);
  }
  std::unique_ptr<Kernel> kernel = kernels->make(node);
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

TEST(RecNoAllocationTest, AllFusedOps) {
  std::mt19937 rng(61);
  const Tensor table = random_tensor<float>(rng, {100, 64});
  const Tensor small = random_tensor<float>(rng, {50, 16});
  const Tensor ids = make_tensor<int64_t>({6}, {0, 99, -1, 5, 7, 42});
  const Tensor ids32 = make_tensor<int32_t>({4}, {3, -2, 7, 1});
  const Tensor starts = make_tensor<int64_t>({3}, {0, 2, 2});
  const Tensor weights = random_tensor<float>(rng, {4});
  EXPECT_EQ(steady_state_allocations(ir::OpType::kEmbeddingBag, {},
                                     {table, ids, starts, Tensor(), Tensor(), small, ids32,
                                      make_tensor<int32_t>({2}, {0, 1}), Tensor(), weights},
                                     2),
            0);
  EXPECT_EQ(steady_state_allocations(ir::OpType::kMaskedGather, {}, {table, ids}, 1), 0);
  const Tensor a = random_tensor<int64_t>(rng, {400, 1});
  const Tensor b = random_tensor<int64_t>(rng, {1, 4000});
  const Attrs count = {{"comparison", attr_string("Equal")}, {"to", attr_int(1)}};
  EXPECT_EQ(steady_state_allocations(ir::OpType::kCompareCount, count, {a, b}, 1), 0);
  EXPECT_EQ(steady_state_allocations(ir::OpType::kCompareCount, count,
                                     {random_tensor<int64_t>(rng, {5, 7}),
                                      random_tensor<int64_t>(rng, {7})},
                                     1),
            0);
  EXPECT_EQ(steady_state_allocations(ir::OpType::kMaskedReduce, {{"mode", attr_string("mean")}},
                                     {random_tensor<float>(rng, {8, 5, 16}),
                                      random_tensor<bool>(rng, {8, 5})},
                                     1),
            0);
  EXPECT_EQ(steady_state_allocations(ir::OpType::kCountDistinct,
                                     {{"comparison", attr_string("Greater")}, {"to", attr_int(7)}},
                                     {b, make_tensor<int64_t>({}, {0})}, 1),
            0);
  EXPECT_EQ(steady_state_allocations(ir::OpType::kPackedLookup,
                                     {{"columns", attr_ints({2, 0})},
                                      {"row_shape", attr_ints({1, 80})},
                                      {"to", attr_int(7)}},
                                     {make_tensor<float>({2, 3}, {1, 5, 49, 9, 0, 3}), table, small},
                                     1),
            0);
}

}  // namespace
}  // namespace recinfer::kernels::rec_test
