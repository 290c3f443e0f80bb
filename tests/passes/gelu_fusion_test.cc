// gelu-fusion before/after: GELU written the ways exporters and people write it (torch 1.13's
// nn.GELU export at opsets 11-17 in its exact node order, the tanh approximation, hand-written
// orders) becomes one ai.recinfer Gelu with the same outputs; near misses stay; the fused model
// is written back and reloads.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "ir/verifier.h"
#include "onnx/model_writer.h"
#include "support/model_builder.h"
#include "support/pass_test_util.h"

namespace recinfer::passes {
namespace {

using recinfer::testing::ModelBuilder;
using testing::find_op;
using testing::find_report;
using testing::load_graph;
using testing::op_counts;
using testing::run_only;

const std::vector<std::string> kPasses = {"constant-folding", "gelu-fusion",
                                          "dead-code-elimination"};
const std::vector<float> kX = {-3.0f, -1.0f, -0.25f, 0.0f, 0.5f, 2.0f};

ModelBuilder gelu_model() {
  ModelBuilder b(13);
  b.input("x", onnx::TensorProto::FLOAT, {2, 3});
  b.output("y", onnx::TensorProto::FLOAT);
  return b;
}

// Scalars of rank 0, as torch's Constant nodes are.
void scalar(ModelBuilder& b, const std::string& name, float value) {
  b.initializer_f32(name, {}, {value});
}

std::vector<float> expected(bool tanh) {
  std::vector<float> out;
  for (float v : kX) {
    const double x = v;
    const double phi = tanh ? 0.5 * (1.0 + std::tanh(std::sqrt(2.0 / std::numbers::pi) *
                                                     (x + 0.044715 * x * x * x)))
                            : 0.5 * (1.0 + std::erf(x / std::sqrt(2.0)));
    out.push_back(static_cast<float>(x * phi));
  }
  return out;
}

// Fuses, checks one Gelu of x remains with the given approximation, and compares outputs with
// the passes on and off against the definition.
void expect_fused(ModelBuilder& b, const std::string& tag, const std::string& approximate) {
  const std::string path = b.write(recinfer::testing::temp_dir(tag));
  auto g = load_graph(path);
  auto report = run_only(*g, kPasses);
  EXPECT_EQ(find_report(report, "gelu-fusion")->matches, 1) << tag;
  auto counts = op_counts(*g);
  EXPECT_EQ(counts.size(), 1u) << tag;  // only the Gelu is left
  const ir::Node* gelu = find_op(*g, ir::OpType::kFusedGelu);
  ASSERT_NE(gelu, nullptr) << tag;
  EXPECT_EQ(g->value(gelu->inputs[0]).name, "x");
  EXPECT_EQ(gelu->attr_string("approximate", ""), approximate);
  EXPECT_TRUE(ir::verify_graph(*g).is_ok());
  auto x = Tensor::from_vector<float>(Shape{2, 3}, kX);
  ASSERT_TRUE(x.is_ok());
  testing::expect_outputs_both_ways(path, {*x}, expected(approximate == "tanh"), Shape{2, 3},
                                    1e-6f);
}

void expect_not_fused(ModelBuilder& b, const std::string& tag) {
  auto g = load_graph(b.write(recinfer::testing::temp_dir(tag)));
  auto report = run_only(*g, kPasses);
  EXPECT_EQ(find_report(report, "gelu-fusion")->matches, 0) << tag;
  EXPECT_EQ(op_counts(*g)["Gelu"], 0) << tag;
}

// torch.onnx.export(nn.GELU()) at opsets 11, 13 and 17 (torch 1.13): Div(x, 1.4142135) -> Erf
// -> Add(erf, 1) -> Mul(x, add) -> Mul(mul, 0.5).
TEST(GeluFusion, TorchNnGeluExport) {
  ModelBuilder b = gelu_model();
  scalar(b, "c0", 1.4142135381698608f);
  scalar(b, "c1", 1.0f);
  scalar(b, "c2", 0.5f);
  b.node("Div", {"x", "c0"}, {"div"});
  b.node("Erf", {"div"}, {"erf"});
  b.node("Add", {"erf", "c1"}, {"add"});
  b.node("Mul", {"x", "add"}, {"mul"});
  b.node("Mul", {"mul", "c2"}, {"y"});
  expect_fused(b, "gelu_torch", "none");
}

// torch nn.GELU(approximate='tanh') export: x*x, x*(x*x), c*x^3, x + ..., c*(...), Tanh,
// 1 + tanh, x * (...), 0.5 * (...).
TEST(GeluFusion, TorchTanhApproximationExport) {
  ModelBuilder b = gelu_model();
  scalar(b, "c0", 0.044714998453855515f);
  scalar(b, "c1", 0.7978845834732056f);
  scalar(b, "c2", 1.0f);
  scalar(b, "c3", 0.5f);
  b.node("Mul", {"x", "x"}, {"sq"});
  b.node("Mul", {"x", "sq"}, {"cube"});
  b.node("Mul", {"c0", "cube"}, {"term"});
  b.node("Add", {"x", "term"}, {"inner"});
  b.node("Mul", {"c1", "inner"}, {"arg"});
  b.node("Tanh", {"arg"}, {"t"});
  b.node("Add", {"c2", "t"}, {"a"});
  b.node("Mul", {"x", "a"}, {"m"});
  b.node("Mul", {"c3", "m"}, {"y"});
  expect_fused(b, "gelu_torch_tanh", "tanh");
}

// Hand-written (BERT-style) x * 0.5 * (1.0 + erf(x * (1/sqrt2))): the 0.5 multiplies x first.
TEST(GeluFusion, HalfTimesXFirstAndMulByInverseSqrt2) {
  ModelBuilder b = gelu_model();
  scalar(b, "half", 0.5f);
  scalar(b, "inv_sqrt2", 0.70710678f);
  scalar(b, "one", 1.0f);
  b.node("Mul", {"x", "half"}, {"h"});
  b.node("Mul", {"inv_sqrt2", "x"}, {"s"});
  b.node("Erf", {"s"}, {"e"});
  b.node("Add", {"one", "e"}, {"a"});
  b.node("Mul", {"h", "a"}, {"y"});
  expect_fused(b, "gelu_half_first", "none");
}

// x * (1 + erf(x / sqrt2)) / 2, and the tanh form with Pow(x, 3) (HF NewGELU).
TEST(GeluFusion, DivisionByTwoAndPowCube) {
  {
    ModelBuilder b = gelu_model();
    scalar(b, "sqrt2", 1.41421356f);
    scalar(b, "one", 1.0f);
    scalar(b, "two", 2.0f);
    b.node("Div", {"x", "sqrt2"}, {"d"});
    b.node("Erf", {"d"}, {"e"});
    b.node("Add", {"e", "one"}, {"a"});
    b.node("Mul", {"a", "x"}, {"m"});
    b.node("Div", {"m", "two"}, {"y"});
    expect_fused(b, "gelu_div_two", "none");
  }
  {
    ModelBuilder b = gelu_model();
    scalar(b, "three", 3.0f);
    scalar(b, "k", 0.044715f);
    scalar(b, "s", 0.79788456f);
    scalar(b, "one", 1.0f);
    scalar(b, "half", 0.5f);
    b.node("Pow", {"x", "three"}, {"cube"});
    b.node("Mul", {"cube", "k"}, {"term"});
    b.node("Add", {"term", "x"}, {"inner"});
    b.node("Mul", {"inner", "s"}, {"arg"});
    b.node("Tanh", {"arg"}, {"t"});
    b.node("Add", {"t", "one"}, {"a"});
    b.node("Mul", {"half", "x"}, {"h"});
    b.node("Mul", {"h", "a"}, {"y"});
    expect_fused(b, "gelu_pow", "tanh");
  }
}

// Two GELUs of one x sharing x * 0.5 (torch's export of a module computing both forms): both
// fuse, the shared Mul stays only while it has readers.
TEST(GeluFusion, SharedHalfTimesX) {
  ModelBuilder b = gelu_model();
  scalar(b, "half", 0.5f);
  scalar(b, "sqrt2", 1.4142135f);
  scalar(b, "one", 1.0f);
  b.node("Mul", {"x", "half"}, {"h"});
  for (const std::string k : {"1", "2"}) {
    b.node("Div", {"x", "sqrt2"}, {"d" + k});
    b.node("Erf", {"d" + k}, {"e" + k});
    b.node("Add", {"e" + k, "one"}, {"a" + k});
    b.node("Mul", {"h", "a" + k}, {"g" + k});
  }
  b.node("Sub", {"g1", "g2"}, {"y"});
  auto g = load_graph(b.write(recinfer::testing::temp_dir("gelu_shared_half")));
  auto report = run_only(*g, kPasses);
  EXPECT_EQ(find_report(report, "gelu-fusion")->matches, 2);
  auto counts = op_counts(*g);
  EXPECT_EQ(counts["Gelu"], 2);
  EXPECT_EQ(counts["Mul"], 0);  // the shared x * 0.5 lost its last readers
  EXPECT_EQ(counts["Erf"], 0);
}

// Near misses: a wrong constant, a different scale, an intermediate read elsewhere, a
// different value inside the Erf than outside.
TEST(GeluFusion, NearMissesStay) {
  auto erf_gelu = [](float divisor, float half, bool erf_is_output, bool other_x) {
    ModelBuilder b = gelu_model();
    if (other_x) b.input("z", onnx::TensorProto::FLOAT, {2, 3});
    if (erf_is_output) b.output("e", onnx::TensorProto::FLOAT);
    scalar(b, "c0", divisor);
    scalar(b, "c1", 1.0f);
    scalar(b, "c2", half);
    b.node("Div", {other_x ? "z" : "x", "c0"}, {"d"});
    b.node("Erf", {"d"}, {"e"});
    b.node("Add", {"e", "c1"}, {"a"});
    b.node("Mul", {"x", "a"}, {"m"});
    b.node("Mul", {"m", "c2"}, {"y"});
    return b;
  };
  ModelBuilder wrong_divisor = erf_gelu(2.0f, 0.5f, false, false);
  expect_not_fused(wrong_divisor, "gelu_wrong_divisor");
  ModelBuilder wrong_scale = erf_gelu(1.4142135f, 0.25f, false, false);
  expect_not_fused(wrong_scale, "gelu_wrong_scale");
  ModelBuilder shared = erf_gelu(1.4142135f, 0.5f, true, false);
  expect_not_fused(shared, "gelu_erf_shared");
  ModelBuilder other = erf_gelu(1.4142135f, 0.5f, false, true);
  expect_not_fused(other, "gelu_other_x");
}

// A scalar constant of higher rank than x would broadcast x up: not a GELU of x's shape.
TEST(GeluFusion, BroadcastingConstantStays) {
  ModelBuilder b(13);
  b.input("x", onnx::TensorProto::FLOAT, {3});
  b.output("y", onnx::TensorProto::FLOAT);
  scalar(b, "c0", 1.4142135f);
  scalar(b, "c1", 1.0f);
  b.initializer_f32("c2", {1, 1}, {0.5f});
  b.node("Div", {"x", "c0"}, {"d"});
  b.node("Erf", {"d"}, {"e"});
  b.node("Add", {"e", "c1"}, {"a"});
  b.node("Mul", {"x", "a"}, {"m"});
  b.node("Mul", {"m", "c2"}, {"y"});
  expect_not_fused(b, "gelu_broadcast");
}

// `recinfer optimize` writes the fused model: Gelu in the ai.recinfer domain, approximate kept.
TEST(GeluFusion, FusedModelIsWrittenAndReloads) {
  ModelBuilder b = gelu_model();
  scalar(b, "c0", 1.4142135381698608f);
  scalar(b, "c1", 1.0f);
  scalar(b, "c2", 0.5f);
  b.node("Div", {"x", "c0"}, {"div"});
  b.node("Erf", {"div"}, {"erf"});
  b.node("Add", {"erf", "c1"}, {"add"});
  b.node("Mul", {"x", "add"}, {"mul"});
  b.node("Mul", {"mul", "c2"}, {"y"});
  const std::string dir = recinfer::testing::temp_dir("gelu_write");
  auto g = load_graph(b.write(dir));
  run_only(*g, kPasses);
  const std::string out = dir + "/fused.onnx";
  ASSERT_TRUE(onnx_io::save_model(*g, out).is_ok());
  auto reloaded = load_graph(out);
  const ir::Node* gelu = find_op(*reloaded, ir::OpType::kFusedGelu);
  ASSERT_NE(gelu, nullptr);
  EXPECT_EQ(gelu->attr_string("approximate", ""), "none");
  EXPECT_EQ(op_counts(*reloaded).size(), 1u);
}

}  // namespace
}  // namespace recinfer::passes
