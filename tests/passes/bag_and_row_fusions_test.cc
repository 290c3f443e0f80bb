// Before/after graphs of fixed-bag-fusion (Gather -> [Mul] -> Reduce over the bag axis) and
// broadcast-row-hoisting (Gemm over a Concat with Expand-broadcast rows), on the coarse-ranking
// export and on hand-built graphs whose results are checked against loops written here from the
// ONNX definitions, with the passes on and off, plus near misses that must stay.
#include <gtest/gtest.h>

#include <cmath>

#include "ir/verifier.h"
#include "recinfer/session.h"
#include "support/model_builder.h"
#include "support/pass_test_util.h"

namespace recinfer::passes {
namespace {

using recinfer::testing::add_attr_int;
using recinfer::testing::add_attr_ints;
using recinfer::testing::ModelBuilder;
using testing::find_op;
using testing::find_report;
using testing::load_graph;
using testing::op_counts;
using testing::run_only;
using testing::zoo_model;

class CoarseRankBags : public ::testing::TestWithParam<const char*> {};

TEST_P(CoarseRankBags, FixedBagFusionPoolsTheCategorySequence) {
  auto g = load_graph(zoo_model(GetParam()));
  auto report = run_only(*g, {"constant-folding", "fixed-bag-fusion", "dead-code-elimination"});
  ASSERT_EQ(find_report(report, "fixed-bag-fusion")->matches, 1);
  const ir::Node* bag = find_op(*g, ir::OpType::kEmbeddingBag);
  ASSERT_NE(bag, nullptr);
  EXPECT_EQ(g->value(bag->inputs[0]).name, "cate_emb.weight");
  EXPECT_EQ(bag->attr_string("mode", ""), "sum");
  EXPECT_EQ(bag->inputs.size(), 5u);  // weighted by the padding mask
  // The (1, 4000, 50) gather of the category sequence is gone; the candidates' gather stays.
  int sequence_gathers = 0;
  for (const ir::Node& node : g->nodes) {
    if (node.op == ir::OpType::kGather && g->value(node.inputs[1]).name == "behavior_cates") {
      ++sequence_gathers;
    }
  }
  EXPECT_EQ(sequence_gathers, 0);
  EXPECT_TRUE(ir::verify_graph(*g).is_ok());
}

TEST_P(CoarseRankBags, BroadcastRowHoistingHalvesTheProjection) {
  auto g = load_graph(zoo_model(GetParam()));
  auto report = run_only(*g, {"constant-folding", "masked-gather-fusion", "masked-reduce-fusion",
                              "compare-count-fusion", "count-distinct-fusion", "fixed-bag-fusion",
                              "gemm-activation-fusion", "broadcast-row-hoisting",
                              "dead-code-elimination"});
  ASSERT_EQ(find_report(report, "broadcast-row-hoisting")->matches, 1);
  const ir::Node* proj = find_op(*g, ir::OpType::kFusedGemm);
  ASSERT_NE(proj, nullptr);
  // proj.weight is (600, 134): candidate item 16 + candidate category 50 + click count 1 stay
  // per row; interest 16 + category preference 50 + distinct count 1 are hoisted.
  const Tensor* w = &*g->value(proj->inputs[1]).constant;
  EXPECT_EQ(w->shape(), (Shape{600, 67}));
  EXPECT_EQ(op_counts(*g)["Expand"], 3);  // each hoisted part as one (1, width) row
  EXPECT_TRUE(ir::verify_graph(*g).is_ok());
}

INSTANTIATE_TEST_SUITE_P(Opsets, CoarseRankBags,
                         ::testing::Values("coarse_rank_opset11", "coarse_rank_opset14"));

// table (5, 2): row r = (r, 10 r); ids (batch, 3).
constexpr float table_value(int64_t row, int64_t col) { return col == 0 ? row : 10.0f * row; }

ModelBuilder bag_model(const std::string& reduce, int64_t keepdims, bool weighted, int opset) {
  ModelBuilder b(opset);
  b.input("ids", onnx::TensorProto::INT64, {-1, 3});
  if (weighted) b.input("w", onnx::TensorProto::FLOAT, {-1, 3});
  b.output("y", onnx::TensorProto::FLOAT);
  std::vector<float> table;
  for (int r = 0; r < 5; ++r) table.insert(table.end(), {table_value(r, 0), table_value(r, 1)});
  b.initializer_f32("table", {5, 2}, table);
  b.node("Gather", {"table", "ids"}, {"rows"});
  std::string pooled_input = "rows";
  if (weighted) {
    if (opset >= 13) {
      b.initializer_i64("last", {1}, {-1});
      b.node("Unsqueeze", {"w", "last"}, {"w3"});
    } else {
      add_attr_ints(b.node("Unsqueeze", {"w"}, {"w3"}), "axes", {-1});
    }
    b.node("Mul", {"rows", "w3"}, {"weighted"});
    pooled_input = "weighted";
  }
  onnx::NodeProto* reduce_node = nullptr;
  if (opset >= 13 && reduce == "ReduceSum") {
    b.initializer_i64("axes", {1}, {1});
    reduce_node = &b.node(reduce, {pooled_input, "axes"}, {"y"});
  } else {
    reduce_node = &b.node(reduce, {pooled_input}, {"y"});
    add_attr_ints(*reduce_node, "axes", {1});
  }
  add_attr_int(*reduce_node, "keepdims", keepdims);
  return b;
}

TEST(FixedBagFusion, SumMeanMaxAndWeightedMatchTheDefinition) {
  const std::vector<int64_t> ids = {1, 4, 4, 0, -1, 2};  // -1 wraps to row 4, as Gather does
  const std::vector<float> w = {0.5f, -1.0f, 2.0f, 3.0f, 0.25f, 1.0f};
  auto ids_t = Tensor::from_vector<int64_t>(Shape{2, 3}, ids);
  auto w_t = Tensor::from_vector<float>(Shape{2, 3}, w);
  struct Case { const char* reduce; int64_t keepdims; bool weighted; int opset; };
  for (Case c : {Case{"ReduceSum", 0, false, 14}, Case{"ReduceSum", 1, true, 14},
                 Case{"ReduceSum", 1, true, 11}, Case{"ReduceMean", 0, false, 11},
                 Case{"ReduceMax", 1, false, 14}}) {
    SCOPED_TRACE(std::string(c.reduce) + " keepdims " + std::to_string(c.keepdims) +
                 (c.weighted ? " weighted" : "") + " opset " + std::to_string(c.opset));
    const std::string path =
        bag_model(c.reduce, c.keepdims, c.weighted, c.opset).write(recinfer::testing::temp_dir("fixed_bag"));
    auto g = load_graph(path);
    auto report = run_only(*g, {"fixed-bag-fusion", "dead-code-elimination"});
    EXPECT_EQ(find_report(report, "fixed-bag-fusion")->matches, 1);
    EXPECT_EQ(op_counts(*g)["Gather"], 0);
    EXPECT_TRUE(ir::verify_graph(*g).is_ok());

    std::vector<float> expected;
    for (int b = 0; b < 2; ++b) {
      for (int col = 0; col < 2; ++col) {
        float acc = std::string(c.reduce) == "ReduceMax" ? -INFINITY : 0.0f;
        for (int l = 0; l < 3; ++l) {
          int64_t id = ids[static_cast<size_t>(b * 3 + l)];
          float v = table_value(id < 0 ? id + 5 : id, col);
          if (c.weighted) v *= w[static_cast<size_t>(b * 3 + l)];
          acc = std::string(c.reduce) == "ReduceMax" ? std::max(acc, v) : acc + v;
        }
        expected.push_back(std::string(c.reduce) == "ReduceMean" ? acc / 3 : acc);
      }
    }
    std::vector<Tensor> inputs = {*ids_t};
    if (c.weighted) inputs.push_back(*w_t);
    testing::expect_outputs_both_ways(path, inputs, expected, c.keepdims ? Shape{2, 1, 2} : Shape{2, 2});
  }
}

TEST(FixedBagFusion, EmptyBatchGivesNoBags) {
  const std::string path = bag_model("ReduceSum", 1, false, 14).write(recinfer::testing::temp_dir("fixed_bag0"));
  auto ids = Tensor::from_vector<int64_t>(Shape{0, 3}, {});
  testing::expect_outputs_both_ways(path, {*ids}, {}, Shape{0, 1, 2});
}

TEST(FixedBagFusion, LeavesOtherReductionsAlone) {
  // Over the row axis (2) instead of the bag axis.
  {
    ModelBuilder b(11);
    b.input("ids", onnx::TensorProto::INT64, {-1, 3});
    b.output("y", onnx::TensorProto::FLOAT);
    b.initializer_f32("table", {2, 2}, {1, 2, 3, 4});
    b.node("Gather", {"table", "ids"}, {"rows"});
    add_attr_ints(b.node("ReduceSum", {"rows"}, {"y"}), "axes", {2});
    auto g = load_graph(b.write(recinfer::testing::temp_dir("fixed_bag_axis2")));
    EXPECT_EQ(find_report(run_only(*g, {"fixed-bag-fusion"}), "fixed-bag-fusion")->matches, 0);
  }
  // A weight broadcast over the batch ((1, 3, 1) against a symbolic batch) is not per position.
  {
    ModelBuilder b(11);
    b.input("ids", onnx::TensorProto::INT64, {-1, 3});
    b.output("y", onnx::TensorProto::FLOAT);
    b.initializer_f32("table", {2, 2}, {1, 2, 3, 4});
    b.initializer_f32("w", {1, 3, 1}, {1, 2, 3});
    b.node("Gather", {"table", "ids"}, {"rows"});
    b.node("Mul", {"rows", "w"}, {"weighted"});
    add_attr_ints(b.node("ReduceSum", {"weighted"}, {"y"}), "axes", {1});
    auto g = load_graph(b.write(recinfer::testing::temp_dir("fixed_bag_bcast_w")));
    EXPECT_EQ(find_report(run_only(*g, {"fixed-bag-fusion"}), "fixed-bag-fusion")->matches, 0);
  }
  // The gathered rows are also a graph output: they must still be produced.
  {
    ModelBuilder b(11);
    b.input("ids", onnx::TensorProto::INT64, {-1, 3});
    b.output("y", onnx::TensorProto::FLOAT);
    b.output("rows", onnx::TensorProto::FLOAT);
    b.initializer_f32("table", {2, 2}, {1, 2, 3, 4});
    b.node("Gather", {"table", "ids"}, {"rows"});
    add_attr_ints(b.node("ReduceSum", {"rows"}, {"y"}), "axes", {1});
    auto g = load_graph(b.write(recinfer::testing::temp_dir("fixed_bag_output")));
    EXPECT_EQ(find_report(run_only(*g, {"fixed-bag-fusion"}), "fixed-bag-fusion")->matches, 0);
  }
}

// y = Relu(Concat([x (B,3), Expand(u (1,2), (B,1)), Expand(s (), (B,1))]) · wᵀ + c), w (4, 6).
ModelBuilder row_model(bool bias_per_row) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {-1, 3});
  b.input("u", onnx::TensorProto::FLOAT, {1, 2});
  b.input("s", onnx::TensorProto::FLOAT, {});
  b.output("y", onnx::TensorProto::FLOAT);
  std::vector<float> w;
  for (int i = 0; i < 24; ++i) w.push_back(static_cast<float>((i * 7) % 11) - 5.0f);
  b.initializer_f32("w", {4, 6}, w);
  if (bias_per_row) {
    b.input("c", onnx::TensorProto::FLOAT, {-1, 4});
  } else {
    b.initializer_f32("c", {4}, {0.5f, -0.5f, 1.0f, -1.0f});
  }
  b.initializer_i64("zero", {1}, {0});
  b.initializer_i64("one", {1}, {1});
  b.node("Shape", {"x"}, {"x_shape"});
  b.node("Slice", {"x_shape", "zero", "one"}, {"rows"});
  add_attr_int(b.node("Concat", {"rows", "one"}, {"target"}), "axis", 0);
  b.node("Expand", {"u", "target"}, {"u_rows"});
  b.node("Expand", {"s", "target"}, {"s_rows"});
  add_attr_int(b.node("Concat", {"x", "u_rows", "s_rows"}, {"features"}), "axis", 1);
  add_attr_int(b.node("Gemm", {"features", "w", "c"}, {"g"}), "transB", 1);
  b.node("Relu", {"g"}, {"y"});
  return b;
}

