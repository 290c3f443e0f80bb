#include <gtest/gtest.h>

#include "kernels/registry.h"
#include "kernels/shape/shape_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace recinfer::kernels::shape_test;
using ir::OpType;

TEST(ShapeKernelsReshape, ZeroCopiesDimAndMinusOneInfers) {
  Tensor data = iota<float>(Shape{2, 3, 4});
  auto out = run_ok(OpType::kReshape, 14, {}, {data, ints({0, -1, 2})});
  EXPECT_EQ(out[0].shape(), (Shape{2, 6, 2}));
  EXPECT_EQ(values_of<float>(out[0]), values_of<float>(data));
}

TEST(ShapeKernelsReshape, ExactShapeAndValues) {
  Tensor data = make<int32_t>(Shape{2, 3}, {1, 2, 3, 4, 5, 6});
  auto out = run_ok(OpType::kReshape, 13, {}, {data, ints({3, 2})});
  EXPECT_EQ(out[0].shape(), (Shape{3, 2}));
  EXPECT_EQ(values_of<int32_t>(out[0]), (std::vector<int32_t>{1, 2, 3, 4, 5, 6}));
}

TEST(ShapeKernelsReshape, AllowZeroKeepsLiteralZero) {
  Tensor data = make<float>(Shape{0, 3, 4}, {});
  auto out = run_ok(OpType::kReshape, 14, {{"allowzero", attr_int(1)}}, {data, ints({3, 4, 0})});
  EXPECT_EQ(out[0].shape(), (Shape{3, 4, 0}));
  // Without allowzero the 0 would copy input dim 2 (4): (3,4,4) has 48 elements, not 0.
  Status st = run_error(OpType::kReshape, 14, {}, {data, ints({3, 4, 0})});
  EXPECT_NE(st.message().find("(3,4,4)"), std::string::npos) << st.message();
  // allowzero before opset 14 does not exist: the 0 copies.
  auto old = run_ok(OpType::kReshape, 13, {{"allowzero", attr_int(1)}},
                    {make<float>(Shape{2, 3}, {1, 2, 3, 4, 5, 6}), ints({0, 3})});
  EXPECT_EQ(old[0].shape(), (Shape{2, 3}));
}

TEST(ShapeKernelsReshape, ErrorsNameTheValue) {
  Tensor data = iota<float>(Shape{2, 3});
  Status st = run_error(OpType::kReshape, 14, {}, {data, ints({4, 2})});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("Reshape"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("(4,2)"), std::string::npos) << st.message();
  st = run_error(OpType::kReshape, 14, {}, {data, ints({-1, -1})});
  EXPECT_NE(st.message().find("-1"), std::string::npos) << st.message();
  st = run_error(OpType::kReshape, 14, {}, {data, ints({-1, 4})});
  EXPECT_NE(st.message().find("-1"), std::string::npos) << st.message();
  st = run_error(OpType::kReshape, 14, {}, {data, ints({-2, 3})});
  EXPECT_NE(st.message().find("-2"), std::string::npos) << st.message();
  st = run_error(OpType::kReshape, 14, {}, {data, ints({6, 1, 0})});
  EXPECT_NE(st.message().find("shape[2] = 0"), std::string::npos) << st.message();
  st = run_error(OpType::kReshape, 14, {{"allowzero", attr_int(1)}}, {data, ints({0, -1})});
  EXPECT_NE(st.message().find("allowzero"), std::string::npos) << st.message();
  // Overflowing products are errors, not wrap-around.
  st = run_error(OpType::kReshape, 14, {}, {data, ints({int64_t{1} << 40, int64_t{1} << 40, -1})});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  st = run_error(OpType::kReshape, 14, {}, {data, make<float>(Shape{2}, {2, 3})});
  EXPECT_NE(st.message().find("shape"), std::string::npos) << st.message();
  st = run_error(OpType::kReshape, 14, {}, {data, ints({1, 1, 1, 1, 1, 1, 1, 1, 6})});
  EXPECT_EQ(st.code(), StatusCode::kUnsupported);
}

TEST(ShapeKernelsReshape, UnknownShapeValueIsDynamicAndBoundInCompute) {
  Tensor data = iota<int64_t>(Shape{4, 3});
  DynamicRun run = run_dynamic(OpType::kReshape, 14, {}, {data, ints({2, -1})}, {1});
  EXPECT_TRUE(run.all_dynamic);
  EXPECT_EQ(run.outputs[0].shape(), (Shape{2, 6}));
  EXPECT_EQ(values_of<int64_t>(run.outputs[0]), values_of<int64_t>(data));
  // Known value: static shape.
  DynamicRun known = run_dynamic(OpType::kReshape, 14, {}, {data, ints({2, -1})}, {});
  EXPECT_FALSE(known.all_dynamic);
  EXPECT_EQ(known.outputs[0].shape(), (Shape{2, 6}));
}

