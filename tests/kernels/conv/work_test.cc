// FLOPs the roofline gets for the conv and rnn families' GEMM-class ops.
#include <gtest/gtest.h>

#include "kernels/registry.h"

namespace recinfer::kernels {
namespace {

double flops(ir::OpType op, std::vector<Shape> in, std::vector<Shape> out) {
  std::vector<ShapeInfo> ins, outs;
  for (const Shape& s : in) ins.push_back({DType::kFloat32, s, true});
  for (const Shape& s : out) outs.push_back({DType::kFloat32, s, true});
  const OpSchema* schema = find_schema(op);
  EXPECT_NE(schema, nullptr);
  EXPECT_EQ(schema->op_class, OpClass::kMatmul);
  return schema->work(ins, outs).flops;
}

TEST(ConvFamilyWorkTest, FlopsFromShapes) {
  // bnd,dk->bnk: 2·b·n·d·k.
  EXPECT_DOUBLE_EQ(flops(ir::OpType::kEinsum, {{4, 5, 6}, {6, 7}}, {{4, 5, 7}}), 2.0 * 4 * 5 * 6 * 7);
  // bnd,bmd->bnm: 2·b·n·m·d (the shared leading b is the batch).
  EXPECT_DOUBLE_EQ(flops(ir::OpType::kEinsum, {{4, 5, 6}, {4, 3, 6}}, {{4, 5, 3}}), 2.0 * 4 * 5 * 3 * 6);
  // Conv: 2·|Y|·(C/group)·K.
  EXPECT_DOUBLE_EQ(flops(ir::OpType::kConv, {{2, 4, 8, 8}, {6, 2, 3, 3}}, {{2, 6, 6, 6}}), 2.0 * 2 * 6 * 36 * 2 * 9);
  // ConvTranspose: 2·|X|·(M/group)·K.
  EXPECT_DOUBLE_EQ(flops(ir::OpType::kConvTranspose, {{1, 3, 4, 4}, {3, 2, 3, 3}}, {{1, 2, 6, 6}}), 2.0 * 48 * 2 * 9);
  // GRU: 2·seq·batch·3H·(input + H).
  EXPECT_DOUBLE_EQ(flops(ir::OpType::kGRU, {{5, 2, 8}, {1, 18, 8}, {1, 18, 6}}, {{5, 1, 2, 6}}), 2.0 * 10 * 18 * 14);
}

}  // namespace
}  // namespace recinfer::kernels
