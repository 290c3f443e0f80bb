// The advisor's own logic on synthetic numbers: the staging finding, ranking findings of both
// kinds together, a fusion whose replacement keeps the work (not counted as gain), counting an
// inference's work from profiled op shapes, and the roofline verdict.
#include "advisor/advisor.h"

#include <gtest/gtest.h>

#include "advisor/roofline.h"
#include "support/model_builder.h"

namespace recinfer::advisor {
namespace {

TEST(AdvisorTest, StagingFindingOnlyWhenThereIsMoreThanOneCopy) {
  StagingObservation obs;
  obs.inputs = 53;
  obs.copies_per_inference = 53;
  obs.staged_kib_per_inference = 125.5;
  obs.staging_p50_us = 20;
  obs.latency_avg_us = 400;
  auto f = staging_finding(obs);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->matches, 53);
  EXPECT_DOUBLE_EQ(f->gain_us, 20);
  EXPECT_DOUBLE_EQ(f->share, 0.05);
  EXPECT_NE(f->fix.find("--batched-input on"), std::string::npos);
  const std::string text = format_finding(1, *f);
  EXPECT_NE(text.find("53 staging copies per inference for 53 input tensors"), std::string::npos) << text;
  EXPECT_NE(text.find("fix: --batched-input on"), std::string::npos) << text;
  obs.copies_per_inference = 1;
  EXPECT_FALSE(staging_finding(obs).has_value());
}

TEST(AdvisorTest, FindingsOfBothKindsRankByGain) {
  std::vector<Finding> findings(3);
  findings[0].pass = "a";
  findings[0].gain_us = 5;
  findings[1].fix = "--batched-input on";
  findings[1].gain_us = 50;
  findings[2].pass = "b";
  findings[2].gain_us = 20;
  rank_findings(findings);
  EXPECT_EQ(findings[0].fix, "--batched-input on");
  EXPECT_EQ(findings[1].pass, "b");
  EXPECT_EQ(findings[2].pass, "a");
}

TEST(AdvisorTest, FusedGemmWorkIsNotCountedAsGain) {
  // Gemm -> Relu: the fusion removes the Relu pass over Y; the Gemm's product stays (in the
  // FusedGemm), so only the Relu's time is the gain, though both nodes are evidence.
  recinfer::testing::ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {4, 3});
  b.output("y", onnx::TensorProto::FLOAT);
  b.initializer_f32("w", {3, 2}, {1, 2, 3, 4, 5, 6});
  b.node("Gemm", {"x", "w"}, {"g"}).set_name("gemm");
  b.node("Relu", {"g"}, {"y"}).set_name("relu");
  const std::string path = b.write(recinfer::testing::temp_dir("advisor_fused_gemm"));
  OpTimes times;
  times.inferences = 2;
  times.inference_us = 60;
  times.by_name["gemm"].total_us = 100;
  times.by_name["relu"].total_us = 10;
  auto findings = find_pass_findings(path, times);
  ASSERT_TRUE(findings.is_ok()) << findings.status().to_string();
  ASSERT_EQ(findings->size(), 1u);
  const Finding& f = findings->front();
  EXPECT_EQ(f.pass, "gemm-activation-fusion");
  EXPECT_DOUBLE_EQ(f.gain_us, 5);  // relu's 10 µs over 2 inferences
  ASSERT_EQ(f.evidence.size(), 2u);
  EXPECT_NE(format_finding(1, f).find("not counted as gain"), std::string::npos) << format_finding(1, f);
}

profiler::TensorDesc desc(DType dtype, Shape shape) { return {true, dtype, shape}; }

TEST(AdvisorTest, CountsFlopsAndGatheredBytesFromOpShapes) {
  using profiler::OpInfo;
  // Two inferences' worth of rows: a FusedGemm (400,67)x(600,67)^T, a MatMul (2,8,5)x(2,5,3),
  // an EmbeddingBag over a big (100000,64) and a small (1000,16) table, and a Relu.
  OpInfo gemm{"g", "FusedGemm", false,
              {desc(DType::kFloat32, {400, 67}), desc(DType::kFloat32, {600, 67})},
              {desc(DType::kFloat32, {400, 600})}};
  OpInfo matmul{"m", "MatMul", false,
                {desc(DType::kFloat32, {2, 8, 5}), desc(DType::kFloat32, {2, 5, 3})},
                {desc(DType::kFloat32, {2, 8, 3})}};
  profiler::TensorDesc none;
  OpInfo bag{"b", "EmbeddingBag", false,
             {desc(DType::kFloat32, {100000, 64}), desc(DType::kInt64, {10}),
              desc(DType::kInt64, {2}), none, none, desc(DType::kFloat32, {1000, 16}),
              desc(DType::kInt64, {4}), desc(DType::kInt64, {2})},
             {desc(DType::kFloat32, {2, 64}), desc(DType::kFloat32, {2, 16})}};
  OpInfo relu{"r", "Relu", false, {desc(DType::kFloat32, {4})}, {desc(DType::kFloat32, {4})}};
  std::vector<profiler::OpRow> rows;
  for (int inference = 0; inference < 2; ++inference) {
    for (const OpInfo* op : {&gemm, &matmul, &bag, &relu}) {
      profiler::OpRow row;
      row.info = op;
      row.inputs = &op->inputs;
      row.outputs = &op->outputs;
      row.duration_us = op == &gemm ? 100 : 10;
      rows.push_back(row);
    }
  }
  const Work w = count_work(rows, 2);
  EXPECT_DOUBLE_EQ(w.flops, 2.0 * 400 * 600 * 67 + 2.0 * (2 * 8 * 3) * 5);
  EXPECT_DOUBLE_EQ(w.dram_bytes, 10 * 64 * 4);   // 25.6 MB table: beyond the cache
  EXPECT_DOUBLE_EQ(w.cached_bytes, 4 * 16 * 4);  // 64 KB table
  EXPECT_DOUBLE_EQ(w.gemm_us, 110);
  EXPECT_DOUBLE_EQ(w.gather_us, 10);
  EXPECT_DOUBLE_EQ(w.other_us, 10);
}

TEST(AdvisorTest, NearTheRooflineOnlyFromHalfOfTheLimit) {
  Work w;
  w.flops = 100e6;        // 1000 µs at 100 GFLOP/s
  w.dram_bytes = 1e6;     // 500 µs at 2 GB/s
  w.cached_bytes = 10e6;  // 1000 µs at 10 GB/s -> gathers 1500 µs: the bound
  Peaks p{100, 2, 10};
  RooflineVerdict near = judge(w, p, 2500);
  EXPECT_DOUBLE_EQ(near.roofline_us, 1500);
  EXPECT_EQ(near.bound, "gather");
  EXPECT_TRUE(near.near);
  EXPECT_NE(format_verdict(w, p, near).find("no action: near the roofline"), std::string::npos);
  RooflineVerdict far = judge(w, p, 4000);
  EXPECT_FALSE(far.near);
  EXPECT_NE(format_verdict(w, p, far).find("remaining gap: 2.7x the limit"), std::string::npos)
      << format_verdict(w, p, far);
}

}  // namespace
}  // namespace recinfer::advisor
