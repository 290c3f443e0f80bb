// Random ops through a Session: an op with no inputs (RandomNormal) would otherwise be folded to
// a constant at pass or plan time, so one draw would stand for every run. Unseeded: each run
// draws anew; seeded: every run of the session gives the same values.
#include <gtest/gtest.h>

#include "recinfer/session.h"
#include "support/model_builder.h"

namespace recinfer {
namespace {

using testing::ModelBuilder;

std::string random_model(bool seeded, const std::string& tag) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {4});
  onnx::NodeProto& node = b.node("RandomNormal", {}, {"noise"}, "noise0");
  testing::add_attr_ints(node, "shape", {4});
  if (seeded) {
    onnx::AttributeProto* seed = node.add_attribute();
    seed->set_name("seed");
    seed->set_type(onnx::AttributeProto::FLOAT);
    seed->set_f(7.0f);
  }
  b.node("Add", {"x", "noise"}, {"y"});
  b.output("y", onnx::TensorProto::FLOAT);
  return b.write(testing::temp_dir(tag));
}

std::vector<float> run_once(Session& session) {
  Tensor x = Tensor::from_vector<float>(Shape{4}, {0, 0, 0, 0}).value();
  std::vector<Tensor> out;
  EXPECT_TRUE(session.run({x}, out).is_ok());
  return std::vector<float>(out[0].data<float>(), out[0].data<float>() + 4);
}

TEST(RandomSessionTest, UnseededDrawsAnewEachRunSeededRepeats) {
  for (bool optimize : {true, false}) {
    SessionOptions options;
    options.optimize = optimize;
    auto unseeded = Session::load(random_model(false, "random_unseeded"), options);
    ASSERT_TRUE(unseeded.is_ok()) << unseeded.status().to_string();
    EXPECT_NE(run_once(**unseeded), run_once(**unseeded)) << "optimize=" << optimize;
    auto seeded = Session::load(random_model(true, "random_seeded"), options);
    ASSERT_TRUE(seeded.is_ok()) << seeded.status().to_string();
    EXPECT_EQ(run_once(**seeded), run_once(**seeded)) << "optimize=" << optimize;
  }
}

}  // namespace
}  // namespace recinfer
