// Windows, DFT, STFT and MelWeightMatrix on small inputs with closed-form results (in the
// comments); MelWeightMatrix's expectation is the ONNX test generator's numpy code run on
// (3 bins, dft_length 16, 8 kHz, 0..4000 Hz).
#include <gtest/gtest.h>

#include "kernels/op_runner.h"

namespace recinfer::kernels {
namespace {

template <typename T>
Tensor make(const Shape& shape, const std::vector<T>& v) {
  return Tensor::from_vector<T>(shape, v).value();
}

void expect_near(const Tensor& t, const std::vector<float>& want) {
  ASSERT_EQ(t.numel(), static_cast<int64_t>(want.size()));
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(t.data<float>()[i], want[i], 1e-5) << i;
}

Tensor run1(ir::OpType op, std::map<std::string, ir::Attribute, std::less<>> attrs,
            const std::vector<Tensor>& in) {
  auto out = run_op(op, 17, std::move(attrs), in, 1);
  EXPECT_TRUE(out.is_ok()) << out.status().to_string();
  return out.is_ok() ? (*out)[0] : Tensor();
}

TEST(WindowTest, HannHammingBlackman) {
  const Tensor four = make<int64_t>(Shape{}, {4});
  expect_near(run1(ir::OpType::kHannWindow, {}, {four}), {0, 0.5f, 1, 0.5f});  // 0.5 - 0.5cos(pi n/2)
  expect_near(run1(ir::OpType::kHannWindow, {{"periodic", attr_int(0)}}, {four}), {0, 0.75f, 0.75f, 0});
  expect_near(run1(ir::OpType::kHammingWindow, {}, {make<int32_t>(Shape{}, {2})}), {4.0f / 46, 1});
  expect_near(run1(ir::OpType::kBlackmanWindow, {}, {four}), {0, 0.34f, 1, 0.34f});
  auto doubles = run_op(ir::OpType::kHannWindow, 17, {{"output_datatype", attr_int(11)}}, {four}, 1);
  ASSERT_TRUE(doubles.is_ok());
  EXPECT_EQ((*doubles)[0].dtype(), DType::kFloat64);
}

TEST(DftTest, ForwardOnesidedInverseAndLength) {
  const Tensor x = make<float>(Shape{1, 4, 1}, {1, 2, 3, 4});
  // X = [10, -2+2i, -2, -2-2i]
  const Tensor spectrum = run1(ir::OpType::kDFT, {}, {x});
  expect_near(spectrum, {10, 0, -2, 2, -2, 0, -2, -2});
  expect_near(run1(ir::OpType::kDFT, {{"onesided", attr_int(1)}}, {x}), {10, 0, -2, 2, -2, 0});
  expect_near(run1(ir::OpType::kDFT, {{"inverse", attr_int(1)}}, {spectrum}), {1, 0, 2, 0, 3, 0, 4, 0});
  // dft_length 2 truncates to [1, 2]: [3, -1].
  expect_near(run1(ir::OpType::kDFT, {}, {x, make<int64_t>(Shape{}, {2})}), {3, 0, -1, 0});
}

TEST(StftTest, FramesAndWindow) {
  const Tensor signal = make<float>(Shape{1, 4, 1}, {1, 2, 3, 4});
  const Tensor step = make<int64_t>(Shape{}, {2});
  // Frames [1, 2] and [3, 4]: DFTs [3, -1] and [7, -1] (onesided keeps both bins of 2).
  const Tensor plain = run1(ir::OpType::kSTFT, {}, {signal, step, Tensor(), make<int64_t>(Shape{}, {2})});
  EXPECT_EQ(plain.shape(), (Shape{1, 2, 2, 2}));
  expect_near(plain, {3, 0, -1, 0, 7, 0, -1, 0});
  // Window [1, 0] keeps each frame's first sample: flat spectra [1, 1] and [3, 3].
  expect_near(run1(ir::OpType::kSTFT, {}, {signal, step, make<float>(Shape{2}, {1, 0})}),
              {1, 0, 1, 0, 3, 0, 3, 0});
}

TEST(MelWeightMatrixTest, MatchesOnnxReferenceCode) {
  const Tensor out = run1(ir::OpType::kMelWeightMatrix, {},
                          {make<int32_t>(Shape{}, {3}), make<int32_t>(Shape{}, {16}),
                           make<int32_t>(Shape{}, {8000}), make<float>(Shape{}, {0}),
                           make<float>(Shape{}, {4000})});
  EXPECT_EQ(out.shape(), (Shape{9, 3}));
  std::vector<float> want(27, 0.0f);
  want[0] = 1;               // band 0: edges 0, 0, 1
  want[4] = 1;               // band 1: edges 0, 1, 3
  want[7] = 0.5f;
  want[8] = 0.5f;            // band 2: edges 1, 3, 5
  want[11] = 1;
  want[14] = 0.5f;
  expect_near(out, want);
}

}  // namespace
}  // namespace recinfer::kernels
