#include <gtest/gtest.h>

#include "kernels/shape/layout_ops_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace shape_test;  // NOLINT(google-build-using-namespace)
using ir::OpType;

TEST(TileTest, SpecExample) {
  auto out = run_ok(OpType::kTile, 13, {}, {make<float>({2, 2}, {1, 2, 3, 4}), ints({2, 3})});
  EXPECT_EQ(out[0].shape(), (Shape{4, 6}));
  EXPECT_EQ(values_of<float>(out[0]),
            (std::vector<float>{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4,
                                1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}));
}

TEST(TileTest, MatchesReferenceOnOddShapes) {
  uint32_t seed = 1;
  // The rank-5 case tiles every dim: 10 view dims, past the strided view, so the naive path runs.
  for (auto [shape, reps] : std::vector<std::pair<Shape, std::vector<int64_t>>>{
           {{3}, {5}}, {{1, 7}, {4, 1}}, {{3, 1, 5}, {2, 3, 1}}, {{2, 3, 2, 3, 2}, {2, 2, 3, 2, 2}},
           {{5, 0}, {2, 3}}, {{4, 3}, {0, 2}}, {{}, {}}}) {
    expect_matches_reference(OpType::kTile, 13, {}, {random_floats(shape, seed++), ints(reps)});
  }
  expect_matches_reference(OpType::kTile, 13, {}, {iota<int8_t>(Shape{3, 5}), ints({3, 2})});
}

TEST(TileTest, RuntimeRepeatsMakeTheOutputDynamic) {
  auto run = run_dynamic(OpType::kTile, 13, {}, {iota<int64_t>(Shape{2}), ints({3})}, {1});
  EXPECT_TRUE(run.all_dynamic);
  EXPECT_EQ(values_of<int64_t>(run.outputs[0]), (std::vector<int64_t>{0, 1, 0, 1, 0, 1}));
}

TEST(TileTest, Errors) {
  EXPECT_EQ(run_error(OpType::kTile, 13, {}, {iota<float>(Shape{2}), ints({-1})}).code(),
            StatusCode::kInvalidArgument);
  Status st = run_error(OpType::kTile, 13, {}, {iota<float>(Shape{2, 2}), ints({2})});
  EXPECT_NE(st.message().find("repeats has 1 entries"), std::string::npos) << st.to_string();
}

Tensor f32(const Shape& shape, const std::vector<float>& v) { return make<float>(shape, v); }

TEST(PadTest, ConstantReflectEdge) {
  const Tensor x = f32({3, 2}, {1, 2, 3, 4, 5, 6});
  // pads: begin (1, 0), end (0, 2).
  auto c = run_ok(OpType::kPad, 13, {{"mode", attr_string("constant")}},
                  {x, ints({1, 0, 0, 2}), f32({}, {9})});
  EXPECT_EQ(c[0].shape(), (Shape{4, 4}));
  EXPECT_EQ(values_of<float>(c[0]),
            (std::vector<float>{9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9, 5, 6, 9, 9}));
  const Tensor y = f32({2, 3}, {1, 2, 3, 4, 5, 6});
  auto r = run_ok(OpType::kPad, 13, {{"mode", attr_string("reflect")}}, {y, ints({0, 2, 0, 1})});
  EXPECT_EQ(values_of<float>(r[0]), (std::vector<float>{3, 2, 1, 2, 3, 2, 6, 5, 4, 5, 6, 5}));
  auto e = run_ok(OpType::kPad, 13, {{"mode", attr_string("edge")}}, {y, ints({1, 1, 0, 0})});
  EXPECT_EQ(values_of<float>(e[0]),
            (std::vector<float>{1, 1, 2, 3, 1, 1, 2, 3, 4, 4, 5, 6}));
}

TEST(PadTest, NegativePadsCrop) {
  const Tensor y = iota<int32_t>(Shape{3, 4});
  auto out = run_ok(OpType::kPad, 13, {}, {y, ints({-1, 1, 0, -2})});
  EXPECT_EQ(out[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(values_of<int32_t>(out[0]), (std::vector<int32_t>{0, 4, 5, 0, 8, 9}));
}

TEST(PadTest, AttributesBeforeOpset11) {
  auto out = run_ok(OpType::kPad, 2,
                    {{"pads", attr_ints({0, 1, 0, 1})}, {"value", attr_float(-1.5f)}},
                    {f32({1, 2}, {7, 8})});
  EXPECT_EQ(values_of<float>(out[0]), (std::vector<float>{-1.5f, 7, 8, -1.5f}));
}

TEST(PadTest, MatchesReference) {
  uint32_t seed = 10;
  for (const char* mode : {"constant", "reflect", "edge"}) {
    for (auto [shape, pads] : std::vector<std::pair<Shape, std::vector<int64_t>>>{
             {{7}, {3, 2}}, {{3, 5}, {2, 1, 1, 4}}, {{2, 3, 4}, {1, -1, 2, 0, 2, -3}},
             {{4, 1, 6}, {0, 0, 5, 3, 0, 5}}, {{2, 3, 4, 5}, {-1, 2, 0, 1, 1, 0, 3, 2}}}) {
      expect_matches_reference(OpType::kPad, 13, {{"mode", attr_string(mode)}},
                               {random_floats(shape, seed++), ints(pads), f32({}, {0.5f})});
    }
  }
  expect_matches_reference(OpType::kPad, 13, {{"mode", attr_string("reflect")}},
                           {iota<int64_t>(Shape{4, 5}), ints({3, 4, 3, 4})});
}

TEST(PadTest, RuntimePadsAndErrors) {
  auto run = run_dynamic(OpType::kPad, 13, {}, {iota<float>(Shape{2}), ints({1, 0})}, {1});
  EXPECT_TRUE(run.all_dynamic);
  EXPECT_EQ(values_of<float>(run.outputs[0]), (std::vector<float>{0, 0, 1}));
  Status st = run_error(OpType::kPad, 13, {{"mode", attr_string("reflect")}},
                        {iota<float>(Shape{2}), ints({2, 0})});
  EXPECT_NE(st.message().find("reflect pad 2"), std::string::npos) << st.to_string();
  EXPECT_EQ(run_error(OpType::kPad, 13, {}, {iota<float>(Shape{2}), ints({-2, -1})}).code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recinfer::kernels
