// Before/after graphs of the masked-gather, masked-reduce, compare-count and count-distinct
// passes on the coarse-ranking export (both opsets), and hand-built near misses that must stay.
#include <gtest/gtest.h>

#include "ir/verifier.h"
#include "support/model_builder.h"
#include "support/pass_test_util.h"

namespace recinfer::passes {
namespace {

using recinfer::testing::ModelBuilder;
using testing::find_op;
using testing::find_report;
using testing::load_graph;
using testing::op_counts;
using testing::run_only;
using testing::zoo_model;

class CoarseRank : public ::testing::TestWithParam<const char*> {};

TEST_P(CoarseRank, MaskedGatherReplacesWhereGatherMul) {
  auto g = load_graph(zoo_model(GetParam()));
  auto report = run_only(*g, {"constant-folding", "masked-gather-fusion", "dead-code-elimination"});
  EXPECT_EQ(find_report(report, "masked-gather-fusion")->matches, 1);
  const ir::Node* mg = find_op(*g, ir::OpType::kMaskedGather);
  ASSERT_NE(mg, nullptr);
  EXPECT_EQ(g->value(mg->inputs[0]).name, "item_emb.weight");
  EXPECT_EQ(g->value(mg->inputs[1]).name, "behavior_ids");
  // The masked id Where is gone; the mask itself is still used by the other masked product.
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["MaskedGather"], 1);
  EXPECT_TRUE(ir::verify_graph(*g).is_ok());
}

TEST_P(CoarseRank, MaskedReduceRemovesNonZero) {
  auto g = load_graph(zoo_model(GetParam()));
  auto report = run_only(*g, {"constant-folding", "masked-reduce-fusion", "dead-code-elimination"});
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["NonZero"], 0);
  EXPECT_EQ(counts["GatherND"], 0);
  EXPECT_EQ(counts["MaskedReduce"], 1);
  const ir::Node* mr = find_op(*g, ir::OpType::kMaskedReduce);
  ASSERT_NE(mr, nullptr);
  EXPECT_EQ(mr->attr_string("mode", ""), "mean");
  EXPECT_EQ(mr->attr_int("keepdims", -1), 1);
}

TEST_P(CoarseRank, CompareCountReplacesTheIdMatchCount) {
  auto g = load_graph(zoo_model(GetParam()));
  auto report = run_only(*g, {"constant-folding", "compare-count-fusion", "dead-code-elimination"});
  bool found_equal = false;
  for (const ir::Node& node : g->nodes) {
    if (node.op != ir::OpType::kCompareCount || node.attr_string("comparison", "") != "Equal") continue;
    found_equal = true;
    EXPECT_EQ(g->value(node.inputs[0]).name, "candidate_ids");
    EXPECT_EQ(g->value(node.inputs[1]).name, "behavior_ids");
    EXPECT_EQ(node.attr_int("keepdims", -1), 1);
    EXPECT_EQ(node.attr_int("to", -1), 1);  // float
  }
  EXPECT_TRUE(found_equal);
  // The (N, 4000) Equal that fed it is dead and removed.
  for (const ir::Node& node : g->nodes) {
    if (node.op == ir::OpType::kEqual) {
      for (ir::ValueId in : node.inputs) EXPECT_NE(g->value(in).name, "candidate_ids");
    }
  }
}

TEST_P(CoarseRank, CountDistinctRemovesUnique) {
  auto g = load_graph(zoo_model(GetParam()));
  auto report = run_only(*g, {"constant-folding", "count-distinct-fusion", "dead-code-elimination"});
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["Unique"], 0);
  const ir::Node* cd = find_op(*g, ir::OpType::kCountDistinct);
  ASSERT_NE(cd, nullptr);
  EXPECT_EQ(cd->attr_string("comparison", ""), "GreaterOrEqual");  // Not(Less) at opset 11
  EXPECT_EQ(cd->attr_int("keepdims", -1), 0);
}

TEST_P(CoarseRank, FullPipelineLeavesNoDataDependentShapes) {
  auto g = load_graph(zoo_model(GetParam()));
  auto report = optimize_graph(*g);
  ASSERT_TRUE(report.is_ok()) << report.status().to_string();
  EXPECT_EQ(report->before.dynamic_ops, 2);  // NonZero, Unique
  EXPECT_EQ(report->after.dynamic_ops, 0);
  EXPECT_LT(report->after.nodes, report->before.nodes);
}

INSTANTIATE_TEST_SUITE_P(Opsets, CoarseRank,
                         ::testing::Values("coarse_rank_opset11", "coarse_rank_opset14"));

// Where(ids >= 0, ids, 1): the fallback row is 1, not 0, so it is not a MaskedGather.
TEST(MaskedGatherFusion, NeedsZeroFallback) {
  ModelBuilder b(14);
  b.input("ids", onnx::TensorProto::INT64, {4});
  b.output("out", onnx::TensorProto::FLOAT);
  b.initializer_f32("table", {3, 2}, {1, 2, 3, 4, 5, 6});
  b.initializer_i64("zero", {}, {0});
  b.initializer_i64("one", {}, {1});
  b.initializer_i64("last", {1}, {-1});
  b.node("GreaterOrEqual", {"ids", "zero"}, {"mask"});
  b.node("Where", {"mask", "ids", "one"}, {"safe"});
  b.node("Gather", {"table", "safe"}, {"rows"});
  recinfer::testing::add_attr_int(b.node("Cast", {"mask"}, {"maskf"}), "to", onnx::TensorProto::FLOAT);
  b.node("Unsqueeze", {"maskf", "last"}, {"mask2"});
  b.node("Mul", {"rows", "mask2"}, {"out"});
  auto g = load_graph(b.write(recinfer::testing::temp_dir("masked_gather_negative")));
  auto report = run_only(*g, {"masked-gather-fusion"});
  EXPECT_EQ(find_report(report, "masked-gather-fusion")->matches, 0);
  EXPECT_EQ(op_counts(*g)["MaskedGather"], 0);
}

