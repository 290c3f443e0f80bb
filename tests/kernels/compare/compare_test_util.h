// Helpers shared by the compare family's tests: tensor builders, seeded random tensors,
// exact tensor comparison and ParallelFor stand-ins that really split the work.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "kernels/dispatch.h"
#include "kernels/op_runner.h"
#include "kernels/parallel.h"
#include "recinfer/tensor.h"

namespace recinfer::kernels::compare_test {

template <typename T>
Tensor make(const Shape& shape, const std::vector<T>& values) {
  auto t = Tensor::from_vector<T>(shape, values);
  EXPECT_TRUE(t.is_ok()) << t.status().to_string();
  return t.is_ok() ? std::move(t).value() : Tensor();
}

inline Tensor make_bool(const Shape& shape, const std::vector<int>& values) {
  std::vector<bool> b(values.begin(), values.end());
  return make<bool>(shape, b);
}

template <typename T>
std::vector<T> values_of(const Tensor& t) {
  const T* data = t.data<T>();
  return std::vector<T>(data, data + t.numel());
}

inline std::vector<int> bools_of(const Tensor& t) {
  const bool* data = t.data<bool>();
  return std::vector<int>(data, data + t.numel());
}

// Small value range so that equal pairs are frequent; floats include NaN and -0.0 now and then.
inline Tensor random_tensor(DType dtype, const Shape& shape, std::mt19937& rng) {
  auto allocated = Tensor::allocate(dtype, shape);
  EXPECT_TRUE(allocated.is_ok()) << allocated.status().to_string();
  Tensor t = std::move(allocated).value();
  std::uniform_int_distribution<int> small(-3, 3);
  std::uniform_int_distribution<int> rare(0, 29);
  Status s = dispatch<kAll>(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* data = t.data<T>();
    for (int64_t i = 0; i < t.numel(); ++i) {
      const int v = small(rng);
      if constexpr (std::is_same_v<T, bool>) {
        data[i] = v > 0;
      } else if constexpr (std::is_floating_point_v<T>) {
        const int r = rare(rng);
        data[i] = r == 0 ? std::numeric_limits<T>::quiet_NaN()
                         : (r == 1 ? static_cast<T>(-0.0) : static_cast<T>(v) * T(0.5));
      } else {
        // Unsigned types wrap the negatives to large values, which exercises the unsigned order.
        data[i] = static_cast<T>(v);
      }
    }
    return Status::ok();
  });
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return t;
}

// Same dtype, shape and bytes (bitwise, so NaN payloads compare equal).
inline void expect_identical(const Tensor& actual, const Tensor& expected,
                             const std::string& label) {
  ASSERT_EQ(actual.dtype(), expected.dtype()) << label;
  ASSERT_EQ(actual.shape(), expected.shape()) << label;
  const auto* a = static_cast<const unsigned char*>(actual.raw());
  const auto* e = static_cast<const unsigned char*>(expected.raw());
  const size_t elem = dtype_size(actual.dtype());
  for (int64_t i = 0; i < actual.numel(); ++i) {
    if (std::memcmp(a + i * elem, e + i * elem, elem) != 0) {
      ADD_FAILURE() << label << ": first mismatch at flat index " << i;
      return;
    }
  }
}

// Splits into grain-sized chunks and runs them last-first on the calling thread, so a kernel
// that depends on chunk order or on seeing the whole range at once fails.
class ReverseChunkedFor final : public ParallelFor {
 public:
  void run(int64_t n, int64_t grain, RangeFn fn) override {
    grain = std::max<int64_t>(grain, 1);
    std::vector<std::pair<int64_t, int64_t>> chunks;
    for (int64_t b = 0; b < n; b += grain) chunks.emplace_back(b, std::min(n, b + grain));
    for (auto it = chunks.rbegin(); it != chunks.rend(); ++it) fn(it->first, it->second);
    chunks_run_ += static_cast<int64_t>(chunks.size());
  }
  int num_threads() const override { return 4; }
  int64_t chunks_run() const { return chunks_run_; }

 private:
  int64_t chunks_run_ = 0;
};

// Two real threads taking alternate grain-sized chunks (useful under TSAN).
class TwoThreadFor final : public ParallelFor {
 public:
  void run(int64_t n, int64_t grain, RangeFn fn) override {
    grain = std::max<int64_t>(grain, 1);
    auto worker = [&](int64_t first_chunk) {
      for (int64_t b = first_chunk * grain; b < n; b += 2 * grain) fn(b, std::min(n, b + grain));
    };
    std::thread other(worker, 1);
    worker(0);
    other.join();
  }
  int num_threads() const override { return 2; }
};

}  // namespace recinfer::kernels::compare_test