TEST(ShapeKernelsReshape, FullyAliasedOutputIsLeftAlone) {
  // The planner may bind the output to the input's storage; compute must not memcpy onto itself.
  Tensor data = iota<float>(Shape{2, 3});
  ir::Node node;
  node.name = "alias";
  node.op = OpType::kReshape;
  node.opset = 14;
  node.inputs = {0, 1};
  node.num_declared_inputs = 2;
  node.outputs = {2};
  Tensor shape = ints({6});
  Tensor out = data.reshaped(Shape{6});
  const Tensor* inputs[2] = {&data, &shape};
  SerialFor serial;
  KernelContext ctx(node, inputs, 2, &out, 1, serial);
  auto kernel = KernelRegistry::instance().find(OpType::kReshape)->make(node);
  ASSERT_TRUE(kernel->compute(ctx).is_ok());
  EXPECT_EQ(out.raw(), data.raw());
  EXPECT_EQ(values_of<float>(out), (std::vector<float>{0, 1, 2, 3, 4, 5}));
}

TEST(ShapeKernelsReshape, StringsAreUnsupported) {
  Tensor strings(DType::kString, Shape{2}, nullptr);
  Status st = run_error(OpType::kReshape, 14, {}, {strings, ints({2})});
  EXPECT_EQ(st.code(), StatusCode::kUnsupported);
  EXPECT_NE(st.message().find("string"), std::string::npos);
}

TEST(ShapeKernelsReshape, LargeCopyInChunks) {
  Tensor data = iota<int32_t>(Shape{1000, 300});  // 1.2 MB, split by copy_bytes
  ChunkedFor chunked;
  auto out = run_ok(OpType::kReshape, 14, {}, {data, ints({300, 1000})}, 1, &chunked);
  EXPECT_GT(chunked.calls, 0);
  EXPECT_EQ(values_of<int32_t>(out[0]), values_of<int32_t>(data));
}

TEST(ShapeKernelsFlatten, Axes) {
  Tensor data = iota<float>(Shape{2, 3, 4, 5});
  struct Case {
    int64_t axis;
    Shape expected;
  } cases[] = {{0, Shape{1, 120}}, {1, Shape{2, 60}},  {2, Shape{6, 20}},  {3, Shape{24, 5}},
               {4, Shape{120, 1}}, {-1, Shape{24, 5}}, {-4, Shape{1, 120}}};
  for (const Case& c : cases) {
    auto out = run_ok(OpType::kFlatten, 13, {{"axis", attr_int(c.axis)}}, {data});
    EXPECT_EQ(out[0].shape(), c.expected) << "axis " << c.axis;
    EXPECT_EQ(values_of<float>(out[0]), values_of<float>(data));
  }
  auto deflt = run_ok(OpType::kFlatten, 13, {}, {data});
  EXPECT_EQ(deflt[0].shape(), (Shape{2, 60}));
  Status st = run_error(OpType::kFlatten, 13, {{"axis", attr_int(5)}}, {data});
  EXPECT_NE(st.message().find("axis 5"), std::string::npos) << st.message();
}

TEST(ShapeKernelsIdentity, CopiesEveryDtype) {
  auto out = run_ok(OpType::kIdentity, 16, {}, {make<bool>(Shape{3}, {true, false, true})});
  EXPECT_EQ(values_of<bool>(out[0]), (std::vector<bool>{true, false, true}));
  auto out64 = run_ok(OpType::kIdentity, 16, {}, {make<double>(Shape{2, 1}, {1.5, -2.5})});
  EXPECT_EQ(out64[0].shape(), (Shape{2, 1}));
  EXPECT_EQ(values_of<double>(out64[0]), (std::vector<double>{1.5, -2.5}));
  // float16 moves by byte size.
  auto half = Tensor::allocate(DType::kFloat16, Shape{2}).value();
  half.data<uint16_t>()[0] = 0x3c00;
  half.data<uint16_t>()[1] = 0xc000;
  auto out16 = run_ok(OpType::kIdentity, 16, {}, {half});
  EXPECT_EQ(out16[0].dtype(), DType::kFloat16);
  EXPECT_EQ(values_of<uint16_t>(out16[0]), (std::vector<uint16_t>{0x3c00, 0xc000}));
}

TEST(ShapeKernelsAliasing, ViewOps) {
  EXPECT_TRUE(is_view_op(OpType::kReshape));
  EXPECT_TRUE(is_view_op(OpType::kFlatten));
  EXPECT_TRUE(is_view_op(OpType::kSqueeze));
  EXPECT_TRUE(is_view_op(OpType::kUnsqueeze));
  EXPECT_TRUE(is_view_op(OpType::kIdentity));
  EXPECT_FALSE(is_view_op(OpType::kTranspose));
  EXPECT_FALSE(is_view_op(OpType::kSlice));
  EXPECT_FALSE(is_view_op(OpType::kExpand));
}

}  // namespace
}  // namespace recinfer::kernels
