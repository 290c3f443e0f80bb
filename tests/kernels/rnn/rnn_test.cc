#include <gtest/gtest.h>

#include "kernels/conv/conv_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace conv_test;  // NOLINT(google-build-using-namespace)

struct RnnCase {
  std::string name;
  ir::OpType op;
  Attrs attrs;
  int64_t seq, batch, input, hidden;
  bool bias = true;
  std::vector<int32_t> lengths = {};  // empty: no sequence_lens
  bool initial_h = false;
  bool initial_c = false;  // LSTM
  bool peepholes = false;  // LSTM
};

int gates(ir::OpType op) { return op == ir::OpType::kRNN ? 1 : op == ir::OpType::kGRU ? 3 : 4; }
int outputs(ir::OpType op) { return op == ir::OpType::kLSTM ? 3 : 2; }

std::vector<Tensor> make_inputs(const RnnCase& c, std::mt19937& rng) {
  const auto dir_attr = c.attrs.find("direction");
  const int64_t dirs = dir_attr != c.attrs.end() && dir_attr->second.s == "bidirectional" ? 2 : 1;
  const auto layout_attr = c.attrs.find("layout");
  const bool batch_major = layout_attr != c.attrs.end() && layout_attr->second.i == 1;
  const int64_t gh = gates(c.op) * c.hidden;
  std::vector<Tensor> in;
  in.push_back(random_tensor<float>(rng, batch_major ? Shape{c.batch, c.seq, c.input} : Shape{c.seq, c.batch, c.input}));
  in.push_back(random_tensor<float>(rng, {dirs, gh, c.input}));
  in.push_back(random_tensor<float>(rng, {dirs, gh, c.hidden}));
  in.push_back(c.bias ? random_tensor<float>(rng, {dirs, 2 * gh}) : Tensor());
  in.push_back(c.lengths.empty() ? Tensor() : make_tensor<int32_t>({c.batch}, c.lengths));
  const Shape state = batch_major ? Shape{c.batch, dirs, c.hidden} : Shape{dirs, c.batch, c.hidden};
  in.push_back(c.initial_h ? random_tensor<float>(rng, state) : Tensor());
  if (c.op == ir::OpType::kLSTM) {
    in.push_back(c.initial_c ? random_tensor<float>(rng, state) : Tensor());
    in.push_back(c.peepholes ? random_tensor<float>(rng, {dirs, 3 * c.hidden}) : Tensor());
  }
  while (!in.empty() && !in.back().defined()) in.pop_back();
  return in;
}

Attrs with(Attrs attrs, int64_t hidden) {
  attrs["hidden_size"] = attr_int(hidden);
  return attrs;
}

ir::Attribute strings(std::vector<std::string> v) {
  ir::Attribute a;
  a.kind = ir::Attribute::Kind::kStrings;
  a.strings = std::move(v);
  return a;
}

TEST(RnnTest, MatchesReference) {
  const auto bi = attr_string("bidirectional");
  const auto rev = attr_string("reverse");
  const std::vector<RnnCase> cases = {
      {"rnn forward", ir::OpType::kRNN, {}, 5, 3, 4, 6},
      {"rnn reverse no bias", ir::OpType::kRNN, {{"direction", rev}}, 4, 2, 3, 5, false},
      {"rnn bidirectional lens", ir::OpType::kRNN, {{"direction", bi}}, 6, 4, 3, 5, true, {6, 2, 0, 4}, true},
      {"rnn relu clip", ir::OpType::kRNN, {{"activations", strings({"Relu"})}, {"clip", attr_float(0.5f)}}, 4, 3, 5, 4},
      {"rnn affine", ir::OpType::kRNN,
       {{"activations", strings({"Affine"})}, {"activation_alpha", attr_floats({0.5f})}, {"activation_beta", attr_floats({0.1f})}},
       3, 2, 3, 4},
      {"rnn layout 1", ir::OpType::kRNN, {{"layout", attr_int(1)}, {"direction", bi}}, 5, 3, 2, 4, true, {5, 3, 1}, true},
      {"gru defaults", ir::OpType::kGRU, {}, 5, 3, 4, 6},
      {"gru linear_before_reset", ir::OpType::kGRU, {{"linear_before_reset", attr_int(1)}}, 7, 5, 8, 6, true, {}, true},
      {"gru bidirectional lens", ir::OpType::kGRU, {{"direction", bi}}, 6, 4, 3, 5, true, {1, 6, 3, 0}, true},
      {"gru reverse lbr lens layout 1", ir::OpType::kGRU,
       {{"direction", rev}, {"linear_before_reset", attr_int(1)}, {"layout", attr_int(1)}}, 5, 3, 4, 3, true, {2, 5, 4}, true},
      {"gru activations", ir::OpType::kGRU,
       {{"activations", strings({"HardSigmoid", "LeakyRelu"})}, {"activation_alpha", attr_floats({0.3f, 0.05f})},
        {"activation_beta", attr_floats({0.4f})}},
       4, 2, 3, 5},
      {"gru clip no bias", ir::OpType::kGRU, {{"clip", attr_float(0.7f)}}, 4, 3, 3, 4, false},
      {"gru bidirectional per-direction activations", ir::OpType::kGRU,
       {{"direction", bi}, {"activations", strings({"Sigmoid", "Tanh", "Softsign", "Softplus"})}}, 3, 2, 3, 4},
      {"lstm defaults", ir::OpType::kLSTM, {}, 5, 3, 4, 6},
      {"lstm peepholes states", ir::OpType::kLSTM, {}, 4, 3, 5, 4, true, {}, true, true, true},
      {"lstm bidirectional lens", ir::OpType::kLSTM, {{"direction", bi}}, 5, 4, 3, 4, true, {5, 1, 0, 3}, true, true, true},
      {"lstm input_forget clip", ir::OpType::kLSTM, {{"input_forget", attr_int(1)}, {"clip", attr_float(0.9f)}}, 4, 2, 3, 5, true,
       {}, false, false, true},
      {"lstm activations", ir::OpType::kLSTM,
       {{"activations", strings({"Sigmoid", "ScaledTanh", "Elu"})}, {"activation_alpha", attr_floats({0.8f, 1.2f})},
        {"activation_beta", attr_floats({0.9f})}},
       3, 2, 3, 4},
      {"lstm layout 1 reverse", ir::OpType::kLSTM, {{"layout", attr_int(1)}, {"direction", rev}}, 4, 3, 2, 5, true, {4, 2, 3},
       true, true},
      {"lstm thresholded", ir::OpType::kLSTM, {{"activations", strings({"Sigmoid", "ThresholdedRelu", "Tanh"})}}, 3, 2, 3, 4},
      {"gru large batch", ir::OpType::kGRU, {{"linear_before_reset", attr_int(1)}}, 3, 40, 16, 24},
  };
  std::mt19937 rng(7);
  for (const RnnCase& c : cases) {
    const std::vector<Tensor> inputs = make_inputs(c, rng);
    const Attrs attrs = with(c.attrs, c.hidden);
    expect_matches_reference<float>(c.op, 14, attrs, inputs, outputs(c.op), 1e-5, 1e-4, c.name);
    // B and the weights computed at run time: the unpacked path.
    auto fresh = run_without_constants(c.op, 14, attrs, inputs, outputs(c.op));
    auto ref = run_op(c.op, 14, attrs, inputs, outputs(c.op), KernelVariant::kReference);
    ASSERT_TRUE(fresh.is_ok()) << c.name << ": " << fresh.status().to_string();
    ASSERT_TRUE(ref.is_ok());
    for (int i = 0; i < outputs(c.op); ++i) expect_close<float>((*fresh)[static_cast<size_t>(i)], (*ref)[static_cast<size_t>(i)], 1e-5, 1e-4);
  }
}

