// Helpers for the elementwise kernel tests: building tensors, running one op, reading values,
// seeded random inputs and an optimised-vs-reference comparison.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <random>
#include <type_traits>
#include <vector>

#include "kernels/elementwise/avx2/elementwise_avx2.h"
#include "kernels/op_runner.h"

namespace recinfer::kernels::testing {

template <typename T>
Tensor make_tensor(const Shape& shape, const std::vector<T>& values) {
  auto t = Tensor::from_vector<T>(shape, values);
  EXPECT_TRUE(t.is_ok()) << t.status().to_string();
  return t.is_ok() ? t.value() : Tensor();
}

template <typename T>
std::vector<T> values_of(const Tensor& t) {
  EXPECT_EQ(t.dtype(), dtype_of<T>());
  const T* data = t.data<T>();
  return std::vector<T>(data, data + t.numel());
}

// Splits work into small fixed chunks, run serially in reverse order: exercises chunk starts in
// the middle of rows and order independence without real threads.
class ChunkedFor final : public ParallelFor {
 public:
  explicit ChunkedFor(int64_t chunk) : chunk_(chunk) {}
  void run(int64_t n, int64_t /*grain*/, RangeFn fn) override {
    if (n <= 0) return;
    const int64_t chunks = (n + chunk_ - 1) / chunk_;
    for (int64_t c = chunks - 1; c >= 0; --c) fn(c * chunk_, std::min(n, (c + 1) * chunk_));
  }
  int num_threads() const override { return 4; }

 private:
  int64_t chunk_;
};

using Attributes = std::map<std::string, ir::Attribute, std::less<>>;

// Runs the op and returns its single output; fails the test on error.
inline Tensor run1(ir::OpType op, int opset, Attributes attributes,
                   const std::vector<Tensor>& inputs,
                   KernelVariant variant = KernelVariant::kOptimized,
                   ParallelFor* parallel = nullptr) {
  auto result = run_op(op, opset, std::move(attributes), inputs, 1, variant, parallel);
  EXPECT_TRUE(result.is_ok()) << result.status().to_string();
  if (!result.is_ok()) return Tensor();
  return result.value()[0];
}

inline Status run_status(ir::OpType op, int opset, Attributes attributes,
                         const std::vector<Tensor>& inputs) {
  auto result = run_op(op, opset, std::move(attributes), inputs, 1);
  return result.is_ok() ? Status::ok() : result.status();
}

// Values in [lo, hi]; integers uniformly, floats uniformly in the real interval.
template <typename T>
Tensor random_tensor(const Shape& shape, std::mt19937& rng, double lo, double hi) {
  std::vector<T> values(static_cast<size_t>(shape.numel()));
  for (size_t i = 0; i < values.size(); ++i) {
    T v{};
    if constexpr (std::is_same_v<T, bool>) {
      v = std::uniform_int_distribution<int>(0, 1)(rng) == 1;
    } else if constexpr (std::is_integral_v<T>) {
      v = static_cast<T>(std::uniform_int_distribution<int64_t>(static_cast<int64_t>(lo),
                                                                static_cast<int64_t>(hi))(rng));
    } else {
      v = static_cast<T>(std::uniform_real_distribution<double>(lo, hi)(rng));
    }
    values[i] = v;
  }
  return make_tensor<T>(shape, values);
}

// |got - want| <= atol + rtol * |want| elementwise (exact for integers); NaN matches NaN.
template <typename T>
void expect_near_all(const Tensor& got, const Tensor& want, double atol = 1e-6,
                     double rtol = 1e-5) {
  ASSERT_EQ(got.dtype(), want.dtype());
  ASSERT_EQ(got.shape(), want.shape());
  const T* g = got.data<T>();
  const T* w = want.data<T>();
  for (int64_t i = 0; i < got.numel(); ++i) {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(w[i])) {
        EXPECT_TRUE(std::isnan(g[i])) << "index " << i;
        continue;
      }
      if (std::isinf(w[i])) {
        EXPECT_EQ(g[i], w[i]) << "index " << i;
        continue;
      }
      EXPECT_LE(std::fabs(double(g[i]) - double(w[i])), atol + rtol * std::fabs(double(w[i])))
          << "index " << i << ": got " << g[i] << ", want " << w[i];
    } else {
      EXPECT_EQ(g[i], w[i]) << "index " << i;
    }
  }
}

// Turns the AVX2 variants off for one scope (tests of the portable loops).
class ScopedNoAvx2 {
 public:
  ScopedNoAvx2() { elementwise_avx2::set_avx2_allowed(false); }
  ~ScopedNoAvx2() { elementwise_avx2::set_avx2_allowed(true); }
};

// Runs the optimised kernel -- chunked (to cross row boundaries) and serial, each with and
// without the AVX2 variants -- and the reference kernel on the same inputs and compares them.
template <typename T>
void expect_matches_reference(ir::OpType op, int opset, const Attributes& attributes,
                              const std::vector<Tensor>& inputs, double atol = 1e-6,
                              double rtol = 1e-5) {
  Tensor ref = run1(op, opset, attributes, inputs, KernelVariant::kReference);
  ASSERT_TRUE(ref.defined());
  for (bool avx2 : {true, false}) {
    SCOPED_TRACE(avx2 ? "avx2 allowed" : "avx2 off");
    std::optional<ScopedNoAvx2> no_avx2;
    if (!avx2) no_avx2.emplace();
    ChunkedFor chunked(7);
    Tensor fast = run1(op, opset, attributes, inputs, KernelVariant::kOptimized, &chunked);
    Tensor fast_serial = run1(op, opset, attributes, inputs, KernelVariant::kOptimized);
    ASSERT_TRUE(fast.defined() && fast_serial.defined());
    expect_near_all<T>(fast, ref, atol, rtol);
    expect_near_all<T>(fast_serial, ref, atol, rtol);
  }
}

}  // namespace recinfer::kernels::testing
