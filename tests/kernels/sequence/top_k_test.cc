// TopK: ONNX examples, tie and NaN ordering, K as attribute (opset 1) and input, K known only at
// run time, and the heap fast path against the full-sort reference on random odd shapes.
#include <limits>

#include "kernels/reduce/reduce_test_util.h"

namespace recinfer::kernels::reduce_test {
namespace {

using ir::OpType;

Tensor x_3x4() { return make_tensor<float>(Shape{3, 4}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}); }

TEST(TopKTest, OnnxExamples) {
  auto largest = run_ok(OpType::kTopK, 11, {{"axis", attr_int(1)}}, {x_3x4(), vector_i64({3})}, 2);
  EXPECT_EQ(largest[0].shape(), (Shape{3, 3}));
  EXPECT_EQ(to_vector<float>(largest[0]), (std::vector<float>{3, 2, 1, 7, 6, 5, 11, 10, 9}));
  EXPECT_EQ(to_vector<int64_t>(largest[1]), (std::vector<int64_t>{3, 2, 1, 3, 2, 1, 3, 2, 1}));
  auto smallest = run_ok(OpType::kTopK, 11, {{"largest", attr_int(0)}},
                         {x_3x4(), vector_i64({3})}, 2);
  EXPECT_EQ(to_vector<float>(smallest[0]), (std::vector<float>{0, 1, 2, 4, 5, 6, 8, 9, 10}));
  EXPECT_EQ(to_vector<int64_t>(smallest[1]), (std::vector<int64_t>{0, 1, 2, 0, 1, 2, 0, 1, 2}));
}

TEST(TopKTest, TiesKeepTheSmallerIndexFirst) {
  const Tensor x = make_tensor<int64_t>(Shape{6}, {1, 3, 3, 2, 3, 1});
  for (KernelVariant variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto top = run_ok(OpType::kTopK, 11, {}, {x, vector_i64({2})}, 2, variant);
    EXPECT_EQ(to_vector<int64_t>(top[0]), (std::vector<int64_t>{3, 3}));
    EXPECT_EQ(to_vector<int64_t>(top[1]), (std::vector<int64_t>{1, 2}));
    auto bottom = run_ok(OpType::kTopK, 11, {{"largest", attr_int(0)}}, {x, vector_i64({3})}, 2,
                         variant);
    EXPECT_EQ(to_vector<int64_t>(bottom[0]), (std::vector<int64_t>{1, 1, 2}));
    EXPECT_EQ(to_vector<int64_t>(bottom[1]), (std::vector<int64_t>{0, 5, 3}));
  }
}

TEST(TopKTest, NaNRanksAboveNumbers) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Tensor x = make_tensor<float>(Shape{4}, {1, nan, 3, 2});
  auto top = run_ok(OpType::kTopK, 11, {}, {x, vector_i64({2})}, 2);
  EXPECT_TRUE(std::isnan(to_vector<float>(top[0])[0]));
  EXPECT_EQ(to_vector<float>(top[0])[1], 3.0f);
  EXPECT_EQ(to_vector<int64_t>(top[1]), (std::vector<int64_t>{1, 2}));
  auto bottom = run_ok(OpType::kTopK, 11, {{"largest", attr_int(0)}}, {x, vector_i64({4})}, 2);
  EXPECT_EQ(to_vector<int64_t>(bottom[1]), (std::vector<int64_t>{0, 3, 2, 1}));
}

TEST(TopKTest, KAttributeInOpset1AndMiddleAxis) {
  auto v1 = run_ok(OpType::kTopK, 1, {{"k", attr_int(2)}}, {x_3x4()}, 2);
  EXPECT_EQ(to_vector<float>(v1[0]), (std::vector<float>{3, 2, 7, 6, 11, 10}));
  // Axis 0 of a (3,4) tensor: columns are strided.
  auto axis0 = run_ok(OpType::kTopK, 10, {{"axis", attr_int(0)}}, {x_3x4(), vector_i64({2})}, 2);
  EXPECT_EQ(axis0[0].shape(), (Shape{2, 4}));
  EXPECT_EQ(to_vector<float>(axis0[0]), (std::vector<float>{8, 9, 10, 11, 4, 5, 6, 7}));
  EXPECT_EQ(to_vector<int64_t>(axis0[1]), (std::vector<int64_t>{2, 2, 2, 2, 1, 1, 1, 1}));
  auto zero = run_ok(OpType::kTopK, 11, {}, {x_3x4(), vector_i64({0})}, 2);
  EXPECT_EQ(zero[0].shape(), (Shape{3, 0}));
}

template <typename T>
void compare_with_reference(uint32_t seed, double lo, double hi) {
  for (const Shape& shape : {Shape{1}, Shape{17}, Shape{3, 101}, Shape{5, 33, 3}, Shape{2, 1000},
                             Shape{7, 2, 9}}) {
    for (int axis = 0; axis < shape.rank(); ++axis) {
      const int64_t n = shape[axis];
      for (int64_t k : {int64_t{1}, int64_t{2}, n / 3, n - 1, n}) {
        if (k < 0 || k > n) continue;
        for (int largest = 0; largest <= 1; ++largest) {
          const Tensor x = random_tensor<T>(shape, seed++, lo, hi);
          std::map<std::string, ir::Attribute, std::less<>> attrs{{"axis", attr_int(axis)},
                                                                  {"largest", attr_int(largest)}};
          ChunkedFor chunked;
          auto fast = run_ok(OpType::kTopK, 11, attrs, {x, vector_i64({k})}, 2,
                             KernelVariant::kOptimized, &chunked);
          auto ref = run_ok(OpType::kTopK, 11, attrs, {x, vector_i64({k})}, 2,
                            KernelVariant::kReference);
          const std::string what = fmt::format("{} shape {} axis {} k {} largest {}",
                                               dtype_name(dtype_of<T>()), shape.to_string(), axis,
                                               k, largest);
          EXPECT_EQ(to_vector<T>(fast[0]), to_vector<T>(ref[0])) << what;
          EXPECT_EQ(to_vector<int64_t>(fast[1]), to_vector<int64_t>(ref[1])) << what;
          if (::testing::Test::HasFailure()) return;
        }
      }
    }
  }
}

