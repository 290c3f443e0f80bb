// Test helpers shared by the dense and embedding kernel tests: a ParallelFor that really runs
// chunks on several threads (tests may start threads, kernels may not), seeded random tensors
// and value comparison against a reference.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>
#include <vector>

#include "kernels/op_runner.h"
#include "kernels/parallel.h"
#include "recinfer/tensor.h"

namespace recinfer::kernels::dense_test {

// Splits [0, n) into up to 2 chunks per thread (at least `grain` items each) and runs them on
// `threads` std::threads, so kernels see several concurrent, unevenly placed ranges.
class ThreadedFor final : public ParallelFor {
 public:
  explicit ThreadedFor(int threads = 3) : threads_(threads) {}

  void run(int64_t n, int64_t grain, RangeFn fn) override {
    if (n <= 0) return;
    grain = std::max<int64_t>(grain, 1);
    const int64_t max_chunks = static_cast<int64_t>(threads_) * 2;
    const int64_t chunks = std::max<int64_t>(1, std::min(max_chunks, n / grain));
    const int64_t chunk = (n + chunks - 1) / chunks;
    ++calls_;
    if (chunks > 1) ++split_calls_;
    std::vector<std::thread> workers;
    for (int w = 0; w < threads_; ++w) {
      workers.emplace_back([&, w] {
        for (int64_t c = w; c < chunks; c += threads_) {
          const int64_t begin = c * chunk;
          const int64_t end = std::min(n, begin + chunk);
          if (begin < end) fn(begin, end);
        }
      });
    }
    for (auto& t : workers) t.join();
  }
  int num_threads() const override { return threads_; }
  int split_calls() const { return split_calls_; }

 private:
  int threads_;
  int calls_ = 0;
  int split_calls_ = 0;
};

template <typename T>
Tensor random_tensor(std::mt19937& rng, const Shape& shape) {
  std::vector<T> values(static_cast<size_t>(shape.numel()));
  if constexpr (std::is_same_v<T, bool>) {
    std::bernoulli_distribution dist(0.5);
    for (size_t i = 0; i < values.size(); ++i) values[i] = dist(rng);
  } else if constexpr (std::is_floating_point_v<T>) {
    std::uniform_real_distribution<T> dist(T(-1), T(1));
    for (auto& v : values) v = dist(rng);
  } else if constexpr (std::is_signed_v<T>) {
    std::uniform_int_distribution<int64_t> dist(-50, 50);
    for (auto& v : values) v = static_cast<T>(dist(rng));
  } else {
    std::uniform_int_distribution<uint64_t> dist(0, 100);
    for (auto& v : values) v = static_cast<T>(dist(rng));
  }
  auto t = Tensor::from_vector<T>(shape, values);
  EXPECT_TRUE(t.is_ok()) << t.status().to_string();
  return t.is_ok() ? *t : Tensor();
}

template <typename T>
Tensor make_tensor(const Shape& shape, const std::vector<T>& values) {
  auto t = Tensor::from_vector<T>(shape, values);
  EXPECT_TRUE(t.is_ok()) << t.status().to_string();
  return t.is_ok() ? *t : Tensor();
}

template <typename T>
std::vector<T> values_of(const Tensor& t) {
  return std::vector<T>(t.data<T>(), t.data<T>() + t.numel());
}

// Same dtype and shape, and every element within atol + rtol * |ref| (exact when both are 0).
template <typename T>
void expect_close(const Tensor& got, const Tensor& ref, double atol = 0, double rtol = 0) {
  ASSERT_EQ(got.dtype(), ref.dtype());
  ASSERT_EQ(got.shape(), ref.shape()) << got.shape().to_string() << " vs " << ref.shape().to_string();
  for (int64_t i = 0; i < ref.numel(); ++i) {
    const double g = static_cast<double>(got.data<T>()[i]);
    const double r = static_cast<double>(ref.data<T>()[i]);
    ASSERT_LE(std::abs(g - r), atol + rtol * std::abs(r)) << "element " << i << ": " << g
                                                          << " vs reference " << r;
  }
}

// Runs `op` optimised (on a ThreadedFor) and reference (serial); returns both outputs.
inline std::pair<Tensor, Tensor> run_both(ir::OpType op, int opset,
                                          std::map<std::string, ir::Attribute, std::less<>> attrs,
                                          const std::vector<Tensor>& inputs,
                                          ThreadedFor* parallel) {
  auto fast = run_op(op, opset, attrs, inputs, 1, KernelVariant::kOptimized, parallel);
  auto ref = run_op(op, opset, attrs, inputs, 1, KernelVariant::kReference);
  EXPECT_TRUE(fast.is_ok()) << fast.status().to_string();
  EXPECT_TRUE(ref.is_ok()) << ref.status().to_string();
  if (!fast.is_ok() || !ref.is_ok()) return {};
  return {(*fast)[0], (*ref)[0]};
}

}  // namespace recinfer::kernels::dense_test
