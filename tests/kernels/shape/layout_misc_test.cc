// Trilu, OneHot, EyeLike, Compress, DepthToSpace/SpaceToDepth, ReverseSequence.
#include <gtest/gtest.h>

#include "kernels/shape/layout_ops_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace shape_test;  // NOLINT(google-build-using-namespace)
using ir::OpType;

Tensor scalar_k(int64_t k) { return make<int64_t>(Shape{}, {k}); }

TEST(TriluTest, UpperAndLowerWithK) {
  const Tensor x = iota<int32_t>(Shape{3, 4});
  auto upper = run_ok(OpType::kTrilu, 14, {}, {x, scalar_k(1)});
  EXPECT_EQ(values_of<int32_t>(upper[0]),
            (std::vector<int32_t>{0, 1, 2, 3, 0, 0, 6, 7, 0, 0, 0, 11}));
  auto lower = run_ok(OpType::kTrilu, 14, {{"upper", attr_int(0)}}, {x, scalar_k(-1)});
  EXPECT_EQ(values_of<int32_t>(lower[0]),
            (std::vector<int32_t>{0, 0, 0, 0, 4, 0, 0, 0, 8, 9, 0, 0}));
  // SASRec's causal mask: tril of ones with k = 0.
  auto mask = run_ok(OpType::kTrilu, 14, {{"upper", attr_int(0)}},
                     {make<bool>(Shape{3, 3}, std::vector<bool>(9, true))});
  EXPECT_EQ(values_of<bool>(mask[0]),
            (std::vector<bool>{true, false, false, true, true, false, true, true, true}));
}

TEST(TriluTest, MatchesReference) {
  uint32_t seed = 3;
  for (const Shape& shape : {Shape{5, 5}, Shape{2, 3, 7}, Shape{4, 9, 2}, Shape{1, 1}, Shape{2, 0, 3}}) {
    for (int64_t k : std::vector<int64_t>{-100, -3, -1, 0, 2, 5, INT64_MAX, INT64_MIN}) {
      for (int64_t upper : {0, 1}) {
        expect_matches_reference(OpType::kTrilu, 14, {{"upper", attr_int(upper)}},
                                 {random_floats(shape, seed++), scalar_k(k)});
      }
    }
  }
  EXPECT_EQ(run_error(OpType::kTrilu, 14, {}, {iota<float>(Shape{4})}).code(),
            StatusCode::kInvalidArgument);
}

TEST(OneHotTest, AxesNegativeIndicesAndOutOfRange) {
  const Tensor values = make<float>(Shape{2}, {0.5f, 3.0f});
  // depth 3; -1 wraps to 2; 3 and -4 are outside [-3, 3): all off.
  auto out = run_ok(OpType::kOneHot, 11, {},
                    {make<int64_t>(Shape{4}, {0, -1, 3, -4}), make<float>(Shape{}, {3.0f}), values});
  EXPECT_EQ(out[0].shape(), (Shape{4, 3}));
  EXPECT_EQ(values_of<float>(out[0]), (std::vector<float>{3, .5, .5, .5, .5, 3, .5, .5, .5,
                                                          .5, .5, .5}));
  auto axis0 = run_ok(OpType::kOneHot, 11, {{"axis", attr_int(0)}},
                      {make<int32_t>(Shape{2}, {1, 0}), ints({2}),
                       make<int64_t>(Shape{2}, {0, 1})});
  EXPECT_EQ(axis0[0].shape(), (Shape{2, 2}));
  EXPECT_EQ(values_of<int64_t>(axis0[0]), (std::vector<int64_t>{0, 1, 1, 0}));
}

TEST(OneHotTest, MatchesReference) {
  std::vector<float> ids;
  for (int i = 0; i < 60; ++i) ids.push_back(static_cast<float>(i % 13 - 6));
  for (int64_t axis : {-1, 0, 1, -3}) {
    expect_matches_reference(OpType::kOneHot, 11, {{"axis", attr_int(axis)}},
                             {make<float>(Shape{5, 12}, ids), ints({5}),
                              make<int8_t>(Shape{2}, {-1, 7})});
  }
  auto run = run_dynamic(OpType::kOneHot, 11, {},
                         {ints({1}), ints({2}), make<float>(Shape{2}, {0, 1})}, {1});
  EXPECT_TRUE(run.all_dynamic);
  EXPECT_EQ(values_of<float>(run.outputs[0]), (std::vector<float>{0, 1}));
}

TEST(EyeLikeTest, DiagonalsAndDtype) {
  auto out = run_ok(OpType::kEyeLike, 9, {{"k", attr_int(1)}}, {iota<float>(Shape{3, 4})});
  EXPECT_EQ(values_of<float>(out[0]),
            (std::vector<float>{0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}));
  auto typed = run_ok(OpType::kEyeLike, 9, {{"k", attr_int(-2)}, {"dtype", attr_int(7)}},
                      {iota<float>(Shape{3, 2})});
  EXPECT_EQ(typed[0].dtype(), DType::kInt64);
  EXPECT_EQ(values_of<int64_t>(typed[0]), (std::vector<int64_t>{0, 0, 0, 0, 1, 0}));
  auto far = run_ok(OpType::kEyeLike, 9, {{"k", attr_int(INT64_MIN)}}, {iota<int32_t>(Shape{2, 2})});
  EXPECT_EQ(values_of<int32_t>(far[0]), (std::vector<int32_t>{0, 0, 0, 0}));
}

