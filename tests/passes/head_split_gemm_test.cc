// head-split-gemm: the per-head batched MatMul between two Transposes becomes one Gemm with a
// block-diagonal weight — on the coarse-ranking export, on a hand-built graph checked against
// loops written here, and near misses that must stay.
#include <gtest/gtest.h>

#include "ir/verifier.h"
#include "recinfer/session.h"
#include "support/model_builder.h"
#include "support/pass_test_util.h"

namespace recinfer::passes {
namespace {

using recinfer::testing::add_attr_ints;
using recinfer::testing::ModelBuilder;
using testing::find_report;
using testing::load_graph;
using testing::op_counts;
using testing::run_only;
using testing::zoo_model;

TEST(HeadSplitGemm, ReplacesTheCoarseRankHeads) {
  for (const char* name : {"coarse_rank_opset11", "coarse_rank_opset14"}) {
    auto g = load_graph(zoo_model(name));
    // The heads' input shape is static only once NonZero and Unique are gone: whole pipeline.
    std::vector<std::string> all;
    for (const PassInfo& pass : list_passes()) all.push_back(pass.name);
    auto report = run_only(*g, all);
    ASSERT_EQ(find_report(report, "head-split-gemm")->matches, 1) << name;
    auto counts = op_counts(*g);
    EXPECT_EQ(counts["Transpose"], 0) << name;
    EXPECT_EQ(counts["MatMul"], 0) << name;
    int block_diagonal = 0;
    for (const ir::Node& node : g->nodes) {
      if (node.op != ir::OpType::kFusedGemm || node.attr_string("activation", "") != "Relu") continue;
      block_diagonal += g->value(node.inputs[1]).constant->shape() == Shape{600, 32};
    }
    EXPECT_EQ(block_diagonal, 1) << name;
    EXPECT_TRUE(ir::verify_graph(*g).is_ok());
  }
}

// x (N, H·3) -> Reshape (N, H, 3) -> Transpose -> MatMul(w (H, 3, 2)) -> [Relu] -> Transpose
// -> Reshape (N, H·2).
ModelBuilder heads_model(int64_t heads, bool relu, std::vector<int64_t> perm = {1, 0, 2}) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {-1, heads * 3});
  b.output("y", onnx::TensorProto::FLOAT);
  std::vector<float> w;
  for (int64_t i = 0; i < heads * 6; ++i) w.push_back(static_cast<float>((i * 5) % 7) - 3.0f);
  b.initializer_f32("w", {heads, 3, 2}, w);
  b.initializer_i64("split", {3}, {0, heads, 3});
  b.initializer_i64("merge", {2}, {0, heads * 2});
  b.node("Reshape", {"x", "split"}, {"r"});
  add_attr_ints(b.node("Transpose", {"r"}, {"t"}), "perm", perm);
  b.node("MatMul", {"t", "w"}, {"m"});
  std::string last = "m";
  if (relu) {
    b.node("Relu", {"m"}, {"a"});
    last = "a";
  }
  add_attr_ints(b.node("Transpose", {last}, {"t2"}), "perm", perm);
  b.node("Reshape", {"t2", "merge"}, {"y"});
  return b;
}

TEST(HeadSplitGemm, MatchesTheDefinitionWithAndWithoutActivation) {
  for (bool relu : {true, false}) {
    SCOPED_TRACE(relu ? "relu" : "no activation");
    const std::string path = heads_model(2, relu).write(recinfer::testing::temp_dir("head_split"));
    auto g = load_graph(path);
    auto report = run_only(*g, {"head-split-gemm", "dead-code-elimination"});
    ASSERT_EQ(find_report(report, "head-split-gemm")->matches, 1);
    EXPECT_EQ(op_counts(*g)[relu ? "FusedGemm" : "Gemm"], 1);
    EXPECT_TRUE(ir::verify_graph(*g).is_ok());

    const int64_t n = 3;
    std::vector<float> x;
    for (int i = 0; i < n * 6; ++i) x.push_back(static_cast<float>(i % 5) - 1.5f);
    std::vector<float> w;
    for (int64_t i = 0; i < 12; ++i) w.push_back(static_cast<float>((i * 5) % 7) - 3.0f);
    // y[r, h·2 + o] = act(Σ_k x[r, h·3 + k] · w[h, k, o])
    std::vector<float> expected;
    for (int64_t r = 0; r < n; ++r) {
      for (int64_t h = 0; h < 2; ++h) {
        for (int64_t o = 0; o < 2; ++o) {
          float acc = 0;
          for (int64_t k = 0; k < 3; ++k) acc += x[r * 6 + h * 3 + k] * w[(h * 3 + k) * 2 + o];
          expected.push_back(relu ? std::max(acc, 0.0f) : acc);
        }
      }
    }
    for (bool optimize : {true, false}) {
      SessionOptions options;
      options.optimize = optimize;
      auto session = Session::load(path, options);
      ASSERT_TRUE(session.is_ok()) << session.status().to_string();
      std::vector<Tensor> out;
      ASSERT_TRUE((*session)->run({*Tensor::from_vector<float>(Shape{n, 6}, x)}, out).is_ok());
      ASSERT_EQ(out[0].shape(), (Shape{n, 4}));
      for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_NEAR(out[0].data<float>()[i], expected[i], 1e-5f) << i << " optimize " << optimize;
      }
    }
  }
}

TEST(HeadSplitGemm, LeavesManyHeadsAndOtherPermutationsAlone) {
  {  // 3 heads: the block-diagonal weight would triple the FLOPs.
    auto g = load_graph(heads_model(3, true).write(recinfer::testing::temp_dir("head_split_3")));
    EXPECT_EQ(find_report(run_only(*g, {"head-split-gemm"}), "head-split-gemm")->matches, 0);
  }
  {  // Not the head/row swap.
    auto g = load_graph(
        heads_model(2, true, {0, 2, 1}).write(recinfer::testing::temp_dir("head_split_perm")));
    EXPECT_EQ(find_report(run_only(*g, {"head-split-gemm"}), "head-split-gemm")->matches, 0);
  }
}

}  // namespace
}  // namespace recinfer::passes
