// The radix sort behind CompareCount/CountDistinct against std::sort: signed values across the
// whole range, small ids (skipped high passes), duplicates, both sizes of integer, tiny inputs.
#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "kernels/rec/sort_values.h"

namespace recinfer::kernels::rec {
namespace {

template <typename T>
void check(std::vector<T> values) {
  std::vector<T> want = values;
  std::sort(want.begin(), want.end());
  ASSERT_TRUE(sort_values(values.data(), static_cast<int64_t>(values.size())));
  EXPECT_EQ(values, want);
}

TEST(SortValues, MatchesStdSort) {
  std::mt19937_64 rng(42);
  for (int64_t n : {0, 1, 255, 256, 4000, 100000}) {
    std::vector<int64_t> full(static_cast<size_t>(n)), ids(static_cast<size_t>(n)), dup(static_cast<size_t>(n));
    std::vector<int32_t> small(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      full[static_cast<size_t>(i)] = static_cast<int64_t>(rng());  // negatives and extremes
      ids[static_cast<size_t>(i)] = static_cast<int64_t>(rng() % 100000) - 1;  // ids padded with -1
      dup[static_cast<size_t>(i)] = static_cast<int64_t>(rng() % 7);
      small[static_cast<size_t>(i)] = static_cast<int32_t>(rng());
    }
    if (n > 3) {
      full[0] = std::numeric_limits<int64_t>::min();
      full[1] = std::numeric_limits<int64_t>::max();
    }
    check(full);
    check(ids);
    check(dup);
    check(small);
  }
}

TEST(SortValues, FloatsKeepNaNLast) {
  std::vector<float> v = {3.0f, std::numeric_limits<float>::quiet_NaN(), -1.0f, 0.0f};
  ASSERT_TRUE(sort_values(v.data(), 4));
  EXPECT_EQ(v[0], -1.0f);
  EXPECT_EQ(v[2], 3.0f);
  EXPECT_TRUE(std::isnan(v[3]));
}

}  // namespace
}  // namespace recinfer::kernels::rec
