#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "compare_test_util.h"

namespace recinfer::kernels {
namespace {

using compare_test::bools_of;
using compare_test::make;
using compare_test::make_bool;

Result<Tensor> run(ir::OpType op, const std::vector<Tensor>& inputs,
                   KernelVariant variant = KernelVariant::kOptimized,
                   ParallelFor* parallel = nullptr) {
  auto out = run_op(op, op == ir::OpType::kNot ? 1 : 7, {}, inputs, 1, variant, parallel);
  if (!out.is_ok()) return out.status();
  return (*out)[0];
}

TEST(LogicalOpsTest, TruthTables) {
  Tensor a = make_bool({4}, {0, 0, 1, 1});
  Tensor b = make_bool({4}, {0, 1, 0, 1});
  auto and_out = run(ir::OpType::kAnd, {a, b});
  auto or_out = run(ir::OpType::kOr, {a, b});
  auto not_out = run(ir::OpType::kNot, {a});
  ASSERT_TRUE(and_out.is_ok() && or_out.is_ok() && not_out.is_ok());
  EXPECT_EQ(bools_of(*and_out), (std::vector<int>{0, 0, 0, 1}));
  EXPECT_EQ(bools_of(*or_out), (std::vector<int>{0, 1, 1, 1}));
  EXPECT_EQ(bools_of(*not_out), (std::vector<int>{1, 1, 0, 0}));
  EXPECT_EQ(not_out->shape(), (Shape{4}));
}

TEST(LogicalOpsTest, XorTruthTableBroadcastAndNonCanonicalBytes) {
  auto x = run(ir::OpType::kXor, {make_bool({4}, {0, 0, 1, 1}), make_bool({4}, {0, 1, 0, 1})});
  ASSERT_TRUE(x.is_ok());
  EXPECT_EQ(bools_of(*x), (std::vector<int>{0, 1, 1, 0}));
  // (2,1) x (3), and a true byte of 2 that must read as true (2 != 1 as bytes, not as bools).
  Tensor column = make_bool({2, 1}, {1, 0});
  reinterpret_cast<uint8_t*>(column.raw())[0] = 2;
  auto b = run(ir::OpType::kXor, {column, make_bool({3}, {1, 0, 1})});
  ASSERT_TRUE(b.is_ok());
  EXPECT_EQ(b->shape(), (Shape{2, 3}));
  EXPECT_EQ(bools_of(*b), (std::vector<int>{0, 1, 0, 1, 0, 1}));
  Tensor i = make<int32_t>({2}, {0, 1});
  EXPECT_EQ(run(ir::OpType::kXor, {i, i}).status().code(), StatusCode::kInvalidArgument);
}

TEST(LogicalOpsTest, AndOrBroadcastHandChecked) {
  // (2,1) x (3): [[1],[0]] with [1,0,1].
  Tensor column = make_bool({2, 1}, {1, 0});
  Tensor row = make_bool({3}, {1, 0, 1});
  auto and_out = run(ir::OpType::kAnd, {column, row});
  auto or_out = run(ir::OpType::kOr, {column, row});
  ASSERT_TRUE(and_out.is_ok() && or_out.is_ok());
  EXPECT_EQ(and_out->shape(), (Shape{2, 3}));
  EXPECT_EQ(bools_of(*and_out), (std::vector<int>{1, 0, 1, 0, 0, 0}));
  EXPECT_EQ(bools_of(*or_out), (std::vector<int>{1, 1, 1, 1, 0, 1}));
}

// Bytes other than 0/1 in a bool tensor (from a sloppy producer) still read as true.
TEST(LogicalOpsTest, NonCanonicalTrueBytesCountAsTrue) {
  Tensor a = make_bool({3}, {1, 1, 0});
  Tensor b = make_bool({3}, {1, 0, 0});
  reinterpret_cast<uint8_t*>(a.raw())[0] = 2;
  reinterpret_cast<uint8_t*>(b.raw())[0] = 4;
  auto and_out = run(ir::OpType::kAnd, {a, b});
  auto not_out = run(ir::OpType::kNot, {a});
  ASSERT_TRUE(and_out.is_ok() && not_out.is_ok());
  EXPECT_EQ(bools_of(*and_out), (std::vector<int>{1, 0, 0}));
  EXPECT_EQ(bools_of(*not_out), (std::vector<int>{0, 0, 1}));
}

TEST(LogicalOpsTest, FastPathsMatchReference) {
  const std::vector<std::pair<Shape, Shape>> shapes = {
      {{3, 4, 5, 6}, {3, 4, 5, 6}}, {{3, 4, 5}, {5}},       {{3, 4, 5, 6}, {5, 6}},
      {{1, 4, 1, 6}, {3, 1, 5, 6}}, {{300, 1}, {1, 777}},   {{}, {9, 9}},
      {{2, 70001}, {1}},            {{2, 1, 3}, {1, 5, 1}},
  };
  std::mt19937 rng(99);
  compare_test::ReverseChunkedFor parallel;
  for (ir::OpType op : {ir::OpType::kAnd, ir::OpType::kOr, ir::OpType::kXor}) {
    for (const auto& [sa, sb] : shapes) {
      Tensor a = compare_test::random_tensor(DType::kBool, sa, rng);
      Tensor b = compare_test::random_tensor(DType::kBool, sb, rng);
      const std::string label =
          std::string(ir::op_name(op)) + " " + sa.to_string() + " x " + sb.to_string();
      auto ref = run(op, {a, b}, KernelVariant::kReference);
      auto fast = run(op, {a, b}, KernelVariant::kOptimized, &parallel);
      ASSERT_TRUE(ref.is_ok() && fast.is_ok()) << label;
      compare_test::expect_identical(*fast, *ref, label);
    }
  }
  // Not over a multi-chunk tensor.
  Tensor x = compare_test::random_tensor(DType::kBool, {5, 40000}, rng);
  auto not_out = run(ir::OpType::kNot, {x}, KernelVariant::kOptimized, &parallel);
  ASSERT_TRUE(not_out.is_ok());
  const bool* in = x.data<bool>();
  const bool* out = not_out->data<bool>();
  int64_t wrong = 0;
  for (int64_t i = 0; i < x.numel(); ++i) wrong += out[i] == in[i];
  EXPECT_EQ(wrong, 0);
}

TEST(LogicalOpsTest, NonBoolInputsAreRejected) {
  Tensor i = make<int32_t>({2}, {0, 1});
  Tensor b = make_bool({2}, {0, 1});
  auto and_int = run(ir::OpType::kAnd, {i, i});
  ASSERT_FALSE(and_int.is_ok());
  EXPECT_EQ(and_int.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(and_int.status().message().find("int32"), std::string::npos);
  auto or_mixed = run(ir::OpType::kOr, {b, i});
  ASSERT_FALSE(or_mixed.is_ok());
  EXPECT_EQ(or_mixed.status().code(), StatusCode::kInvalidArgument);
  auto not_int = run(ir::OpType::kNot, {i});
  ASSERT_FALSE(not_int.is_ok());
  EXPECT_EQ(not_int.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(not_int.status().message().find("(Not)"), std::string::npos);
}

TEST(LogicalOpsTest, IncompatibleShapesNameBothShapes) {
  Tensor a = make_bool({2, 3}, {0, 1, 0, 1, 0, 1});
  Tensor b = make_bool({2}, {0, 1});
  auto out = run(ir::OpType::kOr, {a, b});
  ASSERT_FALSE(out.is_ok());
  EXPECT_NE(out.status().message().find("A (2,3)"), std::string::npos);
  EXPECT_NE(out.status().message().find("B (2)"), std::string::npos);
}

}  // namespace
}  // namespace recinfer::kernels