// The same chain with a 0 fallback matches (the positive twin of the case above).
TEST(MaskedGatherFusion, MatchesHandBuiltChain) {
  ModelBuilder b(14);
  b.input("ids", onnx::TensorProto::INT64, {4});
  b.output("out", onnx::TensorProto::FLOAT);
  b.initializer_f32("table", {3, 2}, {1, 2, 3, 4, 5, 6});
  b.initializer_i64("zero", {}, {0});
  b.initializer_i64("last", {1}, {-1});
  b.node("GreaterOrEqual", {"ids", "zero"}, {"mask"});
  b.node("Where", {"mask", "ids", "zero"}, {"safe"});
  b.node("Gather", {"table", "safe"}, {"rows"});
  recinfer::testing::add_attr_int(b.node("Cast", {"mask"}, {"maskf"}), "to", onnx::TensorProto::FLOAT);
  b.node("Unsqueeze", {"maskf", "last"}, {"mask2"});
  b.node("Mul", {"mask2", "rows"}, {"out"});  // operands swapped on purpose
  auto g = load_graph(b.write(recinfer::testing::temp_dir("masked_gather_positive")));
  auto report = run_only(*g, {"masked-gather-fusion", "dead-code-elimination"});
  EXPECT_EQ(find_report(report, "masked-gather-fusion")->matches, 1);
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["MaskedGather"], 1);
  EXPECT_EQ(counts["Where"], 0);
  EXPECT_EQ(counts["Mul"], 0);
}

// Counting over axis 0 of an (N, M) comparison is not "the last axis": not fused.
TEST(CompareCountFusion, OnlyTheLastAxis) {
  ModelBuilder b(14);
  b.input("a", onnx::TensorProto::INT64, {5, 1});
  b.input("b", onnx::TensorProto::INT64, {1, 7});
  b.output("count", onnx::TensorProto::FLOAT);
  b.initializer_i64("axis0", {1}, {0});
  b.node("Equal", {"a", "b"}, {"eq"});
  recinfer::testing::add_attr_int(b.node("Cast", {"eq"}, {"eqf"}), "to", onnx::TensorProto::FLOAT);
  b.node("ReduceSum", {"eqf", "axis0"}, {"count"});
  auto g = load_graph(b.write(recinfer::testing::temp_dir("compare_count_axis0")));
  auto report = run_only(*g, {"compare-count-fusion"});
  EXPECT_EQ(find_report(report, "compare-count-fusion")->matches, 0);
}

// Not(Less(x, 0)) on floats is not x >= 0 (NaN): the count of such a mask is not rewritten
// into GreaterOrEqual.
TEST(CompareCountFusion, KeepsNotOfFloatComparison) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {3, 4});
  b.output("count", onnx::TensorProto::FLOAT);
  b.initializer_f32("zero", {}, {0.0f});
  b.initializer_i64("last", {1}, {-1});
  b.node("Less", {"x", "zero"}, {"lt"});
  b.node("Not", {"lt"}, {"ge"});
  recinfer::testing::add_attr_int(b.node("Cast", {"ge"}, {"gef"}), "to", onnx::TensorProto::FLOAT);
  b.node("ReduceSum", {"gef", "last"}, {"count"});
  auto g = load_graph(b.write(recinfer::testing::temp_dir("compare_count_not_float")));
  auto report = run_only(*g, {"compare-count-fusion"});
  EXPECT_EQ(find_report(report, "compare-count-fusion")->matches, 0);
}

TEST(Pipeline, UnknownPassNameIsAnError) {
  auto g = load_graph(zoo_model("deepfm_opset14"));
  PipelineOptions options;
  options.disabled = {"no-such-pass"};
  auto report = optimize_graph(*g, options);
  ASSERT_FALSE(report.is_ok());
  EXPECT_NE(report.status().message().find("no-such-pass"), std::string::npos);
  EXPECT_NE(report.status().message().find("embedding-bag-fusion"), std::string::npos);
}

TEST(Pipeline, DisabledPassDoesNotRun) {
  auto g = load_graph(zoo_model("dlrm_small_opset14"));
  PipelineOptions options;
  options.disabled = {"embedding-bag-fusion"};
  auto report = optimize_graph(*g, options);
  ASSERT_TRUE(report.is_ok());
  EXPECT_EQ(find_report(*report, "embedding-bag-fusion"), nullptr);
  EXPECT_EQ(op_counts(*g)["Loop"], 26);
  EXPECT_NE(report->to_string().find("embedding-bag-fusion"), std::string::npos);  // "disabled"
}

}  // namespace
}  // namespace recinfer::passes
