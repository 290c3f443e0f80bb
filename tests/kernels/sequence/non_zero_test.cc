// NonZero: the ONNX example, NaN / negative zero, scalars, empty inputs, and a brute-force check
// on an input large enough to be split into many chunks.
#include <limits>

#include "kernels/reduce/reduce_test_util.h"

namespace recinfer::kernels::reduce_test {
namespace {

using ir::OpType;

TEST(NonZeroTest, OnnxExample) {
  auto out = run_ok(OpType::kNonZero, 13, {},
                    {make_tensor<bool>(Shape{2, 2}, {true, false, true, true})}, 1);
  EXPECT_EQ(out[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(to_vector<int64_t>(out[0]), (std::vector<int64_t>{0, 1, 1, 0, 0, 1}));
}

TEST(NonZeroTest, NaNIsNonZeroAndNegativeZeroIsZero) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto out = run_ok(OpType::kNonZero, 9, {}, {make_tensor<float>(Shape{4}, {0, nan, -0.0f, 2})}, 1);
  EXPECT_EQ(out[0].shape(), (Shape{1, 2}));
  EXPECT_EQ(to_vector<int64_t>(out[0]), (std::vector<int64_t>{1, 3}));
}

TEST(NonZeroTest, ScalarsAndEmptyInputs) {
  auto one = run_ok(OpType::kNonZero, 13, {}, {make_tensor<int64_t>(Shape{}, {7})}, 1);
  EXPECT_EQ(one[0].shape(), (Shape{1, 1}));
  EXPECT_EQ(to_vector<int64_t>(one[0]), (std::vector<int64_t>{0}));
  auto none = run_ok(OpType::kNonZero, 13, {}, {make_tensor<int64_t>(Shape{}, {0})}, 1);
  EXPECT_EQ(none[0].shape(), (Shape{1, 0}));
  auto empty = run_ok(OpType::kNonZero, 13, {}, {make_tensor<int32_t>(Shape{3, 0, 2}, {})}, 1);
  EXPECT_EQ(empty[0].shape(), (Shape{3, 0}));
  auto zeros = run_ok(OpType::kNonZero, 13, {}, {make_tensor<double>(Shape{2, 2}, {0, 0, 0, 0})}, 1);
  EXPECT_EQ(zeros[0].shape(), (Shape{2, 0}));
}

TEST(NonZeroTest, LargeChunkedInputMatchesBruteForce) {
  const Shape shape{7, 130, 41};  // > 16k elements: several chunks
  const Tensor x = random_tensor<int32_t>(shape, 13, -1, 1);
  ChunkedFor chunked;
  auto out = run_ok(OpType::kNonZero, 13, {}, {x}, 1, KernelVariant::kOptimized, &chunked);
  std::vector<int64_t> rows[3];
  const int32_t* v = x.data<int32_t>();
  for (int64_t a = 0; a < shape[0]; ++a) {
    for (int64_t b = 0; b < shape[1]; ++b) {
      for (int64_t c = 0; c < shape[2]; ++c) {
        if (v[(a * shape[1] + b) * shape[2] + c] != 0) {
          rows[0].push_back(a);
          rows[1].push_back(b);
          rows[2].push_back(c);
        }
      }
    }
  }
  std::vector<int64_t> expected;
  for (const auto& row : rows) expected.insert(expected.end(), row.begin(), row.end());
  EXPECT_EQ(out[0].shape(), (Shape{3, static_cast<int64_t>(rows[0].size())}));
  EXPECT_EQ(to_vector<int64_t>(out[0]), expected);
}

TEST(NonZeroTest, OutputIsDynamicAndStringsAreUnsupported) {
  ir::Node node;
  node.name = "mask";
  node.op = OpType::kNonZero;
  node.opset = 13;
  const Tensor x = make_tensor<float>(Shape{2}, {1, 0});
  TensorInfo x_info{x.dtype(), x.shape(), &x};
  InferContext ctx(node, {&x_info}, 1);
  ASSERT_TRUE(KernelRegistry::instance().find(OpType::kNonZero)->infer(ctx).is_ok());
  EXPECT_TRUE(ctx.output_dynamic(0));
  EXPECT_EQ(ctx.output(0).dtype, DType::kInt64);

  TensorInfo string_info{DType::kString, Shape{2}, nullptr};
  InferContext string_ctx(node, {&string_info}, 1);
  const Status status = KernelRegistry::instance().find(OpType::kNonZero)->infer(string_ctx);
  EXPECT_EQ(status.code(), StatusCode::kUnsupported);
}

}  // namespace
}  // namespace recinfer::kernels::reduce_test
