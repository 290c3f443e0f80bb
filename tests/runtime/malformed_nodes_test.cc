// Nodes that no exporter writes but a malformed model can hold, found by fuzz/fuzz_model_load:
// each must load or run to a result or an error, with the passes on and off, never crash.
#include <gtest/gtest.h>

#include "recinfer/session.h"
#include "support/model_builder.h"

namespace recinfer {
namespace {

using testing::ModelBuilder;

// Loads with the passes on and off and runs on a (2, 3) input; the error text of the first
// failure, "" when everything ran.
std::string load_and_run(const ModelBuilder& b, const std::string& tag) {
  std::string first_error;
  for (bool optimize : {true, false}) {
    SessionOptions options;
    options.optimize = optimize;
    auto session = Session::load(b.write(testing::temp_dir(tag)), options);
    if (!session.is_ok()) {
      if (first_error.empty()) first_error = session.status().message();
      continue;
    }
    auto x = Tensor::from_vector<float>(Shape{2, 3}, {0, 1, 2, -3, 4, -5});
    std::vector<Tensor> out;
    Status st = (*session)->run({*x}, out);
    if (!st.is_ok() && first_error.empty()) first_error = st.message();
  }
  return first_error;
}

ModelBuilder with_input() {
  ModelBuilder b;
  b.input("x", onnx::TensorProto::FLOAT, {2, 3});
  return b;
}

// The kernel writes output 0 whether or not the node names it; it gets scratch storage.
TEST(MalformedNodesTest, OmittedFirstOutputStillHasStorage) {
  ModelBuilder b = with_input();
  b.node("Transpose", {"x"}, {"", "extra"});
  b.node("Relu", {"x"}, {"y"});
  b.output("y", onnx::TensorProto::FLOAT, {2, 3});
  b.output("extra", onnx::TensorProto::FLOAT);
  EXPECT_EQ(load_and_run(b, "omitted_first_output"), "");
}

// Infer describes one output the node does not have: refused before the kernel writes it.
TEST(MalformedNodesTest, NodeWithFewerOutputsThanItsOpIsAnError) {
  ModelBuilder b = with_input();
  b.node("Transpose", {"x"}, {}, "no_outputs");
  b.node("Relu", {"x"}, {"y"});
  b.output("y", onnx::TensorProto::FLOAT, {2, 3});
  const std::string error = load_and_run(b, "no_outputs");
  EXPECT_NE(error.find("the op writes 1 outputs but the node declares 0"), std::string::npos)
      << error;
}

// 6 * 2^60 float32 elements: the arena byte count would wrap and the kernel write past it.
TEST(MalformedNodesTest, OutputLargerThanATensorCanBeIsAnError) {
  ModelBuilder b = with_input();
  b.initializer_i64("shape", {3}, {int64_t{1} << 60, 1, 1});
  b.node("Expand", {"x", "shape"}, {"y"}, "huge");
  b.output("y", onnx::TensorProto::FLOAT);
  const std::string error = load_and_run(b, "huge_output");
  EXPECT_NE(error.find("larger than 65536 GiB"), std::string::npos) << error;
}

}  // namespace
}  // namespace recinfer
