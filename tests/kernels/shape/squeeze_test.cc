#include <gtest/gtest.h>

#include "kernels/shape/shape_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace recinfer::kernels::shape_test;
using ir::OpType;

TEST(ShapeKernelsSqueeze, AxesAttributeBeforeOpset13) {
  Tensor data = iota<float>(Shape{1, 3, 1, 2});
  auto out = run_ok(OpType::kSqueeze, 11, {{"axes", attr_ints({0, -2})}}, {data});
  EXPECT_EQ(out[0].shape(), (Shape{3, 2}));
  EXPECT_EQ(values_of<float>(out[0]), (std::vector<float>{0, 1, 2, 3, 4, 5}));
}

TEST(ShapeKernelsSqueeze, AxesInputFromOpset13) {
  Tensor data = iota<int8_t>(Shape{1, 3, 1, 2});
  auto out = run_ok(OpType::kSqueeze, 13, {}, {data, ints({2})});
  EXPECT_EQ(out[0].shape(), (Shape{1, 3, 2}));
  EXPECT_EQ(values_of<int8_t>(out[0]), (std::vector<int8_t>{0, 1, 2, 3, 4, 5}));
  // Opset 13 ignores an axes attribute: no axes input means every size-1 dim.
  auto all = run_ok(OpType::kSqueeze, 13, {{"axes", attr_ints({0})}}, {data});
  EXPECT_EQ(all[0].shape(), (Shape{3, 2}));
}

TEST(ShapeKernelsSqueeze, NoAxesDropsAllOnes) {
  auto out = run_ok(OpType::kSqueeze, 11, {}, {iota<float>(Shape{1, 1, 4, 1})});
  EXPECT_EQ(out[0].shape(), (Shape{4}));
  auto scalar = run_ok(OpType::kSqueeze, 13, {}, {make<float>(Shape{1, 1}, {7})});
  EXPECT_EQ(scalar[0].shape(), Shape{});
  EXPECT_EQ(values_of<float>(scalar[0]), (std::vector<float>{7}));
}

TEST(ShapeKernelsSqueeze, Errors) {
  Tensor data = iota<float>(Shape{1, 3});
  Status st = run_error(OpType::kSqueeze, 13, {}, {data, ints({1})});
  EXPECT_NE(st.message().find("axis 1 of size 3"), std::string::npos) << st.message();
  st = run_error(OpType::kSqueeze, 13, {}, {data, ints({2})});
  EXPECT_NE(st.message().find("axes value 2"), std::string::npos) << st.message();
  st = run_error(OpType::kSqueeze, 13, {}, {data, ints({0, -2})});
  EXPECT_NE(st.message().find("repeats"), std::string::npos) << st.message();
}

TEST(ShapeKernelsSqueeze, DynamicAxes) {
  DynamicRun run =
      run_dynamic(OpType::kSqueeze, 13, {}, {iota<float>(Shape{2, 1, 3}), ints({1})}, {1});
  EXPECT_TRUE(run.all_dynamic);
  EXPECT_EQ(run.outputs[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(values_of<float>(run.outputs[0]), (std::vector<float>{0, 1, 2, 3, 4, 5}));
}

TEST(ShapeKernelsUnsqueeze, AttributeAndInput) {
  Tensor data = iota<float>(Shape{3, 2});
  auto a = run_ok(OpType::kUnsqueeze, 11, {{"axes", attr_ints({0, 3})}}, {data});
  EXPECT_EQ(a[0].shape(), (Shape{1, 3, 2, 1}));
  EXPECT_EQ(values_of<float>(a[0]), (std::vector<float>{0, 1, 2, 3, 4, 5}));
  auto b = run_ok(OpType::kUnsqueeze, 13, {}, {data, ints({1})});
  EXPECT_EQ(b[0].shape(), (Shape{3, 1, 2}));
}

TEST(ShapeKernelsUnsqueeze, NegativeAndUnsortedAxesIndexTheOutput) {
  Tensor data = iota<float>(Shape{3, 4, 5});
  // Output rank 5; -1 is the last output axis, 0 the first.
  auto neg = run_ok(OpType::kUnsqueeze, 13, {}, {data, ints({-1, 0})});
  EXPECT_EQ(neg[0].shape(), (Shape{1, 3, 4, 5, 1}));
  auto unsorted = run_ok(OpType::kUnsqueeze, 13, {}, {data, ints({5, 4, 2})});
  EXPECT_EQ(unsorted[0].shape(), (Shape{3, 4, 1, 5, 1, 1}));
  auto scalar = run_ok(OpType::kUnsqueeze, 13, {}, {make<int64_t>(Shape{}, {9}), ints({0})});
  EXPECT_EQ(scalar[0].shape(), (Shape{1}));
  EXPECT_EQ(values_of<int64_t>(scalar[0]), (std::vector<int64_t>{9}));
}

TEST(ShapeKernelsUnsqueeze, Errors) {
  Tensor data = iota<float>(Shape{3});
  Status st = run_error(OpType::kUnsqueeze, 13, {}, {data, ints({2})});
  EXPECT_NE(st.message().find("axes value 2"), std::string::npos) << st.message();
  st = run_error(OpType::kUnsqueeze, 13, {}, {data, ints({0, 0})});
  EXPECT_NE(st.message().find("repeats"), std::string::npos) << st.message();
  st = run_error(OpType::kUnsqueeze, 11, {}, {data});
  EXPECT_NE(st.message().find("axes"), std::string::npos) << st.message();
  st = run_error(OpType::kUnsqueeze, 13, {},
                 {iota<float>(Shape{1, 1, 1, 1, 1}), ints({0, 1, 2, 3})});
  EXPECT_EQ(st.code(), StatusCode::kUnsupported);
}

TEST(ShapeKernelsUnsqueeze, DynamicAxes) {
  DynamicRun run = run_dynamic(OpType::kUnsqueeze, 13, {}, {iota<float>(Shape{2}), ints({0})}, {1});
  EXPECT_TRUE(run.all_dynamic);
  EXPECT_EQ(run.outputs[0].shape(), (Shape{1, 2}));
  EXPECT_EQ(values_of<float>(run.outputs[0]), (std::vector<float>{0, 1}));
}

}  // namespace
}  // namespace recinfer::kernels
