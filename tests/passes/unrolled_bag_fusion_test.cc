// unrolled-bag-fusion: per-bag Slice -> Gather -> Reduce(axis 0) -> Unsqueeze chains stacked by a
// Concat (`torch.stack([emb(ids[s:e]).sum(0) for ...])`) become one EmbeddingBag; results against
// loops written here, with the passes on and off, and a near miss that stays.
#include <gtest/gtest.h>

#include "ir/verifier.h"
#include "support/model_builder.h"
#include "support/pass_test_util.h"

namespace recinfer::passes {
namespace {

using recinfer::testing::add_attr_int;
using recinfer::testing::add_attr_ints;
using recinfer::testing::ModelBuilder;
using testing::find_report;
using testing::load_graph;
using testing::op_counts;
using testing::run_only;

// Bags [0,2) [2,2) [2,5) of ids (5,) over table (6, 2) = row r: (r, -r); mean or sum; opset 14.
ModelBuilder unrolled(const char* reduce, bool second_table) {
  ModelBuilder b(14);
  b.input("ids", onnx::TensorProto::INT64, {5});
  b.output("y", onnx::TensorProto::FLOAT);
  std::vector<float> table;
  for (int r = 0; r < 6; ++r) table.insert(table.end(), {static_cast<float>(r), -static_cast<float>(r)});
  b.initializer_f32("table", {6, 2}, table);
  b.initializer_f32("other", {6, 2}, table);
  b.initializer_i64("axis0", {1}, {0});
  const int64_t bounds[3][2] = {{0, 2}, {2, 2}, {2, 5}};
  std::vector<std::string> parts;
  for (int k = 0; k < 3; ++k) {
    const std::string s = "s" + std::to_string(k), e = "e" + std::to_string(k);
    b.initializer_i64(s, {1}, {bounds[k][0]});
    b.initializer_i64(e, {1}, {bounds[k][1]});
    b.node("Slice", {"ids", s, e, "axis0"}, {"slice" + std::to_string(k)});
    b.node("Gather", {second_table && k == 2 ? "other" : "table", "slice" + std::to_string(k)},
           {"rows" + std::to_string(k)});
    onnx::NodeProto& r = std::string(reduce) == "ReduceSum"
                             ? b.node(reduce, {"rows" + std::to_string(k), "axis0"}, {"pool" + std::to_string(k)})
                             : b.node(reduce, {"rows" + std::to_string(k)}, {"pool" + std::to_string(k)});
    if (std::string(reduce) != "ReduceSum") add_attr_ints(r, "axes", {0});
    add_attr_int(r, "keepdims", 0);
    b.node("Unsqueeze", {"pool" + std::to_string(k), "axis0"}, {"part" + std::to_string(k)});
    parts.push_back("part" + std::to_string(k));
  }
  add_attr_int(b.node("Concat", parts, {"y"}), "axis", 0);
  return b;
}

TEST(UnrolledBagFusion, StackedBagsBecomeOneEmbeddingBag) {
  const std::vector<int64_t> ids = {1, 4, 0, 5, 3};
  for (const char* reduce : {"ReduceSum", "ReduceMax"}) {
    SCOPED_TRACE(reduce);
    const std::string path = unrolled(reduce, false).write(recinfer::testing::temp_dir("unrolled_bags"));
    auto g = load_graph(path);
    auto report = run_only(*g, {"unrolled-bag-fusion", "dead-code-elimination"});
    ASSERT_EQ(find_report(report, "unrolled-bag-fusion")->matches, 1);
    auto counts = op_counts(*g);
    EXPECT_EQ(counts["EmbeddingBag"], 1);
    EXPECT_EQ(counts["Slice"], 0);
    EXPECT_EQ(counts["Gather"], 0);
    EXPECT_TRUE(ir::verify_graph(*g).is_ok());
    // Bag 1 is empty: sum 0, max -inf (what ReduceMax of an empty slice gives).
    const bool max = std::string(reduce) == "ReduceMax";
    std::vector<float> expected = max ? std::vector<float>{4, -1, -INFINITY, -INFINITY, 5, 0}
                                      : std::vector<float>{5, -5, 0, 0, 8, -8};
    testing::expect_outputs_both_ways(path, {*Tensor::from_vector<int64_t>(Shape{5}, ids)}, expected,
                                      Shape{3, 2});
  }
}

TEST(UnrolledBagFusion, LeavesBagsOfDifferentTablesAlone) {
  auto g = load_graph(unrolled("ReduceSum", true).write(recinfer::testing::temp_dir("unrolled_two")));
  auto report = run_only(*g, {"unrolled-bag-fusion"});
  EXPECT_EQ(find_report(report, "unrolled-bag-fusion")->matches, 0);
}

}  // namespace
}  // namespace recinfer::passes
