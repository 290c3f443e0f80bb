// packed-lookup-fusion: per-feature `table_f(X[:, c].long())` chains over one packed float input
// become one PackedLookup — DeepCTR's Slice form (opset 9 attributes and opset 13 inputs, a
// view chain after one Gather, columns out of order) whose Concat disappears, and the loop form
// Gather(X, c, axis 1) -> Cast(int32) whose Concat also holds a dense slice (two runs). A chain
// whose ids are read elsewhere is left and reported. Outputs are checked by hand with the
// passes on and off; table f row r holds 100 f + 10 r + j.
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

const std::vector<std::string> kPasses = {"constant-folding", "packed-lookup-fusion",
                                          "dead-code-elimination"};

void add_tables(ModelBuilder& b) {
  const int64_t rows[] = {5, 3, 4};
  const int64_t dims[] = {2, 3, 2};
  for (int f = 0; f < 3; ++f) {
    std::vector<float> t;
    for (int64_t r = 0; r < rows[f]; ++r) {
      for (int64_t j = 0; j < dims[f]; ++j) t.push_back(static_cast<float>(100 * f + 10 * r + j));
    }
    b.initializer_f32("t" + std::to_string(f), {rows[f], dims[f]}, t);
  }
}

// X rows (1, 9, 3, 9, 4, 9) and (2, 9, 0.7, 9, -1, 9): features read columns 4, 0, 2.
Tensor packed_x() {
  return Tensor::from_vector<float>(Shape{2, 6}, {1, 9, 3, 9, 4, 9, 2, 9, 0.7f, 9, -1, 9}).value();
}

// Slice(X, c:c+1) -> Cast(int64) -> Gather -> (B, 1, D); feature 2 via Flatten + Unsqueeze;
// Concat(axis -1) -> Flatten -> (B, 7). `shared_ids`: feature 1's ids are also a graph output.
ModelBuilder slice_model(int opset, bool shared_ids) {
  ModelBuilder b(opset);
  b.input("X", onnx::TensorProto::FLOAT, {-1, 6});
  add_tables(b);
  const int64_t columns[] = {4, 0, 2};
  for (int f = 0; f < 3; ++f) {
    const std::string s = std::to_string(f);
    const int64_t c = columns[f];
    if (opset < 10) {
      auto& slice = b.node("Slice", {"X"}, {"col" + s});
      add_attr_ints(slice, "starts", {c});
      add_attr_ints(slice, "ends", {c + 1});
      add_attr_ints(slice, "axes", {1});
    } else {
      b.initializer_i64("start" + s, {1}, {c});
      b.initializer_i64("end" + s, {1}, {c + 1});
      b.initializer_i64("axes" + s, {1}, {-1});
      b.node("Slice", {"X", "start" + s, "end" + s, "axes" + s}, {"col" + s});
    }
    add_attr_int(b.node("Cast", {"col" + s}, {"ids" + s}), "to", 7);
    add_attr_int(b.node("Gather", {"t" + s, "ids" + s}, {"emb" + s}, "lookup" + s), "axis", 0);
  }
  add_attr_int(b.node("Flatten", {"emb2"}, {"emb2_flat"}), "axis", 1);
  if (opset < 13) {
    add_attr_ints(b.node("Unsqueeze", {"emb2_flat"}, {"emb2_3d"}), "axes", {1});
  } else {
    b.initializer_i64("axis1", {1}, {1});
    b.node("Unsqueeze", {"emb2_flat", "axis1"}, {"emb2_3d"});
  }
  add_attr_int(b.node("Concat", {"emb0", "emb1", "emb2_3d"}, {"cat"}, "concat"), "axis", -1);
  add_attr_int(b.node("Flatten", {"cat"}, {"out"}), "axis", 1);
  b.output("out", onnx::TensorProto::FLOAT);
  if (shared_ids) b.output("ids1", onnx::TensorProto::INT64);
  return b;
}

// Rows: t0[4], t1[1], t2[3] and t0[-1] = t0[4], t1[2], t2[0] (0.7 truncates to 0).
const std::vector<float> kSliceExpected = {40, 41, 110, 111, 112, 230, 231,
                                           40, 41, 120, 121, 122, 200, 201};

TEST(PackedLookupFusionTest, SliceChainsAndTheirConcatBecomeOneLookup) {
  for (int opset : {9, 13}) {
    SCOPED_TRACE(opset);
    const std::string path =
        slice_model(opset, false).write(recinfer::testing::temp_dir("plf_slice" + std::to_string(opset)));
    auto graph = load_graph(path);
    PipelineReport report = run_only(*graph, kPasses);
    const PassReport* pass = find_report(report, "packed-lookup-fusion");
    ASSERT_NE(pass, nullptr);
    EXPECT_EQ(pass->matches, 1);
    EXPECT_TRUE(pass->misses.empty());
    auto ops = op_counts(*graph);
    EXPECT_EQ(ops["PackedLookup"], 1);
    for (const char* gone : {"Concat", "Slice", "Cast", "Gather", "Unsqueeze"}) EXPECT_EQ(ops[gone], 0) << gone;
    const ir::Node* lookup = testing::find_op(*graph, ir::OpType::kPackedLookup);
    ASSERT_NE(lookup, nullptr);
    EXPECT_EQ(lookup->attr_ints("columns"), (std::vector<int64_t>{4, 0, 2}));
    EXPECT_EQ(lookup->attr_ints("row_shape"), (std::vector<int64_t>{1, 7}));
    expect_outputs_both_ways(path, {packed_x()}, kSliceExpected, Shape{2, 7});
  }
}