TEST(RnnTest, HandCheckedRnnStep) {
  // One step, hidden 1: h = tanh(2·x + 0.5·h0 + 0.25 + 0.25).
  const Tensor x = make_tensor<float>({1, 1, 1}, {0.5f});
  const Tensor w = make_tensor<float>({1, 1, 1}, {2});
  const Tensor r = make_tensor<float>({1, 1, 1}, {0.5f});
  const Tensor b = make_tensor<float>({1, 2}, {0.25f, 0.25f});
  const Tensor h0 = make_tensor<float>({1, 1, 1}, {1});
  auto out = run_op(ir::OpType::kRNN, 14, {{"hidden_size", attr_int(1)}}, {x, w, r, b, Tensor(), h0}, 2);
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_NEAR((*out)[0].data<float>()[0], std::tanh(2.0f), 1e-6);
  EXPECT_NEAR((*out)[1].data<float>()[0], std::tanh(2.0f), 1e-6);
}

TEST(RnnTest, Errors) {
  std::mt19937 rng(1);
  const Tensor x = random_tensor<float>(rng, {3, 2, 4});
  const Tensor w = random_tensor<float>(rng, {1, 15, 4});
  const Tensor r = random_tensor<float>(rng, {1, 15, 5});
  EXPECT_TRUE(run_op(ir::OpType::kGRU, 14, {{"hidden_size", attr_int(5)}}, {x, w, r}, 2).is_ok());
  EXPECT_FALSE(run_op(ir::OpType::kGRU, 14, {{"hidden_size", attr_int(4)}}, {x, w, r}, 2).is_ok());
  EXPECT_FALSE(run_op(ir::OpType::kGRU, 14, {{"direction", attr_string("sideways")}}, {x, w, r}, 2).is_ok());
  auto act = run_op(ir::OpType::kGRU, 14, {{"activations", strings({"Sigmoid", "Gelu"})}}, {x, w, r}, 2);
  ASSERT_FALSE(act.is_ok());
  EXPECT_NE(act.status().to_string().find("Gelu"), std::string::npos);
  auto lens = run_op(ir::OpType::kGRU, 14, {}, {x, w, r, Tensor(), make_tensor<int32_t>({2}, {3, 4})}, 2);
  ASSERT_FALSE(lens.is_ok());
  EXPECT_NE(lens.status().to_string().find("sequence_lens[1] = 4"), std::string::npos) << lens.status().to_string();
  EXPECT_FALSE(run_op(ir::OpType::kGRU, 14, {}, {x, w, r, random_tensor<float>(rng, {1, 20})}, 2).is_ok());
}

TEST(RnnTest, SteadyStateComputeDoesNotAllocate) {
  std::mt19937 rng(2);
  const RnnCase gru{"gru", ir::OpType::kGRU, {}, 5, 4, 6, 8, true, {5, 3, 4, 1}, true};
  EXPECT_EQ(steady_state_allocations(ir::OpType::kGRU, 14, with({}, 8), make_inputs(gru, rng), 2), 0);
  const RnnCase lstm{"lstm", ir::OpType::kLSTM, {{"direction", attr_string("bidirectional")}}, 4, 3, 5, 6, true, {}, true, true, true};
  EXPECT_EQ(steady_state_allocations(ir::OpType::kLSTM, 14, with(lstm.attrs, 6), make_inputs(lstm, rng), 3), 0);
}

}  // namespace
}  // namespace recinfer::kernels