TEST(CompressTest, AxisFlattenedAndShortCondition) {
  const Tensor x = iota<float>(Shape{3, 2});
  auto rows = run_ok(OpType::kCompress, 11, {{"axis", attr_int(0)}},
                     {x, make<bool>(Shape{2}, {false, true})});
  EXPECT_EQ(rows[0].shape(), (Shape{1, 2}));
  EXPECT_EQ(values_of<float>(rows[0]), (std::vector<float>{2, 3}));
  auto cols = run_ok(OpType::kCompress, 11, {{"axis", attr_int(-1)}},
                     {x, make<bool>(Shape{2}, {false, true})});
  EXPECT_EQ(values_of<float>(cols[0]), (std::vector<float>{1, 3, 5}));
  auto flat = run_ok(OpType::kCompress, 11, {},
                     {x, make<bool>(Shape{5}, {false, true, true, false, true})});
  EXPECT_EQ(values_of<float>(flat[0]), (std::vector<float>{1, 2, 4}));
  auto run = run_dynamic(OpType::kCompress, 11, {{"axis", attr_int(0)}},
                         {x, make<bool>(Shape{3}, {true, false, true})}, {1});
  EXPECT_TRUE(run.all_dynamic);
  EXPECT_EQ(values_of<float>(run.outputs[0]), (std::vector<float>{0, 1, 4, 5}));
}

TEST(DepthSpaceTest, SpecExamplesAndRoundTrip) {
  // DepthToSpace CRD example from the spec: (1, 8, 2, 3), blocksize 2.
  const Tensor x = iota<float>(Shape{1, 8, 2, 3});
  auto crd = run_ok(OpType::kDepthToSpace, 13, {{"blocksize", attr_int(2)}, {"mode", attr_string("CRD")}}, {x});
  EXPECT_EQ(crd[0].shape(), (Shape{1, 2, 4, 6}));
  const std::vector<float> first_row = {0, 6, 1, 7, 2, 8};
  EXPECT_EQ(std::vector<float>(crd[0].data<float>(), crd[0].data<float>() + 6), first_row);
  auto dcr = run_ok(OpType::kDepthToSpace, 13, {{"blocksize", attr_int(2)}}, {x});
  const std::vector<float> dcr_row = {0, 12, 1, 13, 2, 14};
  EXPECT_EQ(std::vector<float>(dcr[0].data<float>(), dcr[0].data<float>() + 6), dcr_row);
  // SpaceToDepth undoes DCR DepthToSpace.
  auto back = run_ok(OpType::kSpaceToDepth, 13, {{"blocksize", attr_int(2)}}, {dcr[0]});
  EXPECT_EQ(values_of<float>(back[0]), values_of<float>(x));
  uint32_t seed = 5;
  for (int64_t b : {1, 2, 3}) {
    for (const char* mode : {"DCR", "CRD"}) {
      expect_matches_reference(OpType::kDepthToSpace, 13,
                               {{"blocksize", attr_int(b)}, {"mode", attr_string(mode)}},
                               {random_floats(Shape{2, 9 * b * b / (b == 3 ? 3 : 1), 3, 5}, seed++)});
    }
    expect_matches_reference(OpType::kSpaceToDepth, 13, {{"blocksize", attr_int(b)}},
                             {random_floats(Shape{2, 3, 6 * b, 2 * b}, seed++)});
  }
  EXPECT_EQ(run_error(OpType::kDepthToSpace, 13, {{"blocksize", attr_int(2)}},
                      {iota<float>(Shape{1, 6, 2, 2})}).code(),
            StatusCode::kInvalidArgument);
}

TEST(ReverseSequenceTest, TimeAndBatchMajor) {
  const Tensor x = iota<float>(Shape{4, 2});  // time-major (T=4, B=2)
  auto out = run_ok(OpType::kReverseSequence, 10, {}, {x, ints({3, 1})});
  EXPECT_EQ(values_of<float>(out[0]), (std::vector<float>{4, 1, 2, 3, 0, 5, 6, 7}));
  auto batch = run_ok(OpType::kReverseSequence, 10,
                      {{"time_axis", attr_int(1)}, {"batch_axis", attr_int(0)}},
                      {iota<float>(Shape{2, 3, 2}), ints({2, 3})});
  EXPECT_EQ(values_of<float>(batch[0]),
            (std::vector<float>{2, 3, 0, 1, 4, 5, 10, 11, 8, 9, 6, 7}));
  Status st = run_error(OpType::kReverseSequence, 10, {}, {x, ints({5, 1})});
  EXPECT_EQ(st.code(), StatusCode::kOutOfRange);
  EXPECT_NE(st.message().find("sequence_lens[0] = 5"), std::string::npos) << st.to_string();
}

}  // namespace
}  // namespace recinfer::kernels
