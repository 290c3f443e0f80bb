// Which batched MatMul shapes run as one GEMM, and with which operand roles. Values with
// constant operands (A's transpose prepacked) are checked against the naive reference in
// matmul_test.cc (Float32MatchesReference etc.); here also with A not constant, so the folded
// GEMM reads A transposed in place.
#include <gtest/gtest.h>

#include "kernels/dense/kernel_test_support.h"
#include "kernels/dense/matmul_fold.h"
#include "kernels/registry.h"

namespace recinfer::kernels::dense {
namespace {

MatMulFold fold_of(const Shape& a, const Shape& b) {
  auto shape = matmul_shape(a, b);
  EXPECT_TRUE(shape.is_ok()) << shape.status().to_string();
  return shape.is_ok() ? plan_matmul_fold(*shape) : MatMulFold{};
}

TEST(MatMulFoldTest, SharedLeftTimesColumnsIsOneTransposedGemm) {
  // (r, D) x (B, D, 1) -> (B, r, 1) = X (B, D) . W^T.
  const MatMulFold fold = fold_of({6, 40}, {128, 40, 1});
  EXPECT_EQ(fold.kind, MatMulFold::Kind::kColumnsOfB);
  EXPECT_EQ(fold.batch, 1);
  EXPECT_EQ(fold.m, 128);
  EXPECT_EQ(fold.n, 6);
  EXPECT_EQ(fold.k, 40);
  EXPECT_TRUE(fold.swap_operands);
  EXPECT_TRUE(fold.trans_b);
  // Broadcast batch dims on both sides still fold: A's are all 1.
  const MatMulFold broadcast = fold_of({1, 1, 6, 40}, {2, 3, 40, 1});
  EXPECT_EQ(broadcast.kind, MatMulFold::Kind::kColumnsOfB);
  EXPECT_EQ(broadcast.m, 6);
}

TEST(MatMulFoldTest, SharedVectorNeedsNoTranspose) {
  // A 1-D (K) or (1, K) A: its row is already the (K, 1) column the GEMM reads.
  const MatMulFold vector = fold_of({40}, {5, 40, 1});
  EXPECT_EQ(vector.kind, MatMulFold::Kind::kColumnsOfB);
  EXPECT_EQ(vector.m, 5);
  EXPECT_EQ(vector.n, 1);
  EXPECT_FALSE(vector.trans_b);
  EXPECT_FALSE(fold_of({1, 40}, {5, 40, 1}).trans_b);
}

TEST(MatMulFoldTest, RowsTimesSharedRightFoldIntoM) {
  const MatMulFold fold = fold_of({257, 1, 40}, {40, 6});
  EXPECT_EQ(fold.kind, MatMulFold::Kind::kRowsOfA);
  EXPECT_EQ(fold.batch, 1);
  EXPECT_EQ(fold.m, 257);
  EXPECT_EQ(fold.n, 6);
  EXPECT_FALSE(fold.swap_operands);
  EXPECT_EQ(fold_of({3, 5, 2, 9}, {1, 9, 4}).m, 30);
}

TEST(MatMulFoldTest, BatchOfOneAndUnfoldableShapesStayPerBatch) {
  EXPECT_EQ(fold_of({6, 40}, {1, 40, 1}).kind, MatMulFold::Kind::kPerBatch);
  EXPECT_EQ(fold_of({6, 40}, {1, 40, 1}).batch, 1);
  // Shared A but N > 1: the output columns of different batch entries interleave.
  EXPECT_EQ(fold_of({6, 40}, {9, 40, 2}).kind, MatMulFold::Kind::kPerBatch);
  EXPECT_EQ(fold_of({6, 40}, {9, 40, 2}).batch, 9);
  // Both operands batched (DCN-Mix's expert mixing): batched mat-vecs.
  EXPECT_EQ(fold_of({5, 40, 3}, {5, 3, 1}).kind, MatMulFold::Kind::kPerBatch);
  EXPECT_EQ(fold_of({2, 1, 6, 40}, {1, 7, 40, 1}).batch, 14);
}

// The optimised kernel with no constant inputs at prepare (A is an activation, not a weight),
// on several threads.
Tensor matmul_without_constants(const Tensor& a, const Tensor& b, ParallelFor& parallel) {
  ir::Node node;
  node.name = "matmul_runtime_operands";
  node.op = ir::OpType::kMatMul;
  node.opset = 13;
  node.inputs = {0, 1};
  node.num_declared_inputs = 2;
  node.outputs = {2};
  const OpSchema* schema = KernelRegistry::instance().find(ir::OpType::kMatMul);
  const TensorInfo a_info{a.dtype(), a.shape(), &a};
  const TensorInfo b_info{b.dtype(), b.shape(), &b};
  InferContext infer(node, {&a_info, &b_info}, 1);
  EXPECT_TRUE(schema->infer(infer).is_ok());
  Tensor out = Tensor::allocate(infer.output(0).dtype, infer.output(0).shape).value();
  std::unique_ptr<Kernel> kernel = schema->make(node);
  EXPECT_TRUE(kernel->prepare(PrepareContext{node, {nullptr, nullptr}}).is_ok());
  const Tensor* inputs[] = {&a, &b};
  KernelContext ctx(node, inputs, 2, &out, 1, parallel);
  const Status status = kernel->compute(ctx);
  EXPECT_TRUE(status.is_ok()) << status.to_string();
  return out;
}

TEST(MatMulFoldTest, RuntimeSharedOperandMatchesReference) {
  std::mt19937 rng(11);
  dense_test::ThreadedFor parallel;
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{6, 40}, {128, 40, 1}}, {{6, 40}, {257, 40, 1}}, {{6, 40}, {1, 40, 1}},
      {{1, 7, 9}, {2, 3, 9, 1}}, {{40}, {5, 40, 1}}, {{257, 1, 40}, {40, 6}}};
  for (const auto& [a_shape, b_shape] : cases) {
    SCOPED_TRACE("A " + a_shape.to_string() + " B " + b_shape.to_string());
    const Tensor a = dense_test::random_tensor<float>(rng, a_shape);
    const Tensor b = dense_test::random_tensor<float>(rng, b_shape);
    const Tensor fast = matmul_without_constants(a, b, parallel);
    auto ref = run_op(ir::OpType::kMatMul, 13, {}, {a, b}, 1, KernelVariant::kReference);
    ASSERT_TRUE(ref.is_ok()) << ref.status().to_string();
    dense_test::expect_close<float>(fast, (*ref)[0], 1e-4, 1e-4);
  }
}

}  // namespace
}  // namespace recinfer::kernels::dense
