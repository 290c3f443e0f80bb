// A counter-based random stream: element i of a run is a pure function of (key, i), so a
// kernel needs no mutable generator state (compute() is const and may run concurrently in
// several instances) and the values do not depend on how the work is split.
// splitmix64's finaliser over key + i * golden ratio passes BigCrush as a generator.
#pragma once

#include <cmath>
#include <cstdint>

namespace recinfer::kernels::random {

inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class RandomStream {
 public:
  explicit RandomStream(uint64_t key) : key_(mix64(key)) {}

  uint64_t bits(uint64_t index) const { return mix64(key_ + (index + 1) * 0x9e3779b97f4a7c15ULL); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform(uint64_t index) const {
    return static_cast<double>(bits(index) >> 11) * 0x1.0p-53;
  }
  // Standard normal values 2k and 2k+1 from the uniforms 2k and 2k+1 (Box-Muller).
  void normal_pair(uint64_t k, double* first, double* second) const {
    const double u1 = 1.0 - uniform(2 * k);  // (0, 1]: log stays finite
    const double u2 = uniform(2 * k + 1);
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 6.283185307179586476925 * u2;
    *first = radius * std::cos(angle);
    *second = radius * std::sin(angle);
  }

 private:
  uint64_t key_;
};

}  // namespace recinfer::kernels::random
