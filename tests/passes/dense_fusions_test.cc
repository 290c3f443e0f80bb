// Before/after graphs of the dense passes: Gemm + activation, Transpose folded into Gemm, and
// the DLRM dot interaction (real export), plus near misses that must stay.
#include <gtest/gtest.h>

#include "ir/verifier.h"
#include "recinfer/session.h"
#include "support/model_builder.h"
#include "support/pass_test_util.h"

namespace recinfer::passes {
namespace {

using recinfer::testing::ModelBuilder;
using testing::find_report;
using testing::load_graph;
using testing::op_counts;
using testing::run_only;
using testing::zoo_model;

TEST(DotInteractionFusion, ReplacesTheDlrmInteraction) {
  for (const char* name : {"dlrm_small_opset11", "dlrm_small_opset14"}) {
    auto g = load_graph(zoo_model(name));
    auto report = run_only(*g, {"constant-folding", "dot-interaction-fusion", "dead-code-elimination"});
    EXPECT_EQ(find_report(report, "dot-interaction-fusion")->matches, 1) << name;
    auto counts = op_counts(*g);
    EXPECT_EQ(counts["DotInteraction"], 1) << name;
    EXPECT_EQ(counts["MatMul"], 0) << name;
    EXPECT_EQ(counts["Flatten"], 0) << name;
    for (const ir::Node& node : g->nodes) {
      if (node.op != ir::OpType::kDotInteraction) continue;
      const Tensor* li = &*g->value(node.inputs[1]).constant;
      EXPECT_EQ(li->numel(), 27 * 26 / 2);
    }
    EXPECT_TRUE(ir::verify_graph(*g).is_ok());
  }
}

TEST(GemmActivationFusion, FusesEveryDlrmLayer) {
  auto g = load_graph(zoo_model("dlrm_small_opset14"));
  auto report = run_only(*g, {"gemm-activation-fusion", "dead-code-elimination"});
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["FusedGemm"], 4);  // 3 Relu layers + the Sigmoid head
  EXPECT_EQ(counts["Gemm"], 0);
  EXPECT_EQ(counts["Relu"], 0);
  EXPECT_EQ(counts["Sigmoid"], 0);
}

// A Gemm whose output is also read elsewhere keeps its Relu separate.
TEST(GemmActivationFusion, KeepsGemmWithOtherReaders) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {2, 3});
  b.output("y", onnx::TensorProto::FLOAT);
  b.output("z", onnx::TensorProto::FLOAT);
  b.initializer_f32("w", {3, 2}, {1, -2, 3, -4, 5, -6});
  b.node("Gemm", {"x", "w"}, {"z"});
  b.node("Relu", {"z"}, {"y"});
  auto g = load_graph(b.write(recinfer::testing::temp_dir("gemm_relu_shared")));
  auto report = run_only(*g, {"gemm-activation-fusion"});
  EXPECT_EQ(find_report(report, "gemm-activation-fusion")->matches, 0);
}

// Gemm(Transpose(x), Transpose(w)) + Relu -> FusedGemm(x, w, transA=1, transB=1): same numbers.
TEST(GemmTransposeFolding, FoldsBothOperandsAndKeepsResults) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {3, 2});
  b.output("y", onnx::TensorProto::FLOAT);
  b.initializer_f32("w", {4, 3}, {1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12});
  b.initializer_f32("c", {4}, {0.5f, -0.5f, 1.0f, -1.0f});
  recinfer::testing::add_attr_ints(b.node("Transpose", {"x"}, {"xt"}), "perm", {1, 0});
  b.node("Transpose", {"w"}, {"wt"});
  b.node("Gemm", {"xt", "wt", "c"}, {"g"});
  b.node("Relu", {"g"}, {"y"});
  const std::string path = b.write(recinfer::testing::temp_dir("gemm_transpose"));
  auto g = load_graph(path);
  auto report = run_only(*g, {"constant-folding", "gemm-transpose-folding", "gemm-activation-fusion",
                              "dead-code-elimination"});
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["FusedGemm"], 1);
  EXPECT_EQ(counts["Transpose"], 0);  // x's is folded; w's is folded by constant folding first
  // Run both ways: x = [[1,2],[3,4],[5,6]] -> same outputs with passes on and off.
  auto x = Tensor::from_vector<float>(Shape{3, 2}, {1, 2, 3, 4, 5, 6});
  ASSERT_TRUE(x.is_ok());
  std::vector<std::vector<float>> results;
  for (bool optimize : {true, false}) {
    SessionOptions options;
    options.optimize = optimize;
    auto session = Session::load(path, options);
    ASSERT_TRUE(session.is_ok()) << session.status().to_string();
    std::vector<Tensor> out;
    ASSERT_TRUE((*session)->run({*x}, out).is_ok());
    ASSERT_EQ(out[0].shape(), (Shape{2, 4}));
    results.emplace_back(out[0].data<float>(), out[0].data<float>() + 8);
  }
  EXPECT_EQ(results[0], results[1]);
  // Hand check of one element: y[0][0] = relu(sum_k xt[0][k] * wt[k][0] + c0)
  //   xt row 0 = (1, 3, 5), wt column 0 = w row 0 = (1, -2, 3): 1 - 6 + 15 + 0.5 = 10.5
  EXPECT_FLOAT_EQ(results[0][0], 10.5f);
}

}  // namespace
}  // namespace recinfer::passes
