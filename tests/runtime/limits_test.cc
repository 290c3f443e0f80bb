// Issue 12, resource limits (recinfer/limits.h): thread counts, Loop trip counts, planned and
// data-dependent tensor sizes and the arena are checked before anything is started or
// allocated, with the limit and how to raise it in the message. And Gemm's transA/transB.
#include <gtest/gtest.h>

#include "recinfer/engine.h"
#include "recinfer/limits.h"
#include "recinfer/session.h"
#include "support/bad_models.h"

namespace recinfer {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

std::string error_of(const Status& st) { return st.is_ok() ? "ok" : st.message(); }

// Loads `model` and runs it once on x = zeros of `x_shape` (float32) plus `extra` inputs.
Status load_and_run(const ModelBuilder& model, const std::string& tag, const SessionOptions& options,
                    const Shape& x_shape, std::vector<Tensor> extra = {}) {
  RI_ASSIGN_OR_RETURN(auto session, Session::load(model.write(temp_dir(tag)), options));
  RI_ASSIGN_OR_RETURN(Tensor x, Tensor::allocate(DType::kFloat32, x_shape));
  std::vector<Tensor> inputs{x};
  inputs.insert(inputs.end(), extra.begin(), extra.end());
  std::vector<Tensor> outputs;
  return session->run(inputs, outputs);
}

TEST(LimitsTest, DefaultsAndFormatting) {
  const Limits limits;
  EXPECT_EQ(limits.max_tensor_bytes, uint64_t{64} << 30);
  EXPECT_EQ(limits.max_loop_iterations, int64_t{1} << 31);
  EXPECT_EQ(limits.thread_limit(), 4 * usable_cpus());
  EXPECT_GT(limits.arena_limit(), uint64_t{0});
  EXPECT_EQ(format_bytes(16), "16 bytes");
  EXPECT_EQ(format_bytes(uint64_t{64} << 30), "64 GiB");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  auto too_big = Tensor::allocate(DType::kFloat32, Shape{1024}, 1024);
  ASSERT_FALSE(too_big.is_ok());
  EXPECT_NE(too_big.status().message().find("tensor limit 1 KiB"), std::string::npos)
      << too_big.status().message();
  EXPECT_TRUE(Tensor::allocate(DType::kFloat32, Shape{256}, 1024).is_ok());
}

TEST(LimitsTest, SessionThreadsAreCheckedAgainstTheLimit) {
  const std::string model = opset_model(14).write(temp_dir("threads"));
  SessionOptions options;
  for (int threads : {0, -1}) {
    options.num_threads = threads;
    auto session = Session::load(model, options);
    ASSERT_FALSE(session.is_ok());
    EXPECT_NE(session.status().message().find(std::to_string(threads) + " intra-op threads"),
              std::string::npos);
  }
  options.num_threads = 100000;
  auto many = Session::load(model, options);
  ASSERT_FALSE(many.is_ok());
  EXPECT_NE(many.status().message().find("thread limit " + std::to_string(4 * usable_cpus())),
            std::string::npos)
      << many.status().message();
  options.num_threads = 3;
  options.limits.max_threads = 2;
  EXPECT_NE(error_of(Session::load(model, options).status()).find("thread limit 2 (set by --max-threads)"),
            std::string::npos);
  options.limits.max_threads = 3;
  EXPECT_TRUE(Session::load(model, options).is_ok());
}

TEST(LimitsTest, EngineThreadsAreCheckedAgainstARaisedLimit) {
  const std::string model = opset_model(14).write(temp_dir("engine_threads"));
  EngineOptions options;
  options.instances = 3;
  options.pin = false;
  options.limits.max_threads = 2;
  auto engine = Engine::load(model, options);
  ASSERT_FALSE(engine.is_ok());
  EXPECT_NE(engine.status().message().find("3 instances x 1 cores per instance = 3 threads: more "
                                           "than the thread limit 2"),
            std::string::npos)
      << engine.status().message();
  options.instances = 2;
  EXPECT_TRUE(Engine::load(model, options).is_ok());
}

TEST(LimitsTest, LoopTripCountIsCheckedBeforeIterating) {
  SessionOptions options;
  Status huge = load_and_run(loop_model(int64_t{1} << 40), "loop_huge", options, Shape{1});
  EXPECT_NE(error_of(huge).find("node 'counting_loop' (Loop): trip count M = 1099511627776 is more "
                                "than the Loop iteration limit 2147483648"),
            std::string::npos)
      << error_of(huge);
  options.limits.max_loop_iterations = 10;
  Status lowered = load_and_run(loop_model(100), "loop_100", options, Shape{1});
  EXPECT_NE(error_of(lowered).find("limit 10 (raise with --max-loop-iterations)"), std::string::npos)
      << error_of(lowered);
  EXPECT_TRUE(load_and_run(loop_model(10), "loop_10", options, Shape{1}).is_ok());
}

TEST(LimitsTest, PlannedTensorsAndArenaAreCheckedBeforeAllocating) {
  SessionOptions options;
  Status huge = load_and_run(expand_model({int64_t{1} << 20, int64_t{1} << 20}), "expand_huge",
                             options, Shape{1});
  EXPECT_NE(error_of(huge).find("node 'big_expand' (Expand): output 'y' of shape (1048576,1048576) "
                                "(float32) is 4 TiB, more than the tensor limit 64 GiB"),
            std::string::npos)
      << error_of(huge);
  options.limits.max_tensor_bytes = 1 << 20;
  Status tensor = load_and_run(expand_model({1024, 1024}), "expand_4m", options, Shape{1});
  EXPECT_NE(error_of(tensor).find("is 4 MiB, more than the tensor limit 1 MiB"), std::string::npos)
      << error_of(tensor);
  options.limits.max_tensor_bytes = Limits::kDefaultMaxTensorBytes;
  options.limits.max_arena_bytes = 1024;
  Status arena = load_and_run(expand_model({1024, 1024}), "expand_arena", options, Shape{1});
  EXPECT_NE(error_of(arena).find("needs an arena of 4 MiB, more than the arena limit 1 KiB (set by "
                                 "--max-arena-bytes"),
            std::string::npos)
      << error_of(arena);
  options.limits.max_arena_bytes = 0;
  EXPECT_TRUE(load_and_run(expand_model({1024, 1024}), "expand_ok", options, Shape{1}).is_ok());
}

// Expand to a shape that is a run-time input: the step is dynamic, and its output is checked
// when it is allocated.
TEST(LimitsTest, DataDependentOutputsAreCheckedWhenAllocated) {
  ModelBuilder b(13);
  b.input("x", onnx::TensorProto::FLOAT, {1});
  b.input("shape", onnx::TensorProto::INT64, {2});
  b.node("Expand", {"x", "shape"}, {"y"}, "dynamic_expand");
  b.output("y", onnx::TensorProto::FLOAT);
  SessionOptions options;
  options.limits.max_tensor_bytes = 1 << 20;
  auto shape = Tensor::from_vector<int64_t>(Shape{2}, {1024, 1024});
  Status st = load_and_run(b, "dynamic_expand", options, Shape{1}, {*shape});
  EXPECT_NE(error_of(st).find("node 'dynamic_expand' (Expand)"), std::string::npos) << error_of(st);
  EXPECT_NE(error_of(st).find("tensor limit 1 MiB"), std::string::npos) << error_of(st);
  auto small = Tensor::from_vector<int64_t>(Shape{2}, {16, 16});
  EXPECT_TRUE(load_and_run(b, "dynamic_expand_ok", options, Shape{1}, {*small}).is_ok());
}

// transA/transB are 0 or 1; 3 is refused at load by both kernels, with or without the passes
// (which leave such a Gemm alone instead of reading 3 as "true").
TEST(LimitsTest, GemmTransFlagsMustBeZeroOrOne) {
  const std::string model = gemm_trans_model(3).write(temp_dir("gemm_trans3"));
  for (bool optimize : {true, false}) {
    for (bool reference : {false, true}) {
      SessionOptions options;
      options.optimize = optimize;
      options.reference_kernels = reference;
      auto session = Session::load(model, options);
      ASSERT_FALSE(session.is_ok());
      EXPECT_NE(session.status().message().find(
                    "node 'dense' (Gemm): attribute transB must be 0 or 1, got 3"),
                std::string::npos)
          << session.status().message();
    }
  }
  EXPECT_TRUE(Session::load(gemm_trans_model(0).write(temp_dir("gemm_trans0"))).is_ok());
}

}  // namespace
}  // namespace recinfer
