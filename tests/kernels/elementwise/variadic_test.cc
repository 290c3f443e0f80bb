#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "elementwise_test_util.h"

namespace recinfer::kernels {
namespace {

using ir::OpType;
using testing::make_tensor;
using testing::run1;
using testing::values_of;

TEST(ElementwiseVariadicTest, ThreeInputsSameShape) {
  // The ONNX test_min_example / test_max_example / test_sum_example data.
  Tensor a = make_tensor<float>(Shape{3}, {3, 2, 1});
  Tensor b = make_tensor<float>(Shape{3}, {1, 4, 4});
  Tensor c = make_tensor<float>(Shape{3}, {2, 5, 0});
  EXPECT_EQ(values_of<float>(run1(OpType::kMin, 13, {}, {a, b, c})), (std::vector<float>{1, 2, 0}));
  EXPECT_EQ(values_of<float>(run1(OpType::kMax, 13, {}, {a, b, c})), (std::vector<float>{3, 5, 4}));
  EXPECT_EQ(values_of<float>(run1(OpType::kSum, 13, {}, {a, b, c})),
            (std::vector<float>{6, 11, 5}));
}

TEST(ElementwiseVariadicTest, OneInputIsACopy) {
  Tensor a = make_tensor<int64_t>(Shape{2, 2}, {3, -2, 1, 7});
  for (OpType op : {OpType::kMin, OpType::kMax, OpType::kSum}) {
    Tensor out = run1(op, 13, {}, {a});
    EXPECT_EQ(out.shape(), (Shape{2, 2}));
    EXPECT_EQ(values_of<int64_t>(out), (std::vector<int64_t>{3, -2, 1, 7}));
  }
}

TEST(ElementwiseVariadicTest, AllInputsBroadcastTogether) {
  // (2,1) , (3) , () -> (2,3); the first two inputs alone broadcast to the full output.
  Tensor col = make_tensor<int32_t>(Shape{2, 1}, {10, 20});
  Tensor row = make_tensor<int32_t>(Shape{3}, {1, 2, 3});
  Tensor scalar = make_tensor<int32_t>(Shape{}, {100});
  Tensor sum = run1(OpType::kSum, 13, {}, {col, row, scalar});
  EXPECT_EQ(sum.shape(), (Shape{2, 3}));
  EXPECT_EQ(values_of<int32_t>(sum), (std::vector<int32_t>{111, 112, 113, 121, 122, 123}));
  // Here inputs 0 and 1 are both (2,1): the first pass already has to fill the (2,3) output.
  Tensor col2 = make_tensor<int32_t>(Shape{2, 1}, {5, 30});
  Tensor max = run1(OpType::kMax, 13, {}, {col, col2, row});
  EXPECT_EQ(max.shape(), (Shape{2, 3}));
  EXPECT_EQ(values_of<int32_t>(max), (std::vector<int32_t>{10, 10, 10, 30, 30, 30}));
  Tensor min = run1(OpType::kMin, 13, {}, {scalar, col, row});
  EXPECT_EQ(values_of<int32_t>(min), (std::vector<int32_t>{1, 2, 3, 1, 2, 3}));
}

TEST(ElementwiseVariadicTest, NanPropagatesThroughMinMax) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor a = make_tensor<double>(Shape{3}, {nan, 1, 2});
  Tensor b = make_tensor<double>(Shape{3}, {0, nan, -1});
  for (OpType op : {OpType::kMin, OpType::kMax}) {
    for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
      const std::vector<double> ab = values_of<double>(run1(op, 13, {}, {a, b}, variant));
      const std::vector<double> ba = values_of<double>(run1(op, 13, {}, {b, a}, variant));
      EXPECT_TRUE(std::isnan(ab[0]) && std::isnan(ab[1]) && std::isnan(ba[0]) && std::isnan(ba[1]));
      EXPECT_EQ(ab[2], op == OpType::kMin ? -1.0 : 2.0);
    }
  }
}

TEST(ElementwiseVariadicTest, UnsignedAndErrors) {
  Tensor a = make_tensor<uint64_t>(Shape{2}, {std::numeric_limits<uint64_t>::max(), 3});
  Tensor b = make_tensor<uint64_t>(Shape{2}, {1, 4});
  EXPECT_EQ(values_of<uint64_t>(run1(OpType::kMin, 13, {}, {a, b})), (std::vector<uint64_t>{1, 3}));
  EXPECT_EQ(values_of<uint64_t>(run1(OpType::kSum, 13, {}, {a, b})), (std::vector<uint64_t>{0, 7}));
  Tensor c = make_tensor<uint64_t>(Shape{3}, {1, 2, 3});
  Status status = testing::run_status(OpType::kSum, 13, {}, {a, b, c});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("Sum_under_test"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("(3)"), std::string::npos) << status.message();
  Tensor f = make_tensor<float>(Shape{2}, {1, 2});
  status = testing::run_status(OpType::kMax, 13, {}, {f, a});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("uint64"), std::string::npos) << status.message();
  EXPECT_EQ(testing::run_status(OpType::kMax, 13, {}, {}).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace recinfer::kernels