TEST(BroadcastRowHoisting, HoistsTheBroadcastColumnsAndKeepsResults) {
  const std::string path = row_model(false).write(recinfer::testing::temp_dir("row_hoist"));
  auto g = load_graph(path);
  auto report = run_only(*g, {"gemm-activation-fusion", "broadcast-row-hoisting", "dead-code-elimination"});
  ASSERT_EQ(find_report(report, "broadcast-row-hoisting")->matches, 1);
  const ir::Node* fused = find_op(*g, ir::OpType::kFusedGemm);
  ASSERT_NE(fused, nullptr);
  EXPECT_EQ(g->value(fused->inputs[0]).name, "x");  // the only per-row part, no Concat left
  EXPECT_EQ(g->value(fused->inputs[1]).constant->shape(), (Shape{4, 3}));
  EXPECT_TRUE(ir::verify_graph(*g).is_ok());

  const std::vector<float> x = {1, 2, 3, -4, 5, -6, 0.5f, 0, 2};
  const std::vector<float> u = {1.5f, -2};
  const float s = 3;
  std::vector<float> w;
  for (int i = 0; i < 24; ++i) w.push_back(static_cast<float>((i * 7) % 11) - 5.0f);
  const float c[4] = {0.5f, -0.5f, 1.0f, -1.0f};
  std::vector<float> expected;
  for (int r = 0; r < 3; ++r) {
    const float features[6] = {x[static_cast<size_t>(r * 3)], x[static_cast<size_t>(r * 3 + 1)],
                               x[static_cast<size_t>(r * 3 + 2)], u[0], u[1], s};
    for (int n = 0; n < 4; ++n) {
      float acc = c[n];
      for (int k = 0; k < 6; ++k) acc += features[k] * w[static_cast<size_t>(n * 6 + k)];
      expected.push_back(std::max(acc, 0.0f));
    }
  }
  testing::expect_outputs_both_ways(path,
                   {*Tensor::from_vector<float>(Shape{3, 3}, x),
                    *Tensor::from_vector<float>(Shape{1, 2}, u),
                    *Tensor::from_vector<float>(Shape{}, {s})},
                   expected, Shape{3, 4});
}

