#include <gtest/gtest.h>

#include <limits>

#include "elementwise_test_util.h"

namespace recinfer::kernels {
namespace {

using ir::OpType;
using testing::make_tensor;
using testing::run1;
using testing::values_of;

TEST(ElementwiseArithmeticTest, SameShapeFloat) {
  Tensor a = make_tensor<float>(Shape{2, 2}, {1, 2, 3, 4});
  Tensor b = make_tensor<float>(Shape{2, 2}, {10, 20, 30, 40});
  EXPECT_EQ(values_of<float>(run1(OpType::kAdd, 14, {}, {a, b})),
            (std::vector<float>{11, 22, 33, 44}));
  EXPECT_EQ(values_of<float>(run1(OpType::kSub, 14, {}, {a, b})),
            (std::vector<float>{-9, -18, -27, -36}));
  EXPECT_EQ(values_of<float>(run1(OpType::kMul, 14, {}, {a, b})),
            (std::vector<float>{10, 40, 90, 160}));
  EXPECT_EQ(values_of<float>(run1(OpType::kDiv, 14, {}, {b, a})),
            (std::vector<float>{10, 10, 10, 10}));
}

TEST(ElementwiseArithmeticTest, BroadcastRowColumnAndScalar) {
  Tensor m = make_tensor<double>(Shape{2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor row = make_tensor<double>(Shape{3}, {10, 20, 30});
  Tensor col = make_tensor<double>(Shape{2, 1}, {100, 200});
  Tensor scalar = make_tensor<double>(Shape{}, {2});
  Tensor out = run1(OpType::kAdd, 14, {}, {m, row});
  EXPECT_EQ(out.shape(), (Shape{2, 3}));
  EXPECT_EQ(values_of<double>(out), (std::vector<double>{11, 22, 33, 14, 25, 36}));
  EXPECT_EQ(values_of<double>(run1(OpType::kSub, 14, {}, {col, m})),
            (std::vector<double>{99, 98, 97, 196, 195, 194}));
  EXPECT_EQ(values_of<double>(run1(OpType::kDiv, 14, {}, {m, scalar})),
            (std::vector<double>{0.5, 1, 1.5, 2, 2.5, 3}));
  EXPECT_EQ(values_of<double>(run1(OpType::kDiv, 14, {}, {scalar, m}))[1], 1.0);
  // Outer product: (2,1) x (3) -> (2,3).
  Tensor outer = run1(OpType::kMul, 14, {}, {col, row});
  EXPECT_EQ(outer.shape(), (Shape{2, 3}));
  EXPECT_EQ(values_of<double>(outer), (std::vector<double>{1000, 2000, 3000, 2000, 4000, 6000}));
  // Rank grows on the left: (3) + (2,1,1) -> (2,1,3).
  Tensor grown = run1(OpType::kAdd, 14, {}, {row, make_tensor<double>(Shape{2, 1, 1}, {1, 2})});
  EXPECT_EQ(grown.shape(), (Shape{2, 1, 3}));
  EXPECT_EQ(values_of<double>(grown), (std::vector<double>{11, 21, 31, 12, 22, 32}));
}

TEST(ElementwiseArithmeticTest, IntegerDivTruncatesTowardZero) {
  Tensor a = make_tensor<int32_t>(Shape{4}, {7, -7, 7, -7});
  Tensor b = make_tensor<int32_t>(Shape{4}, {2, 2, -2, -2});
  EXPECT_EQ(values_of<int32_t>(run1(OpType::kDiv, 14, {}, {a, b})),
            (std::vector<int32_t>{3, -3, -3, 3}));
  const int64_t min64 = std::numeric_limits<int64_t>::min();
  Tensor c = make_tensor<int64_t>(Shape{2}, {min64, 9});
  Tensor d = make_tensor<int64_t>(Shape{2}, {-1, -1});
  EXPECT_EQ(values_of<int64_t>(run1(OpType::kDiv, 14, {}, {c, d})),
            (std::vector<int64_t>{min64, -9}));
  Tensor u = make_tensor<uint8_t>(Shape{2}, {200, 7});
  Tensor v = make_tensor<uint8_t>(Shape{}, {3});
  EXPECT_EQ(values_of<uint8_t>(run1(OpType::kDiv, 14, {}, {u, v})), (std::vector<uint8_t>{66, 2}));
}

TEST(ElementwiseArithmeticTest, IntegerDivisionByZeroIsAnErrorNamingTheNode) {
  Tensor a = make_tensor<int64_t>(Shape{3}, {1, 2, 3});
  Tensor b = make_tensor<int64_t>(Shape{3}, {1, 0, 3});
  for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
    auto result = run_op(OpType::kDiv, 14, {}, {a, b}, 1, variant);
    ASSERT_FALSE(result.is_ok());
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(result.status().message().find("Div_under_test"), std::string::npos)
        << result.status().message();
    EXPECT_NE(result.status().message().find("index 1"), std::string::npos)
        << result.status().message();
  }
  // Float division by zero is IEEE: inf.
  Tensor f = make_tensor<float>(Shape{1}, {1});
  Tensor z = make_tensor<float>(Shape{1}, {0});
  EXPECT_EQ(values_of<float>(run1(OpType::kDiv, 14, {}, {f, z}))[0],
            std::numeric_limits<float>::infinity());
}

TEST(ElementwiseArithmeticTest, IntegerOverflowWraps) {
  const int32_t max32 = std::numeric_limits<int32_t>::max();
  Tensor a = make_tensor<int32_t>(Shape{2}, {max32, -max32});
  Tensor b = make_tensor<int32_t>(Shape{2}, {1, 2});
  EXPECT_EQ(values_of<int32_t>(run1(OpType::kAdd, 14, {}, {a, b})),
            (std::vector<int32_t>{std::numeric_limits<int32_t>::min(), -max32 + 2}));
  Tensor u = make_tensor<uint8_t>(Shape{2}, {3, 250});
  Tensor w = make_tensor<uint8_t>(Shape{2}, {5, 10});
  EXPECT_EQ(values_of<uint8_t>(run1(OpType::kSub, 14, {}, {u, w})),
            (std::vector<uint8_t>{254, 240}));
  EXPECT_EQ(values_of<uint8_t>(run1(OpType::kAdd, 14, {}, {u, w})), (std::vector<uint8_t>{8, 4}));
  Tensor big = make_tensor<uint16_t>(Shape{1}, {65535});
  EXPECT_EQ(values_of<uint16_t>(run1(OpType::kMul, 14, {}, {big, big})),
            (std::vector<uint16_t>{1}));
}

TEST(ElementwiseArithmeticTest, EmptyOutput) {
  Tensor a = make_tensor<float>(Shape{0, 3}, {});
  Tensor b = make_tensor<float>(Shape{3}, {1, 2, 3});
  Tensor out = run1(OpType::kAdd, 14, {}, {a, b});
  EXPECT_EQ(out.shape(), (Shape{0, 3}));
}

TEST(ElementwiseArithmeticTest, BadInputs) {
  Tensor a = make_tensor<float>(Shape{2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = make_tensor<float>(Shape{2}, {1, 2});
  Status status = testing::run_status(OpType::kAdd, 14, {}, {a, b});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("Add_under_test"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("(2,3)"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("(2)"), std::string::npos) << status.message();

  Tensor i = make_tensor<int32_t>(Shape{2}, {1, 2});
  status = testing::run_status(OpType::kMul, 14, {}, {b, i});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("int32"), std::string::npos) << status.message();

  Tensor flags = make_tensor<bool>(Shape{1}, {true});
  EXPECT_EQ(testing::run_status(OpType::kAdd, 14, {}, {flags, flags}).code(),
            StatusCode::kUnsupported);
  EXPECT_EQ(testing::run_status(OpType::kAdd, 14, {}, {a}).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recinfer::kernels
