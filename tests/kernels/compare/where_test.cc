#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "compare_test_util.h"

namespace recinfer::kernels {
namespace {

using compare_test::make;
using compare_test::make_bool;
using compare_test::values_of;

Result<Tensor> run_where(const Tensor& c, const Tensor& x, const Tensor& y, int opset = 16,
                         KernelVariant variant = KernelVariant::kOptimized,
                         ParallelFor* parallel = nullptr) {
  auto out = run_op(ir::OpType::kWhere, opset, {}, {c, x, y}, 1, variant, parallel);
  if (!out.is_ok()) return out.status();
  return (*out)[0];
}

// The example of the ONNX operator spec, float and int64.
TEST(WhereOpTest, SpecExample) {
  Tensor c = make_bool({2, 2}, {1, 0, 1, 1});
  auto f = run_where(c, make<float>({2, 2}, {1, 2, 3, 4}), make<float>({2, 2}, {9, 8, 7, 6}));
  ASSERT_TRUE(f.is_ok()) << f.status().to_string();
  EXPECT_EQ(f->dtype(), DType::kFloat32);
  EXPECT_EQ(values_of<float>(*f), (std::vector<float>{1, 8, 3, 4}));
  auto i = run_where(c, make<int64_t>({2, 2}, {1, 2, 3, 4}),
                     make<int64_t>({2, 2}, {9, 8, 7, 6}), 9);
  ASSERT_TRUE(i.is_ok()) << i.status().to_string();
  EXPECT_EQ(values_of<int64_t>(*i), (std::vector<int64_t>{1, 8, 3, 4}));
}

// Masked-lookup pattern: Where(ids >= 0, ids, 0) with a scalar fallback, and a column mask.
TEST(WhereOpTest, ScalarAndThreeWayBroadcast) {
  Tensor mask = make_bool({4}, {1, 0, 0, 1});
  Tensor ids = make<int64_t>({4}, {10, -1, -3, 7});
  Tensor zero = make<int64_t>({}, {0});
  auto masked = run_where(mask, ids, zero);
  ASSERT_TRUE(masked.is_ok());
  EXPECT_EQ(values_of<int64_t>(*masked), (std::vector<int64_t>{10, 0, 0, 7}));
  auto flipped = run_where(mask, zero, ids);
  ASSERT_TRUE(flipped.is_ok());
  EXPECT_EQ(values_of<int64_t>(*flipped), (std::vector<int64_t>{0, -1, -3, 0}));

  // condition (2,1), X (1,3), Y scalar -> (2,3).
  Tensor column = make_bool({2, 1}, {1, 0});
  Tensor row = make<double>({1, 3}, {1.5, 2.5, 3.5});
  Tensor fallback = make<double>({}, {-1});
  auto out = run_where(column, row, fallback);
  ASSERT_TRUE(out.is_ok());
  EXPECT_EQ(out->shape(), (Shape{2, 3}));
  EXPECT_EQ(values_of<double>(*out), (std::vector<double>{1.5, 2.5, 3.5, -1, -1, -1}));

  // condition (3), X (2,1), Y (2,3) -> condition varies along the row.
  Tensor c3 = make_bool({3}, {0, 1, 0});
  Tensor x = make<int32_t>({2, 1}, {100, 200});
  Tensor y = make<int32_t>({2, 3}, {1, 2, 3, 4, 5, 6});
  auto mixed = run_where(c3, x, y);
  ASSERT_TRUE(mixed.is_ok());
  EXPECT_EQ(values_of<int32_t>(*mixed), (std::vector<int32_t>{1, 100, 3, 4, 200, 6}));
}

TEST(WhereOpTest, BoolAndNaNValuesPassThroughUnchanged) {
  Tensor c = make_bool({3}, {1, 0, 1});
  auto b = run_where(c, make_bool({3}, {0, 1, 1}), make_bool({3}, {1, 1, 0}));
  ASSERT_TRUE(b.is_ok());
  EXPECT_EQ(compare_test::bools_of(*b), (std::vector<int>{0, 1, 1}));
  auto f = run_where(c, make<float>({3}, {NAN, 1, -0.f}), make<float>({}, {2}));
  ASSERT_TRUE(f.is_ok());
  const std::vector<float> v = values_of<float>(*f);
  EXPECT_TRUE(std::isnan(v[0]));
  EXPECT_EQ(v[1], 2.f);
  EXPECT_TRUE(std::signbit(v[2]));
}

TEST(WhereOpTest, FastPathsMatchReference) {
  struct Case {
    Shape c, x, y;
  };
  const std::vector<Case> cases = {
      {{37, 53}, {37, 53}, {37, 53}},   // same shape
      {{1001}, {}, {1001}},             // scalar X
      {{1001}, {1001}, {1}},            // scalar Y
      {{999}, {}, {}},                  // both scalar
      {{}, {17, 3}, {17, 3}},           // scalar condition
      {{61, 1}, {1, 4133}, {}},         // column condition (constant along rows)
      {{1, 4133}, {61, 1}, {61, 4133}},
      {{3, 4, 5}, {5}, {4, 1}},
      {{1, 4, 1, 6}, {3, 1, 5, 6}, {6}},
      {{7, 1, 9}, {1, 11, 1}, {7, 11, 9}},
      {{2, 30000}, {2, 1}, {30000}},     // rows longer than a block
      {{}, {}, {}},
      {{0, 3}, {3}, {}},
  };
  const std::vector<DType> dtypes = {DType::kFloat32, DType::kFloat64, DType::kInt64,
                                     DType::kInt32,   DType::kBool,    DType::kInt8,
                                     DType::kUint16};
  std::mt19937 rng(7);
  compare_test::ReverseChunkedFor reverse;
  compare_test::TwoThreadFor threads;
  for (DType dtype : dtypes) {
    for (const Case& k : cases) {
      Tensor c = compare_test::random_tensor(DType::kBool, k.c, rng);
      Tensor x = compare_test::random_tensor(dtype, k.x, rng);
      Tensor y = compare_test::random_tensor(dtype, k.y, rng);
      const std::string label = std::string(dtype_name(dtype)) + " " + k.c.to_string() + " " +
                                k.x.to_string() + " " + k.y.to_string();
      auto ref = run_where(c, x, y, 16, KernelVariant::kReference);
      ASSERT_TRUE(ref.is_ok()) << label << ": " << ref.status().to_string();
      for (ParallelFor* parallel : std::vector<ParallelFor*>{nullptr, &reverse, &threads}) {
        auto fast = run_where(c, x, y, 16, KernelVariant::kOptimized, parallel);
        ASSERT_TRUE(fast.is_ok()) << label << ": " << fast.status().to_string();
        compare_test::expect_identical(*fast, *ref, label);
      }
    }
  }
}

TEST(WhereOpTest, BadInputsAreReported) {
  Tensor c = make_bool({2}, {1, 0});
  Tensor f = make<float>({2}, {1, 2});
  Tensor i = make<int64_t>({2}, {1, 2});
  auto mixed = run_where(c, f, i);
  ASSERT_FALSE(mixed.is_ok());
  EXPECT_EQ(mixed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(mixed.status().message().find("float32"), std::string::npos);
  EXPECT_NE(mixed.status().message().find("int64"), std::string::npos);

  auto int_condition = run_where(i, f, f);
  ASSERT_FALSE(int_condition.is_ok());
  EXPECT_EQ(int_condition.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(int_condition.status().message().find("condition"), std::string::npos);

  Tensor f3 = make<float>({3}, {1, 2, 3});
  auto shapes = run_where(c, f3, f);
  ASSERT_FALSE(shapes.is_ok());
  EXPECT_EQ(shapes.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = shapes.status().message();
  EXPECT_NE(message.find("(Where)"), std::string::npos) << message;
  EXPECT_NE(message.find("condition (2), X (3) and Y (2)"), std::string::npos) << message;

  auto half = Tensor::allocate(DType::kFloat16, {2});
  ASSERT_TRUE(half.is_ok());
  auto where_half = run_where(c, *half, *half);
  ASSERT_FALSE(where_half.is_ok());
  EXPECT_EQ(where_half.status().code(), StatusCode::kUnsupported);

  auto missing = run_op(ir::OpType::kWhere, 16, {}, {c, f}, 1);
  ASSERT_FALSE(missing.is_ok());
}

}  // namespace
}  // namespace recinfer::kernels
