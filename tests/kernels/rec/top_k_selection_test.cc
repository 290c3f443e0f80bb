// TopK's selection fast paths (sequence/top_k_select.cc: block-skipping threshold scan, the
// buffered selection for 16 < k <= 64, the heap otherwise) against the stable-sort reference,
// bit for bit (values and indices), on long columns with many ties, NaNs, sorted and reversed
// inputs (every element a candidate), strided and contiguous axes, on several threads. Lives
// with the rec tests because the rec work added these paths; the TopK op tests are in
// tests/kernels/sequence/top_k_test.cc.
#include <cstring>

#include "kernels/rec/rec_test_util.h"

namespace recinfer::kernels::rec_test {
namespace {

using ir::OpType;

// kRareNaN puts a few NaNs (and for integers a few extreme values) late in each column, where
// the scan skips blocks: they rank above (largest) or below every number.
enum class Fill { kTies, kAscending, kDescending, kWithNaN, kRareNaN };

template <typename T>
Tensor column_values(std::mt19937& rng, const Shape& shape, Fill fill) {
  std::vector<T> values(static_cast<size_t>(shape.numel()));
  std::uniform_int_distribution<int> small(0, 9);
  for (size_t i = 0; i < values.size(); ++i) {
    switch (fill) {
      case Fill::kTies: values[i] = static_cast<T>(small(rng)); break;
      case Fill::kAscending: values[i] = static_cast<T>(i % 200); break;
      case Fill::kDescending: values[i] = static_cast<T>(200 - i % 200); break;
      case Fill::kWithNaN:
        values[i] = static_cast<T>(small(rng));
        if constexpr (std::is_floating_point_v<T>) {
          if (small(rng) == 0) values[i] = std::numeric_limits<T>::quiet_NaN();
        }
        break;
      case Fill::kRareNaN:
        values[i] = static_cast<T>(small(rng) + 1);
        if (std::uniform_int_distribution<int>(0, 997)(rng) == 0) {
          values[i] = std::is_floating_point_v<T> ? std::numeric_limits<T>::quiet_NaN()
                                                  : std::numeric_limits<T>::max();
        }
        if (std::uniform_int_distribution<int>(0, 997)(rng) == 0) {
          values[i] = std::numeric_limits<T>::lowest();
        }
        break;
    }
  }
  return make_tensor<T>(shape, values);
}

template <typename T>
void check_case(std::mt19937& rng, ThreadedFor& parallel, int64_t k, int64_t n, Fill fill,
                int64_t largest, bool strided) {
  const Shape shape = strided ? Shape{2, n, 3} : Shape{3, n};
  const Tensor x = column_values<T>(rng, shape, fill);
  const Attrs attrs = {{"axis", attr_int(strided ? 1 : -1)}, {"largest", attr_int(largest)}};
  const std::vector<Tensor> inputs = {x, i64({k})};
  auto fast = run_op(OpType::kTopK, 11, attrs, inputs, 2, KernelVariant::kOptimized, &parallel);
  auto ref = run_op(OpType::kTopK, 11, attrs, inputs, 2, KernelVariant::kReference);
  ASSERT_TRUE(fast.is_ok() && ref.is_ok()) << fast.status().to_string();
  SCOPED_TRACE(fmt::format("{} shape {} k {} largest {} fill {}", dtype_name(x.dtype()),
                           shape.to_string(), k, largest, static_cast<int>(fill)));
  ASSERT_EQ(values_of<int64_t>((*fast)[1]), values_of<int64_t>((*ref)[1]));
  ASSERT_EQ(std::memcmp((*fast)[0].raw(), (*ref)[0].raw(), (*ref)[0].bytes()), 0);
}

template <typename T>
void check_against_reference(std::mt19937& rng) {
  ThreadedFor parallel;
  for (int64_t k : {1, 8, 16, 17, 32, 50, 64, 65, 100}) {
    for (int64_t n : {k, 4 * k - 1, 4 * k, int64_t{1000}, int64_t{5003}, 40 * k + 7}) {
      for (Fill fill :
           {Fill::kTies, Fill::kAscending, Fill::kDescending, Fill::kWithNaN, Fill::kRareNaN}) {
        for (int64_t largest : {0, 1}) {
          check_case<T>(rng, parallel, k, n, fill, largest, (k + n) % 3 == 0);
          if (::testing::Test::HasFatalFailure()) return;
        }
      }
    }
  }
}

TEST(TopKSelectionTest, FastPathsMatchStableSortReference) {
  std::mt19937 rng(71);
  check_against_reference<float>(rng);
  check_against_reference<double>(rng);
  check_against_reference<int64_t>(rng);
  check_against_reference<int32_t>(rng);
  check_against_reference<uint8_t>(rng);
}

}  // namespace
}  // namespace recinfer::kernels::rec_test
