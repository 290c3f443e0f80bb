// masked-lookup-reduce: `t[ids[ids >= 0]].sum(0)` as torch exports it (NonZero -> Transpose ->
// GatherND, then a table Gather and ReduceSum over axis 0) and as index_select (NonZero ->
// Transpose -> Squeeze -> Gather) become one MaskedReduce over every id's row, and compute what
// the selection did (sums checked by hand). A mask that is not a comparison of the ids (so may
// have another shape) is left alone and reported as a miss-free non-candidate.
#include <gtest/gtest.h>

#include "support/model_builder.h"
#include "support/pass_test_util.h"

namespace recinfer::passes {
namespace {

using recinfer::testing::add_attr_int;
using recinfer::testing::add_attr_ints;
using recinfer::testing::ModelBuilder;
using testing::expect_outputs_both_ways;
using testing::find_report;
using testing::load_graph;
using testing::op_counts;
using testing::run_only;

// Table row r = (r, 10 r), 6 rows. ids has dynamic length.
ModelBuilder lookup_model(bool index_select, bool mask_from_ids) {
  ModelBuilder b(14);
  b.input("ids", onnx::TensorProto::INT64, {-1});
  b.input("other", onnx::TensorProto::INT64, {-1});
  std::vector<float> table;
  for (int r = 0; r < 6; ++r) {
    table.push_back(static_cast<float>(r));
    table.push_back(10.0f * static_cast<float>(r));
  }
  b.initializer_f32("table", {6, 2}, table);
  b.initializer_i64("zero", {}, {0});
  b.initializer_i64("axis0", {1}, {0});
  b.initializer_i64("axis1", {1}, {1});
  b.node("GreaterOrEqual", {mask_from_ids ? "ids" : "other", "zero"}, {"mask"});
  b.node("NonZero", {"mask"}, {"nz"});
  add_attr_ints(b.node("Transpose", {"nz"}, {"nz_t"}), "perm", {1, 0});
  if (index_select) {
    b.node("Squeeze", {"nz_t", "axis1"}, {"positions"});
    add_attr_int(b.node("Gather", {"ids", "positions"}, {"picked"}), "axis", 0);
  } else {
    b.node("GatherND", {"ids", "nz_t"}, {"picked"});
  }
  add_attr_int(b.node("Gather", {"table", "picked"}, {"rows"}), "axis", 0);
  add_attr_int(b.node("ReduceSum", {"rows", "axis0"}, {"pooled"}, "pool"), "keepdims", 0);
  b.output("pooled", onnx::TensorProto::FLOAT);
  return b;
}

Tensor ids_tensor(std::vector<int64_t> v) {
  const auto n = static_cast<int64_t>(v.size());
  return Tensor::from_vector<int64_t>(Shape{n}, v).value();
}

TEST(MaskedLookupReduceTest, SelectionsBecomeOneMaskedReduce) {
  for (bool index_select : {false, true}) {
    const std::string path = lookup_model(index_select, true).write(
        recinfer::testing::temp_dir(index_select ? "mlr_index_select" : "mlr_gather_nd"));
    auto graph = load_graph(path);
    PipelineReport report = run_only(*graph, {"masked-lookup-reduce", "dead-code-elimination"});
    const PassReport* pass = find_report(report, "masked-lookup-reduce");
    ASSERT_NE(pass, nullptr);
    EXPECT_EQ(pass->matches, 1);
    auto ops = op_counts(*graph);
    EXPECT_EQ(ops["MaskedReduce"], 1);
    EXPECT_EQ(ops["NonZero"], 0);
    // ids 2, -1 (padding), 4, -7 (out of the table: must never be read), 0 -> rows 2, 4, 0.
    const Tensor other = ids_tensor({0});
    expect_outputs_both_ways(path, {ids_tensor({2, -1, 4, -7, 0}), other}, {6.0f, 60.0f},
                             Shape{2});
    // No id selected: the sum is 0.
    expect_outputs_both_ways(path, {ids_tensor({-3, -1}), other}, {0.0f, 0.0f}, Shape{2});
  }
}

TEST(MaskedLookupReduceTest, MaskOfAnotherTensorIsLeftAlone) {
  const std::string path = lookup_model(false, false).write(recinfer::testing::temp_dir("mlr_other"));
  auto graph = load_graph(path);
  PipelineReport report = run_only(*graph, {"masked-lookup-reduce"});
  EXPECT_EQ(find_report(report, "masked-lookup-reduce")->matches, 0);
  EXPECT_EQ(op_counts(*graph)["NonZero"], 1);
}

}  // namespace
}  // namespace recinfer::passes