TEST(PackedLookupFusionTest, ChainsWhoseIdsAreReadElsewhereStay) {
  const std::string path = slice_model(13, true).write(recinfer::testing::temp_dir("plf_shared"));
  auto graph = load_graph(path);
  PipelineReport report = run_only(*graph, kPasses);
  const PassReport* pass = find_report(report, "packed-lookup-fusion");
  ASSERT_NE(pass, nullptr);
  // Features 0 and 2 each form a run of their own around feature 1.
  EXPECT_EQ(pass->matches, 2);
  ASSERT_EQ(pass->misses.size(), 1u);
  EXPECT_EQ(pass->misses[0].node, "lookup1");
  EXPECT_NE(pass->misses[0].why.find("also read elsewhere"), std::string::npos) << pass->misses[0].why;
  auto ops = op_counts(*graph);
  EXPECT_EQ(ops["PackedLookup"], 2);
  EXPECT_EQ(ops["Concat"], 1);
  EXPECT_EQ(ops["Gather"], 1);
  expect_outputs_both_ways(path, {packed_x()}, kSliceExpected, Shape{2, 7});
}

// Gather(X, c, axis 1) -> Cast(int32) -> Gather -> (B, D) per feature, concatenated on axis 1
// with a dense column X[:, 1:2] between features 1 and 2.
ModelBuilder loop_model() {
  ModelBuilder b(17);
  b.input("X", onnx::TensorProto::FLOAT, {-1, 6});
  add_tables(b);
  const int64_t columns[] = {4, 0, 2};
  for (int f = 0; f < 3; ++f) {
    const std::string s = std::to_string(f);
    b.initializer_i64("c" + s, {}, {columns[f]});
    add_attr_int(b.node("Gather", {"X", "c" + s}, {"col" + s}), "axis", 1);
    add_attr_int(b.node("Cast", {"col" + s}, {"ids" + s}), "to", 6);
    b.node("Gather", {"t" + s, "ids" + s}, {"emb" + s});
  }
  b.initializer_i64("one", {1}, {1});
  b.initializer_i64("two", {1}, {2});
  b.node("Slice", {"X", "one", "two", "one"}, {"dense"});
  add_attr_int(b.node("Concat", {"emb0", "emb1", "dense", "emb2"}, {"out"}), "axis", 1);
  b.output("out", onnx::TensorProto::FLOAT);
  return b;
}

TEST(PackedLookupFusionTest, LoopFormAroundADenseColumnGivesTwoRuns) {
  const std::string path = loop_model().write(recinfer::testing::temp_dir("plf_loop"));
  auto graph = load_graph(path);
  PipelineReport report = run_only(*graph, kPasses);
  const PassReport* pass = find_report(report, "packed-lookup-fusion");
  ASSERT_NE(pass, nullptr);
  EXPECT_EQ(pass->matches, 2);
  auto ops = op_counts(*graph);
  EXPECT_EQ(ops["PackedLookup"], 2);
  EXPECT_EQ(ops["Gather"], 0);
  EXPECT_EQ(ops["Cast"], 0);
  EXPECT_EQ(ops["Concat"], 1);
  const ir::Node* concat = testing::find_op(*graph, ir::OpType::kConcat);
  ASSERT_NE(concat, nullptr);
  EXPECT_EQ(concat->inputs.size(), 3u);
  expect_outputs_both_ways(path, {packed_x()},
                           {40, 41, 110, 111, 112, 9, 230, 231, 40, 41, 120, 121, 122, 9, 200, 201},
                           Shape{2, 8});
}

// The packed idioms of models/idioms (DeepCTR-Torch slices, the per-field loop, the varlen
// variant) through the whole pipeline: one PackedLookup each and no Gather left reading ids cast
// from the packed floats.
TEST(PackedLookupFusionTest, PackedIdiomsKeepNoPerFeatureChains) {
  for (const char* dir : {"packed_field_slices_opset11", "packed_field_slices_opset14",
                          "packed_loop_cat_opset13", "packed_loop_cat_opset17",
                          "packed_varlen_opset14", "packed_varlen_opset17"}) {
    SCOPED_TRACE(dir);
    auto graph = load_graph(std::string(RECINFER_SOURCE_DIR) + "/models/idioms/" + dir + "/model.onnx");
    auto report = optimize_graph(*graph, PipelineOptions{});
    ASSERT_TRUE(report.is_ok()) << report.status().to_string();
    EXPECT_EQ(op_counts(*graph)["PackedLookup"], 1);
    const std::vector<int> producers = graph->producers();
    for (const ir::Node& node : graph->nodes) {
      if (node.op != ir::OpType::kGather) continue;
      const int p = producers[static_cast<size_t>(node.input(1))];
      EXPECT_FALSE(p >= 0 && graph->nodes[static_cast<size_t>(p)].op == ir::OpType::kCast)
          << node.describe() << " still looks up cast ids";
    }
  }
}

}  // namespace
}  // namespace recinfer::passes
