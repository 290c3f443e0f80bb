// Optimised binary/variadic kernels against the naive reference kernels on seeded random,
// odd-sized and broadcast shapes (atol + rtol * |ref|; exact for integers).
#include <gtest/gtest.h>

#include "elementwise_test_util.h"

namespace recinfer::kernels {
namespace {

using ir::OpType;
using testing::random_tensor;

struct ShapePair {
  Shape lhs;
  Shape rhs;
};

// Same shape, scalar either side, row and column broadcast, outer products, rank growth,
// size-1 axes in the middle, empty tensors and a large one that spans several grains.
std::vector<ShapePair> shape_pairs() {
  return {
      {Shape{1}, Shape{1}},
      {Shape{7}, Shape{7}},
      {Shape{3, 5, 7}, Shape{3, 5, 7}},
      {Shape{3, 5, 7}, Shape{}},
      {Shape{}, Shape{11, 3}},
      {Shape{13, 17}, Shape{17}},
      {Shape{17}, Shape{13, 17}},
      {Shape{13, 17}, Shape{13, 1}},
      {Shape{5, 1}, Shape{1, 9}},
      {Shape{2, 3, 1, 5}, Shape{3, 4, 1}},
      {Shape{4, 1, 6, 1, 3}, Shape{1, 5, 1, 7, 1}},
      {Shape{1, 1, 9}, Shape{2, 1}},
      {Shape{0, 3}, Shape{3}},
      {Shape{3, 1}, Shape{3, 0}},
      {Shape{257, 129}, Shape{129}},
      {Shape{40001}, Shape{40001}},
      {Shape{300, 1}, Shape{1, 301}},
  };
}

template <typename T>
void compare_binary(OpType op, int opset, const testing::Attributes& attributes, double lo,
                    double hi, double rhs_lo, double rhs_hi, uint32_t seed) {
  std::mt19937 rng(seed);
  for (const ShapePair& pair : shape_pairs()) {
    SCOPED_TRACE(std::string(ir::op_name(op)) + " " + pair.lhs.to_string() + " vs " +
                 pair.rhs.to_string() + " " + std::string(dtype_name(dtype_of<T>())));
    Tensor a = random_tensor<T>(pair.lhs, rng, lo, hi);
    Tensor b = random_tensor<T>(pair.rhs, rng, rhs_lo, rhs_hi);
    testing::expect_matches_reference<T>(op, opset, attributes, {a, b});
  }
}

TEST(ElementwiseReferenceCompareTest, ArithmeticFloat) {
  for (OpType op : {OpType::kAdd, OpType::kSub, OpType::kMul, OpType::kDiv, OpType::kMin,
                    OpType::kMax, OpType::kSum}) {
    compare_binary<float>(op, 14, {}, -10, 10, 0.5, 10, 1);
    compare_binary<double>(op, 14, {}, -1e3, 1e3, -1e3, 1e3, 2);
  }
}

TEST(ElementwiseReferenceCompareTest, ArithmeticIntegers) {
  for (OpType op :
       {OpType::kAdd, OpType::kSub, OpType::kMul, OpType::kMin, OpType::kMax, OpType::kSum}) {
    compare_binary<int64_t>(op, 14, {}, -1e9, 1e9, -1e9, 1e9, 3);
    compare_binary<int32_t>(op, 14, {}, -1e6, 1e6, -1e6, 1e6, 4);
    compare_binary<uint8_t>(op, 14, {}, 0, 255, 0, 255, 5);
    compare_binary<int8_t>(op, 14, {}, -128, 127, -128, 127, 6);
  }
  // Divisors kept away from zero (zero is an error, tested elsewhere).
  compare_binary<int64_t>(OpType::kDiv, 14, {}, -1000, 1000, 1, 37, 7);
  compare_binary<int32_t>(OpType::kDiv, 14, {}, -1000, 1000, -37, -1, 8);
  compare_binary<uint16_t>(OpType::kDiv, 14, {}, 0, 65535, 1, 300, 9);
}

TEST(ElementwiseReferenceCompareTest, ModAndPow) {
  const testing::Attributes fmod{{"fmod", attr_int(1)}};
  compare_binary<int32_t>(OpType::kMod, 13, {}, -1000, 1000, 1, 50, 10);
  compare_binary<int64_t>(OpType::kMod, 13, {}, -1000, 1000, -50, -1, 11);
  compare_binary<int16_t>(OpType::kMod, 13, fmod, -1000, 1000, 1, 50, 12);
  compare_binary<float>(OpType::kMod, 13, fmod, -100, 100, 0.5, 20, 13);
  compare_binary<double>(OpType::kMod, 13, fmod, -100, 100, -20, -0.5, 14);
  compare_binary<float>(OpType::kPow, 15, {}, 0.1, 4, -3, 3, 15);
  compare_binary<double>(OpType::kPow, 15, {}, -4, 4, -3, 3, 16);  // NaN for fractional powers
  compare_binary<int64_t>(OpType::kPow, 15, {}, -9, 9, 0, 12, 17);
  compare_binary<int32_t>(OpType::kPow, 15, {}, -3, 3, -2, 20, 18);
}

TEST(ElementwiseReferenceCompareTest, PowMixedTypes) {
  std::mt19937 rng(19);
  for (const ShapePair& pair : shape_pairs()) {
    Tensor base = random_tensor<float>(pair.lhs, rng, 0.1, 3);
    Tensor exponent = random_tensor<int64_t>(pair.rhs, rng, -4, 6);
    testing::expect_matches_reference<float>(OpType::kPow, 15, {}, {base, exponent});
    Tensor int_base = random_tensor<int32_t>(pair.lhs, rng, -5, 5);
    Tensor float_exponent = random_tensor<double>(pair.rhs, rng, 0, 4);
    testing::expect_matches_reference<int32_t>(OpType::kPow, 15, {}, {int_base, float_exponent});
  }
  // The x*x fast path against std::pow.
  Tensor x = random_tensor<float>(Shape{50000}, rng, -100, 100);
  testing::expect_matches_reference<float>(
      OpType::kPow, 15, {}, {x, testing::make_tensor<double>(Shape{1}, {2.0})}, 0, 1e-7);
}

TEST(ElementwiseReferenceCompareTest, VariadicWithManyBroadcastInputs) {
  std::mt19937 rng(20);
  const std::vector<std::vector<Shape>> cases = {
      {Shape{4, 1, 3}, Shape{5, 1}, Shape{}, Shape{1, 1, 3}},
      {Shape{1}, Shape{1}, Shape{6, 7}},
      {Shape{2, 1}, Shape{2, 1}, Shape{1, 33}, Shape{2, 33}, Shape{33}},
      {Shape{129, 130}},
  };
  for (OpType op : {OpType::kSum, OpType::kMin, OpType::kMax}) {
    for (const auto& shapes : cases) {
      std::vector<Tensor> inputs;
      std::vector<Tensor> int_inputs;
      for (const Shape& s : shapes) {
        inputs.push_back(random_tensor<float>(s, rng, -5, 5));
        int_inputs.push_back(random_tensor<int64_t>(s, rng, -500, 500));
      }
      testing::expect_matches_reference<float>(op, 13, {}, inputs);
      testing::expect_matches_reference<int64_t>(op, 13, {}, int_inputs);
    }
  }
}

}  // namespace
}  // namespace recinfer::kernels
