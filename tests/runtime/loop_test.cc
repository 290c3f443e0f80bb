#include <gtest/gtest.h>

#include "recinfer/session.h"
#include "support/model_builder.h"

namespace recinfer {
namespace {

using testing::ModelBuilder;

// Loop with a trip count, one carried value, one scan output and a captured outer value.
ModelBuilder loop_model(bool with_trip_count) {
  ModelBuilder b(13);
  b.input("x0", onnx::TensorProto::FLOAT, {2});
  b.input("n", onnx::TensorProto::INT64, {});
  b.initializer_f32("two", {}, {2.0f});
  auto* cond = b.graph().add_initializer();
  cond->set_name("keep_going");
  cond->set_data_type(onnx::TensorProto::BOOL);
  cond->set_raw_data(std::string(1, '\1'));

  onnx::GraphProto body;
  body.set_name("body");
  auto add_in = [&](const std::string& name, int type, bool scalar) {
    auto* in = body.add_input();
    in->set_name(name);
    auto* tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(type);
    if (scalar) tt->mutable_shape();
  };
  add_in("i", onnx::TensorProto::INT64, true);
  add_in("cond_in", onnx::TensorProto::BOOL, true);
  add_in("x", onnx::TensorProto::FLOAT, false);
  auto node = [&](const std::string& op, std::vector<std::string> ins, std::string out) {
    auto* n = body.add_node();
    n->set_op_type(op);
    n->set_name("body_" + out);
    for (auto& i : ins) n->add_input(i);
    n->add_output(out);
    return n;
  };
  testing::add_attr_int(*node("Cast", {"i"}, "i_float"), "to", onnx::TensorProto::FLOAT);
  node("Add", {"x", "i_float"}, "y");
  node("Mul", {"y", "two"}, "scan");  // "two" is captured from the outer graph
  if (with_trip_count) {
    node("Identity", {"cond_in"}, "cond_out");
  } else {
    node("Less", {"i", "n"}, "cond_out");  // stop after iteration n: n + 1 iterations
  }
  for (const char* out : {"cond_out", "y", "scan"}) body.add_output()->set_name(out);

  auto& loop = b.node("Loop", {with_trip_count ? "n" : "", "keep_going", "x0"}, {"x_final", "scans"}, "loop");
  auto* attr = loop.add_attribute();
  attr->set_name("body");
  attr->set_type(onnx::AttributeProto::GRAPH);
  *attr->mutable_g() = body;
  b.output("x_final", onnx::TensorProto::FLOAT);
  b.output("scans", onnx::TensorProto::FLOAT);
  return b;
}

void run_loop(bool with_trip_count, int64_t n, const std::vector<float>& final_expected,
              const std::vector<float>& scans_expected) {
  auto session = Session::load(loop_model(with_trip_count).write(
      testing::temp_dir(with_trip_count ? "loop_m" : "loop_cond")));
  ASSERT_TRUE(session.is_ok()) << session.status().to_string();
  auto x0 = Tensor::from_vector<float>(Shape{2}, {1.0f, 2.0f});
  auto count = Tensor::from_vector<int64_t>(Shape{}, {n});
  std::vector<Tensor> out;
  Status st = (*session)->run({*x0, *count}, out);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  ASSERT_EQ(out.size(), 2u);
  ASSERT_EQ(out[0].numel(), 2);
  for (int i = 0; i < 2; ++i) EXPECT_FLOAT_EQ(out[0].data<float>()[i], final_expected[static_cast<size_t>(i)]);
  ASSERT_EQ(out[1].numel(), static_cast<int64_t>(scans_expected.size()));
  for (size_t i = 0; i < scans_expected.size(); ++i) EXPECT_FLOAT_EQ(out[1].data<float>()[i], scans_expected[i]);
}

TEST(LoopTest, TripCountCarriedValueScanOutputAndCapture) {
  // y_k = y_{k-1} + k: [1,2] -> [1,2] -> [2,3] -> [4,5]; scans are 2*y_k.
  run_loop(true, 3, {4, 5}, {2, 4, 4, 6, 8, 10});
}

TEST(LoopTest, ConditionComputedByTheBody) {
  // Without M, iterations continue while i < n after each step: i = 0, 1 run for n = 1.
  run_loop(false, 1, {2, 3}, {2, 4, 4, 6});
}

TEST(LoopTest, ZeroIterationsGiveInitialValueAndEmptyScan) {
  run_loop(true, 0, {1, 2}, {});
}

}  // namespace
}  // namespace recinfer
