#include "tooling/zipf.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace recinfer::tooling {
namespace {

// log1p(x) / x and expm1(x) / x, both -> 1 as x -> 0: they keep big_h and its inverse exact
// near s = 1, where (1 - s) divides by almost zero.
double log1p_over_x(double x) { return std::abs(x) > 1e-8 ? std::log1p(x) / x : 1.0 - x / 2.0; }
double expm1_over_x(double x) { return std::abs(x) > 1e-8 ? std::expm1(x) / x : 1.0 + x / 2.0; }

}  // namespace

ZipfRows::ZipfRows(int64_t n, double s, uint64_t seed) : n_(std::max<int64_t>(n, 1)), s_(s) {
  h_x1_ = big_h(1.5) - 1.0;
  h_n_ = big_h(static_cast<double>(n_) + 0.5);
  squeeze_ = 2.0 - big_h_inv(big_h(2.5) - h(2.0));
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
  const auto n64 = static_cast<uint64_t>(n_);
  b_ = rng() % n64;
  a_ = 1 + rng() % n64;
  while (std::gcd(a_, n64) != 1) ++a_;  // any a coprime to n makes a bijection
}

double ZipfRows::h(double x) const { return std::exp(-s_ * std::log(x)); }

double ZipfRows::big_h(double x) const {
  const double log_x = std::log(x);
  return expm1_over_x((1.0 - s_) * log_x) * log_x;
}

double ZipfRows::big_h_inv(double y) const {
  double t = y * (1.0 - s_);
  t = std::max(t, -1.0);  // rounding at the domain's edge
  return std::exp(log1p_over_x(t) * y);
}

int64_t ZipfRows::rank(std::mt19937_64& rng) const {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (;;) {
    const double u = h_n_ + uniform(rng) * (h_x1_ - h_n_);
    const double x = big_h_inv(u);
    auto k = static_cast<int64_t>(x + 0.5);
    k = std::clamp<int64_t>(k, 1, n_);
    const double kd = static_cast<double>(k);
    // Accept at once inside the squeeze, else by comparing with the exact area of k's bar.
    if (kd - x <= squeeze_ || u >= big_h(kd + 0.5) - h(kd)) return k;
  }
}

int64_t ZipfRows::row_of_rank(int64_t k) const {
  const auto n64 = static_cast<unsigned __int128>(n_);
  const unsigned __int128 r = (static_cast<unsigned __int128>(a_) *
                                   static_cast<unsigned __int128>(k - 1) + b_) % n64;
  return static_cast<int64_t>(r);
}

int64_t ZipfRows::operator()(std::mt19937_64& rng) const { return row_of_rank(rank(rng)); }

}  // namespace recinfer::tooling
