#include <gtest/gtest.h>

#include "kernels/shape/shape_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace recinfer::kernels::shape_test;
using ir::OpType;

TEST(ShapeKernelsConcat, Axis0And1) {
  Tensor a = make<float>(Shape{2, 2}, {1, 2, 3, 4});
  Tensor b = make<float>(Shape{1, 2}, {5, 6});
  auto rows = run_ok(OpType::kConcat, 13, {{"axis", attr_int(0)}}, {a, b});
  EXPECT_EQ(rows[0].shape(), (Shape{3, 2}));
  EXPECT_EQ(values_of<float>(rows[0]), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  Tensor c = make<float>(Shape{2, 3}, {5, 6, 7, 8, 9, 10});
  auto cols = run_ok(OpType::kConcat, 13, {{"axis", attr_int(-1)}}, {a, c});
  EXPECT_EQ(cols[0].shape(), (Shape{2, 5}));
  EXPECT_EQ(values_of<float>(cols[0]), (std::vector<float>{1, 2, 5, 6, 7, 3, 4, 8, 9, 10}));
}

TEST(ShapeKernelsConcat, ThreeInputsWithEmptyOne) {
  Tensor a = make<int64_t>(Shape{2, 1}, {1, 2});
  Tensor empty = make<int64_t>(Shape{2, 0}, {});
  Tensor b = make<int64_t>(Shape{2, 2}, {3, 4, 5, 6});
  ChunkedFor chunked;
  auto out = run_ok(OpType::kConcat, 11, {{"axis", attr_int(1)}}, {a, empty, b}, 1, &chunked);
  EXPECT_EQ(out[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(values_of<int64_t>(out[0]), (std::vector<int64_t>{1, 3, 4, 2, 5, 6}));
}

TEST(ShapeKernelsConcat, MiddleAxis3D) {
  Tensor a = iota<uint8_t>(Shape{2, 1, 2});      // 0 1 | 2 3
  Tensor b = make<uint8_t>(Shape{2, 2, 2}, {10, 11, 12, 13, 14, 15, 16, 17});
  auto out = run_ok(OpType::kConcat, 13, {{"axis", attr_int(1)}}, {a, b});
  EXPECT_EQ(out[0].shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(values_of<uint8_t>(out[0]),
            (std::vector<uint8_t>{0, 1, 10, 11, 12, 13, 2, 3, 14, 15, 16, 17}));
}

TEST(ShapeKernelsConcat, Errors) {
  Tensor a = iota<float>(Shape{2, 2});
  Status st =
      run_error(OpType::kConcat, 13, {{"axis", attr_int(0)}}, {a, iota<float>(Shape{2, 3})});
  EXPECT_NE(st.message().find("inputs[1] (2,3)"), std::string::npos) << st.message();
  st = run_error(OpType::kConcat, 13, {{"axis", attr_int(2)}}, {a, a});
  EXPECT_NE(st.message().find("axis 2"), std::string::npos) << st.message();
  st = run_error(OpType::kConcat, 13, {{"axis", attr_int(0)}}, {a, iota<int32_t>(Shape{2, 2})});
  EXPECT_NE(st.message().find("int32"), std::string::npos) << st.message();
  st = run_error(OpType::kConcat, 13, {}, {a, a});
  EXPECT_NE(st.message().find("axis"), std::string::npos) << st.message();
}

TEST(ShapeKernelsSplit, EqualParts) {
  auto out = run_ok(OpType::kSplit, 13, {{"axis", attr_int(1)}},
                    {make<float>(Shape{2, 4}, {1, 2, 3, 4, 5, 6, 7, 8})}, 2);
  EXPECT_EQ(out[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_of<float>(out[0]), (std::vector<float>{1, 2, 5, 6}));
  EXPECT_EQ(values_of<float>(out[1]), (std::vector<float>{3, 4, 7, 8}));
}

TEST(ShapeKernelsSplit, AttributeBefore13) {
  auto out = run_ok(OpType::kSplit, 11, {{"split", attr_ints({1, 3})}},
                    {make<int32_t>(Shape{4}, {1, 2, 3, 4})}, 2);
  EXPECT_EQ(values_of<int32_t>(out[0]), (std::vector<int32_t>{1}));
  EXPECT_EQ(values_of<int32_t>(out[1]), (std::vector<int32_t>{2, 3, 4}));
}

TEST(ShapeKernelsSplit, InputFrom13WithNegativeAxisAndZeroSize) {
  Tensor data = make<float>(Shape{2, 3}, {1, 2, 3, 4, 5, 6});
  ChunkedFor chunked;
  auto out = run_ok(OpType::kSplit, 13, {{"axis", attr_int(-1)}}, {data, ints({2, 0, 1})}, 3,
                    &chunked);
  EXPECT_EQ(out[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(out[1].shape(), (Shape{2, 0}));
  EXPECT_EQ(out[2].shape(), (Shape{2, 1}));
  EXPECT_EQ(values_of<float>(out[0]), (std::vector<float>{1, 2, 4, 5}));
  EXPECT_EQ(values_of<float>(out[2]), (std::vector<float>{3, 6}));
}

TEST(ShapeKernelsSplit, DynamicSizes) {
  DynamicRun run = run_dynamic(OpType::kSplit, 13, {},
                               {make<int64_t>(Shape{3}, {7, 8, 9}), ints({1, 2})}, {1}, 2);
  EXPECT_TRUE(run.all_dynamic);
  EXPECT_EQ(values_of<int64_t>(run.outputs[0]), (std::vector<int64_t>{7}));
  EXPECT_EQ(values_of<int64_t>(run.outputs[1]), (std::vector<int64_t>{8, 9}));
}

TEST(ShapeKernelsSplit, Errors) {
  Tensor data = iota<float>(Shape{5});
  Status st = run_error(OpType::kSplit, 13, {}, {data}, 2);
  EXPECT_NE(st.message().find("size 5"), std::string::npos) << st.message();
  st = run_error(OpType::kSplit, 13, {}, {data, ints({2, 2})}, 2);
  EXPECT_NE(st.message().find("add up to 4"), std::string::npos) << st.message();
  st = run_error(OpType::kSplit, 13, {}, {data, ints({2, 3})}, 3);
  EXPECT_NE(st.message().find("2 entries"), std::string::npos) << st.message();
  st = run_error(OpType::kSplit, 13, {}, {data, ints({-1, 6})}, 2);
  EXPECT_NE(st.message().find("split[0] = -1"), std::string::npos) << st.message();
  st = run_error(OpType::kSplit, 13, {{"axis", attr_int(1)}}, {data}, 1);
  EXPECT_NE(st.message().find("axis 1"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace recinfer::kernels
