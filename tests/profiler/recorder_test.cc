// The recorder through Session::run_profiled: one op event per step and iteration, the shapes and
// dtypes each op instance saw, re-planning time of dynamic steps, bubbles/utilisation bounds, and
// no allocation on the profiled path once the buffers are sized.
#include "profiler/recorder.h"

#include <gtest/gtest.h>

#include <map>

#include "profiler/analysis.h"
#include "recinfer/session.h"
#include "support/allocation_counter.h"
#include "support/model_builder.h"
#include "support/profiling.h"

namespace recinfer {
namespace {

using profiler::EventKind;
using testing::ModelBuilder;

// x (2,3) float -> Add bias -> Relu -> MatMul W (3,4) -> Cast int64 -> y (2,4)
std::unique_ptr<Session> small_static_session(int threads = 1) {
  ModelBuilder b;
  b.input("x", onnx::TensorProto::FLOAT, {2, 3});
  b.initializer_f32("bias", {3}, {1.0f, -2.0f, 0.5f});
  b.initializer_f32("w", {3, 4}, std::vector<float>(12, 0.25f));
  b.node("Add", {"x", "bias"}, {"sum"}, "add");
  b.node("Relu", {"sum"}, {"act"}, "relu");
  b.node("MatMul", {"act", "w"}, {"mm"}, "matmul");
  testing::add_attr_int(b.node("Cast", {"mm"}, {"y"}, "cast"), "to", onnx::TensorProto::INT64);
  b.output("y", onnx::TensorProto::INT64, {2, 4});
  SessionOptions options;
  options.num_threads = threads;
  options.optimize = false;  // the ops as built (matmul-to-gemm would make the MatMul a Gemm)
  auto session = Session::load(b.write(testing::temp_dir("profiler_static")), options);
  EXPECT_TRUE(session.is_ok()) << session.status().to_string();
  return session.is_ok() ? std::move(session).value() : nullptr;
}

int64_t count_kind(const profiler::Profile& p, EventKind kind) {
  int64_t n = 0;
  for (const auto& e : p.events) n += e.kind == kind ? 1 : 0;
  return n;
}

TEST(ProfilerRecorderTest, OneOpEventPerStepAndIterationWithShapesAndDtypes) {
  auto session = small_static_session();
  ASSERT_NE(session, nullptr);
  auto x = Tensor::from_vector<float>(Shape{2, 3}, {0, 1, 2, -3, 4, -5});
  const int iterations = 7;
  profiler::Profile p = testing::profile_runs(*session, {*x}, iterations);
  const SessionStats stats = session->stats();
  const int steps = stats.static_steps + stats.dynamic_steps;
  ASSERT_EQ(steps, 4);
  EXPECT_EQ(p.inferences.size(), static_cast<size_t>(iterations));
  EXPECT_EQ(p.ops.size(), static_cast<size_t>(steps * iterations));
  EXPECT_EQ(count_kind(p, EventKind::kOp), steps * iterations);
  EXPECT_EQ(count_kind(p, EventKind::kStaging), iterations);
  EXPECT_EQ(count_kind(p, EventKind::kReplan), 0);
  EXPECT_EQ(p.dropped_events, 0);

  const auto rows = profiler::op_rows(p);
  ASSERT_EQ(rows.size(), p.ops.size());
  std::map<std::string, const profiler::OpRow*> first;
  for (const auto& r : rows) {
    first.try_emplace(r.info->name, &r);
    EXPECT_GE(r.duration_us, 0);
    EXPECT_GE(r.wait_us, 0);
    EXPECT_EQ(r.threads_used, 1);
  }
  auto check = [&](const std::string& name, const std::string& type, const std::string& in_shapes,
                   const std::string& in_types, const std::string& out_shapes,
                   const std::string& out_types) {
    ASSERT_TRUE(first.count(name)) << name;
    const profiler::OpRow& r = *first[name];
    EXPECT_EQ(r.info->type, type);
    EXPECT_EQ(profiler::format_shapes(*r.inputs), in_shapes) << name;
    EXPECT_EQ(profiler::format_dtypes(*r.inputs), in_types) << name;
    EXPECT_EQ(profiler::format_shapes(*r.outputs), out_shapes) << name;
    EXPECT_EQ(profiler::format_dtypes(*r.outputs), out_types) << name;
  };
  check("add", "Add", "2,3;3", "float32;float32", "2,3", "float32");
  check("relu", "Relu", "2,3", "float32", "2,3", "float32");
  check("matmul", "MatMul", "2,3;3,4", "float32;float32", "2,4", "float32");
  check("cast", "Cast", "2,4", "float32", "2,4", "int64");

  // Ops of one inference run in plan order without overlapping.
  for (size_t i = 1; i < p.ops.size(); ++i) {
    EXPECT_GE(p.ops[i].begin_ns, p.ops[i - 1].end_ns);
  }
  const auto summary = profiler::summarize(p, rows);
  EXPECT_EQ(summary.inferences, iterations);
  EXPECT_DOUBLE_EQ(summary.ops_per_inference, steps);
  EXPECT_EQ(summary.staging_copies, 0);
  ASSERT_EQ(summary.per_thread.size(), 1u);
  EXPECT_GE(summary.utilisation, 0.0);
  EXPECT_LE(summary.utilisation, 1.0);
  EXPECT_GT(summary.compute_us, 0.0);
  EXPECT_NEAR(summary.staging_us + summary.compute_us + summary.idle_us, summary.latency_mean_us,
              1e-6 * summary.latency_mean_us + 1e-9);
  EXPECT_EQ(summary.top_ops.size(), 4u);
}

TEST(ProfilerRecorderTest, DynamicStepsReportReplanningAndPerInstanceShapes) {
  ModelBuilder b;
  b.input("x", onnx::TensorProto::FLOAT, {8});
  b.node("NonZero", {"x"}, {"idx"}, "nonzero");
  testing::add_attr_int(b.node("Cast", {"idx"}, {"y"}, "cast"), "to", onnx::TensorProto::FLOAT);
  b.output("y", onnx::TensorProto::FLOAT, {1, -1});
  auto loaded = Session::load(b.write(testing::temp_dir("profiler_dynamic")));
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  Session& session = **loaded;
  auto three = Tensor::from_vector<float>(Shape{8}, {0, 1, 0, 2, 0, 0, 3, 0});
  auto five = Tensor::from_vector<float>(Shape{8}, {1, 1, 0, 2, 0, 4, 3, 0});
  std::vector<Tensor> out;
  ASSERT_TRUE(session.run({*three}, out).is_ok());
  ASSERT_GT(session.stats().dynamic_steps, 0);

  profiler::Recorder recorder;
  const int iterations = 6;
  for (int i = 0; i < iterations; ++i) {
    ASSERT_TRUE(session.run_profiled({i % 2 == 0 ? *three : *five}, out, recorder).is_ok());
  }
  profiler::Profile p = recorder.take();
  const int steps = session.stats().static_steps + session.stats().dynamic_steps;
  EXPECT_EQ(p.ops.size(), static_cast<size_t>(steps * iterations));
  EXPECT_EQ(count_kind(p, EventKind::kReplan), session.stats().dynamic_steps * iterations);

  const auto rows = profiler::op_rows(p);
  bool saw_nonzero = false;
  for (const auto& r : rows) {
    if (r.info->type != "NonZero") continue;
    saw_nonzero = true;
    EXPECT_TRUE(r.info->dynamic);
    EXPECT_GT(r.replan_us, 0.0);
    EXPECT_LE(r.replan_us, r.duration_us);
    EXPECT_EQ(profiler::format_shapes(*r.outputs), r.op->inference % 2 == 0 ? "1,3" : "1,5");
    EXPECT_EQ(profiler::format_dtypes(*r.outputs), "int64");
  }
  EXPECT_TRUE(saw_nonzero);
  const auto summary = profiler::summarize(p, rows);
  EXPECT_GT(summary.replan_us, 0.0);
  EXPECT_GT(summary.dynamic_ops_per_inference, 0.0);
  ASSERT_FALSE(summary.dynamic_ops.empty());
  EXPECT_NE(profiler::format_summary(summary).find("re-planning"), std::string::npos);
}

TEST(ProfilerRecorderTest, ZooModelOnTwoThreadsCountsWorkAndStaysWithinBounds) {
  testing::ZooModel model = testing::load_zoo_model("deepfm_opset14", 2);
  ASSERT_NE(model.session, nullptr);
  const int iterations = 5;
  profiler::Profile p = testing::profile_runs(*model.session, model.inputs, iterations);
  const SessionStats stats = model.session->stats();
  EXPECT_EQ(p.ops.size(),
            static_cast<size_t>((stats.static_steps + stats.dynamic_steps) * iterations));
  EXPECT_EQ(p.num_threads, 2);
  EXPECT_GT(count_kind(p, EventKind::kWork), 0);  // deepfm's embedding and GEMM ops go parallel
  const auto rows = profiler::op_rows(p);
  for (const auto& r : rows) {
    EXPECT_GE(r.threads_used, 1);
    EXPECT_LE(r.threads_used, 2);
  }
  const auto summary = profiler::summarize(p, rows);
  ASSERT_EQ(summary.per_thread.size(), 2u);
  EXPECT_GE(summary.utilisation, 0.0);
  EXPECT_LE(summary.utilisation, 1.0);
  for (const auto& t : summary.per_thread) {
    EXPECT_GE(t.utilisation, 0.0);
    EXPECT_LE(t.utilisation, 1.0);
    EXPECT_NEAR(t.busy_us + t.idle_us, summary.wall_us, 1e-6 * summary.wall_us);
  }
}

TEST(ProfilerRecorderTest, ProfiledRunsDoNotAllocateOnceBuffersAreSized) {
  auto session = small_static_session();
  ASSERT_NE(session, nullptr);
  auto x = Tensor::from_vector<float>(Shape{2, 3}, {0, 1, 2, -3, 4, -5});
  const std::vector<Tensor> in = {*x};
  std::vector<Tensor> out;
  profiler::RecorderOptions options;
  options.expected_inferences = 64;
  profiler::Recorder recorder(options);
  ASSERT_TRUE(session->run_profiled(in, out, recorder).is_ok());  // sizes buffers, describes ops
  testing::start_counting_allocations();
  for (int i = 0; i < 20; ++i) {
    Status st = session->run_profiled(in, out, recorder);
    if (!st.is_ok()) {
      testing::stop_counting_allocations();
      FAIL() << st.to_string();
    }
  }
  EXPECT_EQ(testing::stop_counting_allocations(), 0);
  EXPECT_EQ(recorder.inferences(), 21);
  // Profiling leaves the session as it was: plain runs stay allocation-free and unobserved.
  testing::start_counting_allocations();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(session->run(in, out).is_ok());
  EXPECT_EQ(testing::stop_counting_allocations(), 0);
}

TEST(ProfilerRecorderTest, FailedRunIsForgottenAndExtraEventKindsAreKept) {
  auto session = small_static_session();
  ASSERT_NE(session, nullptr);
  auto x = Tensor::from_vector<float>(Shape{2, 3}, {0, 1, 2, -3, 4, -5});
  auto wrong = Tensor::from_vector<float>(Shape{3, 3}, std::vector<float>(9, 0.f));
  std::vector<Tensor> out;
  profiler::Recorder recorder;
  for (int i = 0; i < 3; ++i) {
    // What the multi-instance engine will add: a queue wait, then one staging copy.
    const int64_t t0 = profiler::Recorder::now_ns();
    recorder.record(EventKind::kQueueWait, t0, t0 + 2000);
    recorder.record(EventKind::kStagingCopy, t0 + 2000, t0 + 3000, 4096);
    ASSERT_TRUE(session->run_profiled({*x}, out, recorder).is_ok());
    EXPECT_FALSE(session->run_profiled({*wrong}, out, recorder).is_ok());
  }
  profiler::Profile p = recorder.take();
  EXPECT_EQ(p.inferences.size(), 3u);
  EXPECT_EQ(p.ops.size(), 12u);
  EXPECT_EQ(count_kind(p, EventKind::kStaging), 3);
  const auto summary = profiler::summarize(p, profiler::op_rows(p));
  EXPECT_DOUBLE_EQ(summary.staging_copies, 1.0);
  EXPECT_DOUBLE_EQ(summary.staging_bytes, 4096.0);
  EXPECT_NEAR(summary.queue_wait_us, 2.0, 1e-9);
  EXPECT_EQ(recorder.inferences(), 0);  // take() empties the recorder
}

}  // namespace
}  // namespace recinfer
