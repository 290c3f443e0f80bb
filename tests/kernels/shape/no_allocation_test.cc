// Steady-state inference performs zero heap allocations: compute() of every shape kernel with
// outputs already bound (static shapes) must not allocate.
#include <gtest/gtest.h>

#include "kernels/shape/shape_test_util.h"
#include "support/allocation_counter.h"

namespace recinfer::kernels {
namespace {

using namespace recinfer::kernels::shape_test;
using ir::OpType;

// Infers, binds outputs and prepares outside the counting window, then counts compute() only.
int64_t compute_allocations(OpType op, int opset,
                            std::map<std::string, ir::Attribute, std::less<>> attributes,
                            const std::vector<Tensor>& inputs, int num_outputs = 1) {
  ir::Node node;
  node.name = "alloc_under_test";
  node.op = op;
  node.opset = opset;
  node.attributes = std::move(attributes);
  for (size_t i = 0; i < inputs.size(); ++i) {
    node.inputs.push_back(inputs[i].defined() ? static_cast<ir::ValueId>(i) : ir::kNoValue);
  }
  node.num_declared_inputs = static_cast<int>(inputs.size());
  for (int o = 0; o < num_outputs; ++o) node.outputs.push_back(100 + o);
  const OpSchema* kernels = KernelRegistry::instance().find(op);
  std::vector<TensorInfo> infos(inputs.size());
  std::vector<const TensorInfo*> info_ptrs;
  std::vector<const Tensor*> input_ptrs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    infos[i] = {inputs[i].dtype(), inputs[i].shape(), &inputs[i]};
    info_ptrs.push_back(&infos[i]);
    input_ptrs.push_back(&inputs[i]);
  }
  InferContext infer_ctx(node, info_ptrs, static_cast<size_t>(num_outputs));
  EXPECT_TRUE(kernels->infer(infer_ctx).is_ok());
  std::vector<Tensor> outputs;
  for (int o = 0; o < num_outputs; ++o) {
    EXPECT_FALSE(infer_ctx.output_dynamic(o));
    outputs.push_back(
        Tensor::allocate(infer_ctx.output(o).dtype, infer_ctx.output(o).shape).value());
  }
  auto kernel = kernels->make(node);
  PrepareContext prepare_ctx{node, input_ptrs};
  EXPECT_TRUE(kernel->prepare(prepare_ctx).is_ok());
  ChunkedFor chunked;
  KernelContext ctx(node, input_ptrs.data(), static_cast<int>(input_ptrs.size()), outputs.data(),
                    num_outputs, chunked);
  recinfer::testing::start_counting_allocations();
  Status st = kernel->compute(ctx);
  const int64_t count = recinfer::testing::stop_counting_allocations();
  EXPECT_TRUE(st.is_ok()) << st.to_string();
  return count;
}

TEST(ShapeKernelsNoAllocation, CounterSeesAllocations) {
  recinfer::testing::start_counting_allocations();
  auto probe = std::make_unique<std::vector<int>>(100);
  EXPECT_GE(recinfer::testing::stop_counting_allocations(), 1);
}

TEST(ShapeKernelsNoAllocation, ComputeDoesNotAllocate) {
  Tensor x = iota<float>(Shape{64, 48, 3});
  EXPECT_EQ(compute_allocations(OpType::kReshape, 14, {}, {x, ints({0, -1})}), 0);
  EXPECT_EQ(compute_allocations(OpType::kFlatten, 13, {}, {x}), 0);
  EXPECT_EQ(compute_allocations(OpType::kIdentity, 16, {}, {x}), 0);
  EXPECT_EQ(compute_allocations(OpType::kSqueeze, 13, {}, {iota<float>(Shape{1, 5}), ints({0})}),
            0);
  EXPECT_EQ(compute_allocations(OpType::kUnsqueeze, 13, {}, {x, ints({0})}), 0);
  EXPECT_EQ(compute_allocations(OpType::kTranspose, 13, {{"perm", attr_ints({2, 0, 1})}}, {x}), 0);
  EXPECT_EQ(compute_allocations(OpType::kTranspose, 13, {{"perm", attr_ints({1, 0, 2})}}, {x}), 0);
  EXPECT_EQ(compute_allocations(OpType::kTranspose, 13, {}, {x}), 0);
  EXPECT_EQ(
      compute_allocations(OpType::kExpand, 13, {}, {iota<float>(Shape{3, 1}), ints({2, 3, 7})}),
      0);
  EXPECT_EQ(compute_allocations(OpType::kConcat, 13, {{"axis", attr_int(1)}}, {x, x}), 0);
  EXPECT_EQ(compute_allocations(OpType::kSlice, 13, {},
                                {x, ints({1, -1}), ints({40, 0}), ints({0, 2}), ints({2, -1})}),
            0);
  EXPECT_EQ(compute_allocations(OpType::kSlice, 9,
                                {{"starts", attr_ints({1})}, {"ends", attr_ints({3})}}, {x}),
            0);
  EXPECT_EQ(
      compute_allocations(OpType::kSplit, 13, {{"axis", attr_int(1)}}, {x, ints({10, 38})}, 2),
      0);
  EXPECT_EQ(compute_allocations(OpType::kSplit, 11, {{"split", attr_ints({60, 4})}}, {x}, 2), 0);
  EXPECT_EQ(compute_allocations(OpType::kShape, 15, {{"start", attr_int(1)}}, {x}), 0);
  EXPECT_EQ(compute_allocations(OpType::kConstant, 13, {{"value_ints", attr_ints({1, 2})}}, {}), 0);
  EXPECT_EQ(compute_allocations(OpType::kConstantOfShape, 9, {}, {ints({4, 5})}), 0);
  EXPECT_EQ(compute_allocations(OpType::kRange, 11, {},
                                {make<int64_t>(Shape{}, {0}), make<int64_t>(Shape{}, {9}),
                                 make<int64_t>(Shape{}, {2})}),
            0);
}

TEST(ShapeKernelsNoAllocation, LayoutOpsWithStaticShapes) {
  const Tensor x = iota<float>(Shape{2, 3, 4});
  EXPECT_EQ(compute_allocations(OpType::kTile, 13, {}, {x, ints({2, 1, 3})}), 0);
  EXPECT_EQ(compute_allocations(OpType::kPad, 13, {{"mode", attr_string("reflect")}},
                                {x, ints({0, 1, 2, 1, -1, 3})}),
            0);
  EXPECT_EQ(compute_allocations(OpType::kPad, 2, {{"pads", attr_ints({0, 1, 2, 1, 0, 3})}}, {x}),
            0);
  EXPECT_EQ(compute_allocations(OpType::kTrilu, 14, {}, {x, make<int64_t>(Shape{}, {1})}), 0);
  EXPECT_EQ(compute_allocations(OpType::kOneHot, 11, {},
                                {ints({0, 2, -1}), ints({4}), make<float>(Shape{2}, {0, 1})}),
            0);
  EXPECT_EQ(compute_allocations(OpType::kCompress, 11, {{"axis", attr_int(1)}},
                                {x, make<bool>(Shape{3}, {true, false, true})}),
            0);
  EXPECT_EQ(compute_allocations(OpType::kDepthToSpace, 13, {{"blocksize", attr_int(2)}},
                                {iota<float>(Shape{1, 8, 2, 3})}),
            0);
  EXPECT_EQ(compute_allocations(OpType::kResize, 10, {{"mode", attr_string("linear")}},
                                {x, make<float>(Shape{3}, {1, 2, 1.5f})}),
            0);
}

}  // namespace
}  // namespace recinfer::kernels