TEST(BroadcastRowHoisting, LeavesPerRowBiasAlone) {
  auto g = load_graph(row_model(true).write(recinfer::testing::temp_dir("row_hoist_bias")));
  auto report = run_only(*g, {"broadcast-row-hoisting"});
  EXPECT_EQ(find_report(report, "broadcast-row-hoisting")->matches, 0);
}

TEST(BroadcastRowHoisting, LeavesExpandOfManyRowsAlone) {
  // Expand of a (B, 2) tensor is not one row: nothing to hoist.
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {-1, 3});
  b.input("v", onnx::TensorProto::FLOAT, {-1, 2});
  b.output("y", onnx::TensorProto::FLOAT);
  b.initializer_f32("w", {1, 5}, {1, 2, 3, 4, 5});
  b.initializer_i64("target", {2}, {1, 1});
  b.node("Expand", {"v", "target"}, {"v_rows"});
  add_attr_int(b.node("Concat", {"x", "v_rows"}, {"features"}), "axis", 1);
  add_attr_int(b.node("Gemm", {"features", "w"}, {"y"}), "transB", 1);
  auto g = load_graph(b.write(recinfer::testing::temp_dir("row_hoist_many")));
  auto report = run_only(*g, {"broadcast-row-hoisting"});
  EXPECT_EQ(find_report(report, "broadcast-row-hoisting")->matches, 0);
}

}  // namespace
}  // namespace recinfer::passes
