// Zipf-distributed ids: the realistic id traffic of a recommendation model, where a few rows of a
// table are hot and most are cold. Draws rank k in [1, n] with P(k) proportional to k^-s by
// rejection-inversion (Hoermann & Derflinger, "Rejection-inversion to generate variates from
// monotone discrete distributions", 1996): O(1) per draw for any n, no table of n weights.
// Ranks are then scattered over the table's rows by a fixed random bijection, so the hot rows
// are not the first rows in memory (as they are not in a trained model's table).
#pragma once

#include <cstdint>
#include <random>

namespace recinfer::tooling {

class ZipfRows {
 public:
  // n >= 1 rows; skew s >= 0 (0 = uniform); `seed` picks the rank-to-row bijection.
  ZipfRows(int64_t n, double s, uint64_t seed);

  // A row in [0, n).
  int64_t operator()(std::mt19937_64& rng) const;
  // The rank (1 = hottest) drawn before scattering; exposed for the distribution's tests.
  int64_t rank(std::mt19937_64& rng) const;
  // The row that rank k maps to.
  int64_t row_of_rank(int64_t k) const;

  int64_t rows() const { return n_; }
  double skew() const { return s_; }

 private:
  double h(double x) const;          // the density x^-s
  double big_h(double x) const;      // its integral, (x^(1-s) - 1) / (1 - s) (log x at s = 1)
  double big_h_inv(double y) const;  // the inverse of big_h

  int64_t n_;
  double s_;
  double h_x1_ = 0;  // big_h(1.5) - 1
  double h_n_ = 0;   // big_h(n + 0.5)
  double squeeze_ = 0;
  // Rank-to-row bijection: row = (a * (k - 1) + b) mod n, gcd(a, n) = 1.
  uint64_t a_ = 1, b_ = 0;
};

}  // namespace recinfer::tooling
