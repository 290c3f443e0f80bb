#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "elementwise_test_util.h"

namespace recinfer::kernels {
namespace {

using ir::OpType;
using testing::make_tensor;
using testing::values_of;

// ONNX TensorProto.DataType codes.
constexpr int64_t kFloat = 1, kUint8 = 2, kInt8 = 3, kInt32 = 6, kInt64 = 7, kString = 8, kBool = 9,
                  kFloat16 = 10, kDouble = 11, kUint64 = 13;

Tensor cast(const Tensor& x, int64_t to, KernelVariant variant = KernelVariant::kOptimized) {
  return testing::run1(OpType::kCast, 13, {{"to", attr_int(to)}}, {x}, variant);
}

TEST(ElementwiseCastTest, FloatToIntTruncatesTowardZero) {
  Tensor x = make_tensor<float>(Shape{6}, {1.9f, -1.9f, 0.5f, -0.5f, 100.0f, -7.0f});
  EXPECT_EQ(values_of<int64_t>(cast(x, kInt64)), (std::vector<int64_t>{1, -1, 0, 0, 100, -7}));
  EXPECT_EQ(values_of<int32_t>(cast(x, kInt32)), (std::vector<int32_t>{1, -1, 0, 0, 100, -7}));
  EXPECT_EQ(values_of<int8_t>(cast(x, kInt8)), (std::vector<int8_t>{1, -1, 0, 0, 100, -7}));
}

TEST(ElementwiseCastTest, OutOfRangeAndNanAreDefined) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor x = make_tensor<double>(Shape{5}, {nan, 1e30, -1e30, 300.0, -1.0});
  EXPECT_EQ(values_of<int64_t>(cast(x, kInt64)),
            (std::vector<int64_t>{0, std::numeric_limits<int64_t>::max(),
                                  std::numeric_limits<int64_t>::min(), 300, -1}));
  // Narrow targets wrap like numpy's astype: 300 -> 44, -1 -> 255.
  EXPECT_EQ(values_of<uint8_t>(cast(x, kUint8)), (std::vector<uint8_t>{0, 255, 0, 44, 255}));
  Tensor big = make_tensor<double>(Shape{2}, {1.8446744073709552e19 * 0.75, 1e20});
  EXPECT_EQ(values_of<uint64_t>(cast(big, kUint64)),
            (std::vector<uint64_t>{13835058055282163712ull, std::numeric_limits<uint64_t>::max()}));
}

TEST(ElementwiseCastTest, ToAndFromBool) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor x = make_tensor<float>(Shape{4}, {0.0f, -0.0f, 0.1f, nan});
  EXPECT_EQ(values_of<bool>(cast(x, kBool)), (std::vector<bool>{false, false, true, true}));
  Tensor i = make_tensor<int64_t>(Shape{3}, {0, -5, 256});
  EXPECT_EQ(values_of<bool>(cast(i, kBool)), (std::vector<bool>{false, true, true}));
  Tensor b = make_tensor<bool>(Shape{3}, {true, false, true});
  EXPECT_EQ(values_of<float>(cast(b, kFloat)), (std::vector<float>{1, 0, 1}));
  EXPECT_EQ(values_of<int64_t>(cast(b, kInt64)), (std::vector<int64_t>{1, 0, 1}));
  EXPECT_EQ(values_of<bool>(cast(b, kBool)), (std::vector<bool>{true, false, true}));
}

TEST(ElementwiseCastTest, IntAndFloatWidening) {
  Tensor i = make_tensor<int32_t>(Shape{2, 2}, {-1, 2, 300, -40000});
  Tensor d = cast(i, kDouble);
  EXPECT_EQ(d.shape(), (Shape{2, 2}));
  EXPECT_EQ(values_of<double>(d), (std::vector<double>{-1, 2, 300, -40000}));
  EXPECT_EQ(values_of<uint8_t>(cast(i, kUint8)), (std::vector<uint8_t>{255, 2, 44, 192}));
  Tensor f = make_tensor<float>(Shape{1}, {0.1f});
  EXPECT_EQ(values_of<double>(cast(f, kDouble))[0], static_cast<double>(0.1f));
  Tensor dd = make_tensor<double>(Shape{1}, {0.1});
  EXPECT_EQ(values_of<float>(cast(dd, kFloat))[0], 0.1f);
  EXPECT_EQ(values_of<int64_t>(cast(make_tensor<int64_t>(Shape{}, {42}), kInt64)),
            (std::vector<int64_t>{42}));
}

TEST(ElementwiseCastTest, UnsupportedTargetsAndSources) {
  Tensor x = make_tensor<float>(Shape{2}, {1, 2});
  for (int64_t to : {kString, int64_t{14}, int64_t{99}}) {
    auto result = run_op(OpType::kCast, 13, {{"to", attr_int(to)}}, {x}, 1);
    ASSERT_FALSE(result.is_ok()) << to;
    EXPECT_EQ(result.status().code(), StatusCode::kUnsupported) << to;
  }
  auto missing = run_op(OpType::kCast, 13, {}, {x}, 1);
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("'to'"), std::string::npos);
}

TEST(ElementwiseCastTest, OptimizedMatchesReferenceForAllPairs) {
  std::mt19937 rng(3);
  const Shape shape{3, 1031};
  const std::vector<Tensor> sources = {
      testing::random_tensor<float>(shape, rng, -300, 300),
      testing::random_tensor<double>(shape, rng, -1e5, 1e5),
      testing::random_tensor<int64_t>(shape, rng, -100000, 100000),
      testing::random_tensor<int32_t>(shape, rng, -1000, 1000),
      testing::random_tensor<uint8_t>(shape, rng, 0, 255),
      testing::random_tensor<bool>(shape, rng, 0, 1),
  };
  for (const Tensor& src : sources) {
    for (int64_t to : {kFloat, kDouble, kInt64, kInt32, kInt8, kUint8, kUint64, kBool, int64_t{4},
                       int64_t{5}, int64_t{12}}) {
      Tensor fast = cast(src, to);
      Tensor ref = cast(src, to, KernelVariant::kReference);
      ASSERT_EQ(fast.dtype(), ref.dtype());
      ASSERT_EQ(fast.bytes(), ref.bytes());
      EXPECT_EQ(std::memcmp(fast.raw(), ref.raw(), fast.bytes()), 0)
          << dtype_name(src.dtype()) << " -> " << dtype_name(fast.dtype());
    }
  }
}

}  // namespace
}  // namespace recinfer::kernels