TEST(TopKTest, HeapMatchesFullSortReference) {
  compare_with_reference<float>(1, -100, 100);
  compare_with_reference<double>(2, -1, 1);
  compare_with_reference<int64_t>(3, 0, 5);  // many ties
  compare_with_reference<int32_t>(4, -3, 3);
  compare_with_reference<uint8_t>(5, 0, 255);
}

TEST(TopKTest, ReferenceIsAStableFullSort) {
  const Tensor x = random_tensor<int32_t>(Shape{50}, 8, 0, 6);
  auto ref = run_ok(OpType::kTopK, 11, {}, {x, vector_i64({50})}, 2, KernelVariant::kReference);
  const auto values = to_vector<int32_t>(ref[0]);
  const auto indices = to_vector<int64_t>(ref[1]);
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(values[i], x.data<int32_t>()[indices[i]]);
    if (i > 0) {
      EXPECT_GE(values[i - 1], values[i]);
      if (values[i - 1] == values[i]) EXPECT_LT(indices[i - 1], indices[i]);
    }
  }
}

TEST(TopKTest, KKnownOnlyAtRunTime) {
  ir::Node node;
  node.name = "recall";
  node.op = OpType::kTopK;
  node.opset = 11;
  node.inputs = {0, 1};
  node.num_declared_inputs = 2;
  node.outputs = {2, 3};
  const Tensor x = x_3x4();
  const Tensor k = vector_i64({2});
  const OpSchema* kernels = KernelRegistry::instance().find(OpType::kTopK);
  ASSERT_NE(kernels, nullptr);
  TensorInfo x_info{x.dtype(), x.shape(), &x};
  TensorInfo k_info{k.dtype(), k.shape(), nullptr};
  InferContext infer_ctx(node, {&x_info, &k_info}, 2);
  ASSERT_TRUE(kernels->infer(infer_ctx).is_ok());
  EXPECT_TRUE(infer_ctx.output_dynamic(0));
  EXPECT_TRUE(infer_ctx.output_dynamic(1));
  std::unique_ptr<Kernel> kernel = kernels->make(node);
  Tensor outputs[2] = {Tensor(DType::kFloat32, Shape{0}, nullptr),
                       Tensor(DType::kInt64, Shape{0}, nullptr)};
  const Tensor* inputs[2] = {&x, &k};
  SerialFor serial;
  KernelContext ctx(node, inputs, 2, outputs, 2, serial);
  ASSERT_TRUE(kernel->compute(ctx).is_ok());
  EXPECT_EQ(outputs[0].shape(), (Shape{3, 2}));
  EXPECT_EQ(to_vector<float>(outputs[0]), (std::vector<float>{3, 2, 7, 6, 11, 10}));
  EXPECT_EQ(to_vector<int64_t>(outputs[1]), (std::vector<int64_t>{3, 2, 3, 2, 3, 2}));
}

TEST(TopKTest, ComputeDoesNotAllocateWithKnownK) {
  const Tensor x = random_tensor<float>(Shape{8, 1000}, 4);
  EXPECT_EQ(count_compute_allocations(OpType::kTopK, 11, {}, {x, vector_i64({10})}, 2), 0);
  EXPECT_EQ(count_compute_allocations(OpType::kTopK, 11, {{"axis", attr_int(0)}},
                                      {x, vector_i64({3})}, 2),
            0);
}

TEST(TopKTest, Errors) {
  auto too_big = run_op(OpType::kTopK, 11, {}, {x_3x4(), vector_i64({5})}, 2);
  ASSERT_FALSE(too_big.is_ok());
  EXPECT_EQ(too_big.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_big.status().message().find("k 5"), std::string::npos);
  auto negative = run_op(OpType::kTopK, 11, {}, {x_3x4(), vector_i64({-1})}, 2);
  ASSERT_FALSE(negative.is_ok());
  auto float_k = run_op(OpType::kTopK, 11, {}, {x_3x4(), make_tensor<float>(Shape{1}, {2})}, 2);
  ASSERT_FALSE(float_k.is_ok());
  auto missing_k = run_op(OpType::kTopK, 1, {}, {x_3x4()}, 2);
  ASSERT_FALSE(missing_k.is_ok());
  auto f16 = Tensor::allocate(DType::kFloat16, Shape{4});
  ASSERT_TRUE(f16.is_ok());
  auto unsupported_dtype = run_op(OpType::kTopK, 11, {}, {f16.value(), vector_i64({1})}, 2);
  ASSERT_FALSE(unsupported_dtype.is_ok());
  EXPECT_EQ(unsupported_dtype.status().code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace recinfer::kernels::reduce_test
