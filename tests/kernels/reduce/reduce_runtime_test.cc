// Runtime contract of the reduce family: axes known only at run time (dynamic output bound by
// the kernel) and no heap allocation in compute for static-shape outputs.
#include "kernels/reduce/reduce_test_util.h"

namespace recinfer::kernels::reduce_test {
namespace {

using ir::OpType;

TEST(ReduceRuntimeTest, AxesKnownOnlyAtRunTimeBindTheOutput) {
  ir::Node node;
  node.name = "pool";
  node.op = OpType::kReduceSum;
  node.opset = 13;
  node.attributes = {{"keepdims", attr_int(0)}};
  node.inputs = {0, 1};
  node.num_declared_inputs = 2;
  node.outputs = {2};
  const Tensor x = make_tensor<float>(Shape{3, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  Tensor axes = vector_i64({2});

  const OpSchema* kernels = KernelRegistry::instance().find(OpType::kReduceSum);
  ASSERT_NE(kernels, nullptr);
  TensorInfo x_info{x.dtype(), x.shape(), &x};
  TensorInfo axes_info{axes.dtype(), axes.shape(), nullptr};  // value unknown at plan time
  InferContext infer_ctx(node, {&x_info, &axes_info}, 1);
  ASSERT_TRUE(kernels->infer(infer_ctx).is_ok());
  EXPECT_TRUE(infer_ctx.output_dynamic(0));
  EXPECT_EQ(infer_ctx.output(0).dtype, DType::kFloat32);

  std::unique_ptr<Kernel> kernel = kernels->make(node);
  Tensor outputs[1] = {Tensor(DType::kFloat32, Shape{0}, nullptr)};
  const Tensor* inputs[2] = {&x, &axes};
  SerialFor serial;
  KernelContext ctx(node, inputs, 2, outputs, 1, serial);
  ASSERT_TRUE(kernel->compute(ctx).is_ok());
  EXPECT_EQ(outputs[0].shape(), (Shape{3, 2}));
  EXPECT_EQ(to_vector<float>(outputs[0]), (std::vector<float>{3, 7, 11, 15, 19, 23}));

  // Next request reduces another axis: the same output slot is re-bound with the new shape.
  axes.data<int64_t>()[0] = 0;
  ASSERT_TRUE(kernel->compute(ctx).is_ok());
  EXPECT_EQ(outputs[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(to_vector<float>(outputs[0]), (std::vector<float>{15, 18, 21, 24}));

  // A bad runtime axis is an error naming the node and the value, not a crash.
  axes.data<int64_t>()[0] = 7;
  const Status bad = kernel->compute(ctx);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.message().find("pool"), std::string::npos);
  EXPECT_NE(bad.message().find("axis 7"), std::string::npos);
}

TEST(ReduceRuntimeTest, ComputeDoesNotAllocate) {
  const Tensor x = random_tensor<float>(Shape{4, 33, 70}, 3);
  EXPECT_EQ(count_compute_allocations(OpType::kReduceSum, 13, {}, {x, vector_i64({1})}, 1), 0);
  EXPECT_EQ(count_compute_allocations(OpType::kReduceSum, 13, {}, {x, vector_i64({0, 2})}, 1), 0);
  EXPECT_EQ(count_compute_allocations(OpType::kReduceMean, 13, {{"axes", attr_ints({2})}}, {x}, 1),
            0);
  EXPECT_EQ(count_compute_allocations(OpType::kReduceMax, 13, {}, {x}, 1), 0);
  EXPECT_EQ(count_compute_allocations(OpType::kArgMax, 13, {{"axis", attr_int(1)}}, {x}, 1), 0);
  EXPECT_EQ(count_compute_allocations(OpType::kCumSum, 14, {}, {x, scalar_i64(1)}, 1), 0);
  EXPECT_EQ(count_compute_allocations(OpType::kSoftmax, 13, {{"axis", attr_int(1)}}, {x}, 1), 0);
  EXPECT_EQ(count_compute_allocations(OpType::kSoftmax, 11, {}, {x}, 1), 0);
}

}  // namespace
}  // namespace recinfer::kernels::reduce_test
