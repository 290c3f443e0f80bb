// A GRU4Rec-shaped model as torch.onnx.export writes nn.GRU(batch_first=True) at opset 14:
// Gather(embedding) -> Transpose(1,0,2) -> GRU(linear_before_reset=1, initial_h from
// ConstantOfShape(Concat(1, batch, hidden))) -> Squeeze(axis 1) -> Transpose(1,0,2) ->
// Gather(last step, axis 1) -> Gemm(transB). Run through a Session, against a plain C++ GRU.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "recinfer/session.h"
#include "support/model_builder.h"

namespace recinfer {
namespace {

using testing::ModelBuilder;

constexpr int64_t kItems = 30, kEmb = 8, kHidden = 6, kSeq = 5;

std::vector<float> random_values(std::mt19937& rng, size_t n) {
  std::uniform_real_distribution<float> dist(-0.5f, 0.5f);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

TEST(Gru4RecModelTest, TorchExportedGruShapeRuns) {
  std::mt19937 rng(9);
  const auto emb = random_values(rng, kItems * kEmb);
  const auto w = random_values(rng, 3 * kHidden * kEmb);
  const auto r = random_values(rng, 3 * kHidden * kHidden);
  const auto b = random_values(rng, 6 * kHidden);
  const auto out_w = random_values(rng, kItems * kHidden);
  const auto out_b = random_values(rng, kItems);

  ModelBuilder m(14);
  m.input("x", onnx::TensorProto::INT64, {-1, kSeq});
  m.initializer_f32("emb", {kItems, kEmb}, emb);
  m.initializer_f32("W", {1, 3 * kHidden, kEmb}, w);
  m.initializer_f32("R", {1, 3 * kHidden, kHidden}, r);
  m.initializer_f32("B", {1, 6 * kHidden}, b);
  m.initializer_f32("out_w", {kItems, kHidden}, out_w);
  m.initializer_f32("out_b", {kItems}, out_b);
  m.initializer_i64("zero", {}, {0});
  m.initializer_i64("last", {}, {-1});
  m.initializer_i64("one", {1}, {1});
  m.initializer_i64("hidden", {1}, {kHidden});
  m.initializer_i64("axis0", {1}, {0});
  m.initializer_i64("axis1", {1}, {1});
  m.node("Gather", {"emb", "x"}, {"e"});
  m.node("Shape", {"e"}, {"shape"});
  m.node("Gather", {"shape", "zero"}, {"batch"});
  m.node("Unsqueeze", {"batch", "axis0"}, {"batch1"});
  testing::add_attr_int(m.node("Concat", {"one", "batch1", "hidden"}, {"h0_shape"}), "axis", 0);
  m.node("ConstantOfShape", {"h0_shape"}, {"h0"});
  testing::add_attr_ints(m.node("Transpose", {"e"}, {"xt"}), "perm", {1, 0, 2});
  auto& gru = m.node("GRU", {"xt", "W", "R", "B", "", "h0"}, {"y", "y_h"});
  testing::add_attr_int(gru, "hidden_size", kHidden);
  testing::add_attr_int(gru, "linear_before_reset", 1);
  m.node("Squeeze", {"y", "axis1"}, {"ys"});
  testing::add_attr_ints(m.node("Transpose", {"ys"}, {"yb"}), "perm", {1, 0, 2});
  testing::add_attr_int(m.node("Gather", {"yb", "last"}, {"final"}), "axis", 1);
  testing::add_attr_int(m.node("Gemm", {"final", "out_w", "out_b"}, {"logits"}), "transB", 1);
  m.output("logits", onnx::TensorProto::FLOAT, {-1, kItems});
  auto session = Session::load(m.write(testing::temp_dir("gru4rec")));
  ASSERT_TRUE(session.is_ok()) << session.status().to_string();

  for (const int64_t batch : {3, 1, 4}) {
    std::vector<int64_t> ids(static_cast<size_t>(batch * kSeq));
    std::uniform_int_distribution<int64_t> pick(0, kItems - 1);
    for (auto& id : ids) id = pick(rng);
    auto x = Tensor::from_vector<int64_t>(Shape{batch, kSeq}, ids);
    std::vector<Tensor> out;
    const Status st = (*session)->run({*x}, out);
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    ASSERT_EQ(out[0].shape(), (Shape{batch, kItems}));
    for (int64_t s = 0; s < batch; ++s) {
      // GRU, gates z r h, linear_before_reset: h~ = tanh(Wh·x + Wbh + r ⊙ (Rh·h + Rbh)).
      std::vector<float> h(kHidden, 0.0f);
      for (int64_t t = 0; t < kSeq; ++t) {
        const float* e = emb.data() + ids[static_cast<size_t>(s * kSeq + t)] * kEmb;
        std::vector<float> gate_x(3 * kHidden), gate_h(3 * kHidden);
        for (int64_t g = 0; g < 3 * kHidden; ++g) {
          float ax = b[static_cast<size_t>(g)], ah = b[static_cast<size_t>(3 * kHidden + g)];
          for (int64_t k = 0; k < kEmb; ++k) ax += w[static_cast<size_t>(g * kEmb + k)] * e[k];
          for (int64_t k = 0; k < kHidden; ++k) ah += r[static_cast<size_t>(g * kHidden + k)] * h[static_cast<size_t>(k)];
          gate_x[static_cast<size_t>(g)] = ax;
          gate_h[static_cast<size_t>(g)] = ah;
        }
        for (int64_t j = 0; j < kHidden; ++j) {
          const auto J = static_cast<size_t>(j);
          const float z = sigmoid(gate_x[J] + gate_h[J]);
          const float rr = sigmoid(gate_x[J + kHidden] + gate_h[J + kHidden]);
          const float cand = std::tanh(gate_x[J + 2 * kHidden] + rr * gate_h[J + 2 * kHidden]);
          h[J] = (1 - z) * cand + z * h[J];
        }
      }
      for (int64_t i = 0; i < kItems; ++i) {
        float want = out_b[static_cast<size_t>(i)];
        for (int64_t k = 0; k < kHidden; ++k) want += out_w[static_cast<size_t>(i * kHidden + k)] * h[static_cast<size_t>(k)];
        EXPECT_NEAR(out[0].data<float>()[s * kItems + i], want, 1e-5f + 1e-4f * std::abs(want)) << "row " << s << " item " << i;
      }
    }
  }
}

}  // namespace
}  // namespace recinfer
