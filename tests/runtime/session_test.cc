#include "recinfer/session.h"

#include <gtest/gtest.h>

#include "support/allocation_counter.h"
#include "support/model_builder.h"
#include "tooling/test_data.h"

namespace recinfer {
namespace {

using testing::ModelBuilder;

const std::string kZoo = std::string(RECINFER_SOURCE_DIR) + "/models/zoo/";

TEST(SessionTest, RunsASmallGraphAndChecksInputs) {
  ModelBuilder b;
  b.input("x", onnx::TensorProto::FLOAT, {-1, 3});
  b.initializer_f32("bias", {3}, {1.0f, -2.0f, 0.5f});
  b.node("Add", {"x", "bias"}, {"sum"});
  b.node("Relu", {"sum"}, {"y"});
  b.output("y", onnx::TensorProto::FLOAT, {-1, 3});
  auto session = Session::load(b.write(testing::temp_dir("session_small")));
  ASSERT_TRUE(session.is_ok()) << session.status().to_string();

  auto x = Tensor::from_vector<float>(Shape{2, 3}, {0, 1, 2, -3, 4, -5});
  std::vector<Tensor> out;
  ASSERT_TRUE((*session)->run({*x}, out).is_ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].shape(), (Shape{2, 3}));
  const float expected[] = {1, 0, 2.5f, 0, 2, 0};
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(out[0].data<float>()[i], expected[i]);

  auto wrong_dim = Tensor::from_vector<float>(Shape{2, 4}, std::vector<float>(8, 0.f));
  Status st = (*session)->run({*wrong_dim}, out);
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("input 'x' dimension 1 must be 3, got 4"), std::string::npos) << st.message();
  auto wrong_type = Tensor::from_vector<int64_t>(Shape{2, 3}, std::vector<int64_t>(6, 0));
  st = (*session)->run({*wrong_type}, out);
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("must be float32, got int64"), std::string::npos) << st.message();
}

// A view of a graph input (here Reshape, then Squeeze of that) is rebound to each request's
// tensor: no step, no copy; the values are read through it, and a new request is seen.
TEST(SessionTest, ViewsOfInputsNeedNoStep) {
  ModelBuilder b;
  b.input("x", onnx::TensorProto::FLOAT, {2, 3});
  b.output("y", onnx::TensorProto::FLOAT, {3, 2});
  b.initializer_i64("shape", {3}, {3, 1, 2});
  b.initializer_i64("axis", {1}, {1});
  b.initializer_f32("one", {1}, {1.0f});
  b.node("Reshape", {"x", "shape"}, {"r"});
  b.node("Squeeze", {"r", "axis"}, {"s"});
  b.node("Add", {"s", "one"}, {"y"});
  auto session = Session::load(b.write(testing::temp_dir("input_views")));
  ASSERT_TRUE(session.is_ok()) << session.status().to_string();
  std::vector<Tensor> out;
  for (float base : {0.0f, 10.0f}) {
    auto x = Tensor::from_vector<float>(Shape{2, 3}, {base, base + 1, base + 2, base + 3, base + 4, base + 5});
    ASSERT_TRUE((*session)->run({*x}, out).is_ok());
    ASSERT_EQ(out[0].shape(), (Shape{3, 2}));
    for (int i = 0; i < 6; ++i) EXPECT_EQ(out[0].data<float>()[i], base + static_cast<float>(i) + 1.0f);
  }
  EXPECT_EQ((*session)->stats().static_steps, 1);  // only the Add runs
}

TEST(SessionTest, SteadyStateInferenceDoesNotAllocate) {
  // DeepFM has static shapes once the batch is bound: Gather, Gemm, ReduceSum, Concat, ...
  const std::string dir = kZoo + "deepfm_opset14";
  auto session = Session::load(dir + "/model.onnx");
  ASSERT_TRUE(session.is_ok()) << session.status().to_string();
  auto inputs = tooling::read_tensor_dir(dir + "/test_data_set_0", "input");
  ASSERT_TRUE(inputs.is_ok()) << inputs.status().to_string();
  std::vector<Tensor> out;
  ASSERT_TRUE((*session)->run(*inputs, out).is_ok());  // compiles the plan
  ASSERT_EQ((*session)->stats().dynamic_steps, 0);
  testing::start_counting_allocations();
  for (int i = 0; i < 20; ++i) {
    Status st = (*session)->run(*inputs, out);
    if (!st.is_ok()) {
      testing::stop_counting_allocations();
      FAIL() << st.to_string();
    }
  }
  EXPECT_EQ(testing::stop_counting_allocations(), 0);
}

TEST(SessionTest, NewBatchSizeCompilesAnotherPlanAndOldOneIsReused) {
  ModelBuilder b;
  b.input("x", onnx::TensorProto::FLOAT, {-1, 2});
  b.node("Relu", {"x"}, {"y"});
  b.output("y", onnx::TensorProto::FLOAT, {-1, 2});
  auto session = Session::load(b.write(testing::temp_dir("session_batches")));
  ASSERT_TRUE(session.is_ok());
  std::vector<Tensor> out;
  for (int64_t batch : {1, 4, 1, 4}) {
    auto x = Tensor::allocate(DType::kFloat32, Shape{batch, 2});
    ASSERT_TRUE((*session)->run({*x}, out).is_ok());
    EXPECT_EQ(out[0].shape()[0], batch);
  }
  EXPECT_EQ((*session)->stats().plans, 2u);
}

}  // namespace
}  // namespace recinfer
