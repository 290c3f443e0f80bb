#include <gtest/gtest.h>

#include "kernels/shape/shape_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace recinfer::kernels::shape_test;
using ir::OpType;

TEST(ShapeKernelsShape, AllDims) {
  auto out = run_ok(OpType::kShape, 13, {}, {iota<float>(Shape{3, 4, 5})});
  EXPECT_EQ(out[0].dtype(), DType::kInt64);
  EXPECT_EQ(values_of<int64_t>(out[0]), (std::vector<int64_t>{3, 4, 5}));
  auto scalar = run_ok(OpType::kShape, 13, {}, {make<float>(Shape{}, {1})});
  EXPECT_EQ(scalar[0].shape(), (Shape{0}));
}

TEST(ShapeKernelsShape, StartEndFromOpset15) {
  Tensor x = iota<float>(Shape{2, 3, 4, 5});
  struct Case {
    std::optional<int64_t> start, end;
    std::vector<int64_t> expected;
  } cases[] = {
      {1, std::nullopt, {3, 4, 5}}, {std::nullopt, 1, {2}},   {1, 2, {3}},
      {1, -1, {3, 4}},              {-1, std::nullopt, {5}},  {-10, std::nullopt, {2, 3, 4, 5}},
      {std::nullopt, 10, {2, 3, 4, 5}}, {3, 1, {}},
  };
  for (const Case& c : cases) {
    std::map<std::string, ir::Attribute, std::less<>> attrs;
    if (c.start) attrs["start"] = attr_int(*c.start);
    if (c.end) attrs["end"] = attr_int(*c.end);
    auto out = run_ok(OpType::kShape, 15, attrs, {x});
    EXPECT_EQ(values_of<int64_t>(out[0]), c.expected)
        << "start " << c.start.value_or(0) << " end " << c.end.value_or(99);
  }
  // Before opset 15 the attributes do not exist.
  auto old = run_ok(OpType::kShape, 13, {{"start", attr_int(1)}}, {x});
  EXPECT_EQ(values_of<int64_t>(old[0]), (std::vector<int64_t>{2, 3, 4, 5}));
}

TEST(ShapeKernelsConstant, ValueTensor) {
  Tensor v = make<double>(Shape{2, 2}, {1.5, 2.5, 3.5, 4.5});
  auto out = run_ok(OpType::kConstant, 13, {{"value", attr_tensor(v)}}, {});
  EXPECT_EQ(out[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_of<double>(out[0]), (std::vector<double>{1.5, 2.5, 3.5, 4.5}));
  EXPECT_NE(out[0].raw(), v.raw());
}

TEST(ShapeKernelsConstant, ScalarAndListAttributes) {
  auto f = run_ok(OpType::kConstant, 13, {{"value_float", attr_float(2.5f)}}, {});
  EXPECT_EQ(f[0].shape(), Shape{});
  EXPECT_EQ(values_of<float>(f[0]), (std::vector<float>{2.5f}));
  auto fs = run_ok(OpType::kConstant, 13, {{"value_floats", attr_floats({1, -2})}}, {});
  EXPECT_EQ(fs[0].shape(), (Shape{2}));
  EXPECT_EQ(values_of<float>(fs[0]), (std::vector<float>{1, -2}));
  auto i = run_ok(OpType::kConstant, 13, {{"value_int", attr_int(-7)}}, {});
  EXPECT_EQ(i[0].dtype(), DType::kInt64);
  EXPECT_EQ(values_of<int64_t>(i[0]), (std::vector<int64_t>{-7}));
  auto is = run_ok(OpType::kConstant, 13, {{"value_ints", attr_ints({3, 4, 5})}}, {});
  EXPECT_EQ(values_of<int64_t>(is[0]), (std::vector<int64_t>{3, 4, 5}));
}

TEST(ShapeKernelsConstant, Errors) {
  Status st = run_error(OpType::kConstant, 13, {{"value_string", attr_string("x")}}, {});
  EXPECT_EQ(st.code(), StatusCode::kUnsupported);
  EXPECT_NE(st.message().find("value_string"), std::string::npos) << st.message();
  st = run_error(OpType::kConstant, 13, {}, {});
  EXPECT_NE(st.message().find("found 0"), std::string::npos) << st.message();
  st = run_error(OpType::kConstant, 13,
                 {{"value_int", attr_int(1)}, {"value_float", attr_float(1)}}, {});
  EXPECT_NE(st.message().find("found 2"), std::string::npos) << st.message();
}

TEST(ShapeKernelsConstantOfShape, DefaultIsFloatZero) {
  auto out = run_ok(OpType::kConstantOfShape, 9, {}, {ints({2, 3})});
  EXPECT_EQ(out[0].dtype(), DType::kFloat32);
  EXPECT_EQ(values_of<float>(out[0]), std::vector<float>(6, 0.0f));
}

TEST(ShapeKernelsConstantOfShape, ValueAttribute) {
  auto out = run_ok(OpType::kConstantOfShape, 9,
                    {{"value", attr_tensor(make<int32_t>(Shape{1}, {7}))}}, {ints({3})});
  EXPECT_EQ(out[0].dtype(), DType::kInt32);
  EXPECT_EQ(values_of<int32_t>(out[0]), (std::vector<int32_t>{7, 7, 7}));
  auto ones = run_ok(OpType::kConstantOfShape, 9,
                     {{"value", attr_tensor(make<double>(Shape{1}, {1.0}))}}, {ints({2, 0})});
  EXPECT_EQ(ones[0].shape(), (Shape{2, 0}));
  auto scalar = run_ok(OpType::kConstantOfShape, 9,
                       {{"value", attr_tensor(make<int64_t>(Shape{1}, {5}))}},
                       {make<int64_t>(Shape{0}, {})});
  EXPECT_EQ(scalar[0].shape(), Shape{});
  EXPECT_EQ(values_of<int64_t>(scalar[0]), (std::vector<int64_t>{5}));
  // Big enough to be filled in chunks.
  ChunkedFor chunked;
  auto big = run_ok(OpType::kConstantOfShape, 9,
                    {{"value", attr_tensor(make<int16_t>(Shape{1}, {-3}))}}, {ints({700, 1000})}, 1,
                    &chunked);
  EXPECT_EQ(values_of<int16_t>(big[0]), std::vector<int16_t>(700000, -3));
}

TEST(ShapeKernelsConstantOfShape, ErrorsAndDynamic) {
  Status st = run_error(OpType::kConstantOfShape, 9, {}, {ints({2, -1})});
  EXPECT_NE(st.message().find("input[1] = -1"), std::string::npos) << st.message();
  st = run_error(OpType::kConstantOfShape, 9,
                 {{"value", attr_tensor(make<float>(Shape{2}, {1, 2}))}}, {ints({2})});
  EXPECT_NE(st.message().find("one element"), std::string::npos) << st.message();
  st = run_error(OpType::kConstantOfShape, 9, {}, {ints({int64_t{1} << 40, int64_t{1} << 40})});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  DynamicRun run = run_dynamic(OpType::kConstantOfShape, 9, {}, {ints({2})}, {0});
  EXPECT_TRUE(run.all_dynamic);
  EXPECT_EQ(run.outputs[0].shape(), (Shape{2}));
  EXPECT_EQ(values_of<float>(run.outputs[0]), (std::vector<float>{0, 0}));
}

}  // namespace
}  // namespace recinfer::kernels
