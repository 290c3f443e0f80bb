#include "tooling/zipf.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

namespace recinfer::tooling {
namespace {

// Exact P(rank = k) of Zipf(n, s), from the definition.
std::vector<double> zipf_pmf(int64_t n, double s) {
  std::vector<double> p(static_cast<size_t>(n) + 1, 0.0);
  double total = 0;
  for (int64_t k = 1; k <= n; ++k) total += p[static_cast<size_t>(k)] = std::pow(k, -s);
  for (double& v : p) v /= total;
  return p;
}

// Draw frequencies of the first ranks match the pmf within 5 standard errors, for skews below,
// at and above 1 (the sampler's formulas change form at s = 1).
TEST(ZipfRowsTest, RankFrequenciesMatchTheDistribution) {
  for (double s : {0.0, 0.6, 1.0, 1.05, 1.5}) {
    const int64_t n = 1000;
    const int draws = 200000;
    ZipfRows zipf(n, s, 7);
    std::mt19937_64 rng(42);
    std::vector<int> counts(static_cast<size_t>(n) + 1, 0);
    for (int i = 0; i < draws; ++i) {
      const int64_t k = zipf.rank(rng);
      ASSERT_GE(k, 1);
      ASSERT_LE(k, n);
      ++counts[static_cast<size_t>(k)];
    }
    const std::vector<double> p = zipf_pmf(n, s);
    for (int64_t k : {1, 2, 3, 10, 100}) {
      const double expected = p[static_cast<size_t>(k)] * draws;
      const double sigma = std::sqrt(expected * (1 - p[static_cast<size_t>(k)]));
      EXPECT_NEAR(counts[static_cast<size_t>(k)], expected, 5 * sigma + 1)
          << "s=" << s << " rank " << k;
    }
  }
}

// Ranks map to rows one to one (every row reachable, none twice), for prime and composite n.
TEST(ZipfRowsTest, RankToRowIsABijection) {
  for (int64_t n : {1, 2, 997, 1000, 4096}) {
    ZipfRows zipf(n, 1.0, 3);
    std::set<int64_t> rows;
    for (int64_t k = 1; k <= n; ++k) {
      const int64_t row = zipf.row_of_rank(k);
      ASSERT_GE(row, 0);
      ASSERT_LT(row, n);
      rows.insert(row);
    }
    EXPECT_EQ(static_cast<int64_t>(rows.size()), n);
  }
}

// The hot rows are scattered: the hottest ten ranks are not rows 0..9.
TEST(ZipfRowsTest, HotRowsAreNotTheFirstRows) {
  ZipfRows zipf(100000, 1.05, 11);
  int in_first_rows = 0;
  for (int64_t k = 1; k <= 10; ++k) in_first_rows += zipf.row_of_rank(k) < 10;
  EXPECT_LT(in_first_rows, 10);
}

// Large tables (MLPerf DLRM-v2 sizes) draw in range without a per-row table.
TEST(ZipfRowsTest, HugeTablesDrawInRange) {
  const int64_t n = 40'000'000;
  ZipfRows zipf(n, 1.05, 5);
  std::mt19937_64 rng(1);
  for (int i = 0; i < 10000; ++i) {
    const int64_t row = zipf(rng);
    ASSERT_GE(row, 0);
    ASSERT_LT(row, n);
  }
}

}  // namespace
}  // namespace recinfer::tooling
