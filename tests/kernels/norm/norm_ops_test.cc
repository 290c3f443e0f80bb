// InstanceNormalization, MeanVarianceNormalization, LpNormalization, LRN and the global pools:
// hand-checked values and fast against reference on odd shapes.
#include "kernels/norm/norm_test_util.h"

namespace recinfer::kernels::norm_test {
namespace {

using ir::OpType;

TEST(InstanceNormTest, HandCheckedAndReference) {
  const Tensor x = make_tensor<float>(Shape{1, 2, 2}, {1, 3, 5, 5});
  auto out = run_ok(OpType::kInstanceNormalization, 6, {},
                    {x, make_tensor<float>(Shape{2}, {2, 1}), make_tensor<float>(Shape{2}, {1, 7})}, 1);
  // The constant plane has zero variance: it becomes B.
  expect_close<float>(out[0], make_tensor<float>(Shape{1, 2, 2}, {-1, 3, 7, 7}), 1e-4, 0, "hand");
  uint32_t seed = 3;
  for (const Shape& shape : {Shape{2, 3, 17}, Shape{3, 2, 5, 9}}) {
    const std::vector<Tensor> inputs{random_tensor<float>(shape, seed++),
                                     random_tensor<float>(Shape{shape[1]}, seed++),
                                     random_tensor<float>(Shape{shape[1]}, seed++)};
    ChunkedFor chunked;
    auto fast = run_ok(OpType::kInstanceNormalization, 6, {}, inputs, 1, KernelVariant::kOptimized,
                       &chunked);
    auto ref = run_ok(OpType::kInstanceNormalization, 6, {}, inputs, 1, KernelVariant::kReference);
    expect_close<float>(fast[0], ref[0], 1e-5, 1e-4, shape.to_string());
  }
}

TEST(MeanVarianceNormTest, DefaultAxesAndReference) {
  // Default axes [0, 2, 3]: per channel over batch and space.
  const Tensor x = make_tensor<float>(Shape{2, 2, 1, 1}, {1, 10, 3, 10});
  auto out = run_ok(OpType::kMeanVarianceNormalization, 13, {}, {x}, 1);
  expect_close<float>(out[0], make_tensor<float>(Shape{2, 2, 1, 1}, {-1, 0, 1, 0}), 1e-6, 1e-6,
                      "default axes");
  uint32_t seed = 5;
  for (const std::vector<int64_t>& axes :
       std::vector<std::vector<int64_t>>{{0, 2, 3}, {1}, {-1}, {0, 3}, {1, 2}}) {
    const Tensor r = random_tensor<float>(Shape{3, 4, 5, 6}, seed++);
    ChunkedFor chunked;
    auto fast = run_ok(OpType::kMeanVarianceNormalization, 13, {{"axes", attr_ints(axes)}}, {r}, 1,
                       KernelVariant::kOptimized, &chunked);
    auto ref = run_ok(OpType::kMeanVarianceNormalization, 13, {{"axes", attr_ints(axes)}}, {r}, 1,
                      KernelVariant::kReference);
    expect_close<float>(fast[0], ref[0], 1e-5, 1e-4, fmt::format("axes {}", axes.size()));
  }
  EXPECT_EQ(count_compute_allocations(OpType::kMeanVarianceNormalization, 13, {},
                                      {random_tensor<float>(Shape{2, 3, 4, 5}, 1)}, 1),
            0);
}

TEST(LpNormTest, RowsColumnsAndZeroVectors) {
  const Tensor x = make_tensor<float>(Shape{3, 2}, {3, 4, 0, 0, -1, 1});
  auto l2 = run_ok(OpType::kLpNormalization, 1, {}, {x}, 1);
  expect_close<float>(l2[0], make_tensor<float>(Shape{3, 2}, {0.6f, 0.8f, 0, 0, -0.70710678f, 0.70710678f}),
                      1e-6, 1e-6, "p2 rows");
  auto l1 = run_ok(OpType::kLpNormalization, 1, {{"p", attr_int(1)}, {"axis", attr_int(0)}}, {x}, 1);
  expect_close<float>(l1[0], make_tensor<float>(Shape{3, 2}, {0.75f, 0.8f, 0, 0, -0.25f, 0.2f}),
                      1e-6, 1e-6, "p1 columns");
  uint32_t seed = 9;
  for (const Shape& shape : {Shape{5, 33}, Shape{2, 7, 300}, Shape{3, 4, 5}}) {
    for (int axis = 0; axis < shape.rank(); ++axis) {
      for (int p : {1, 2}) {
        const Tensor r = random_tensor<float>(shape, seed++);
        ChunkedFor chunked;
        auto fast = run_ok(OpType::kLpNormalization, 1, {{"axis", attr_int(axis)}, {"p", attr_int(p)}},
                           {r}, 1, KernelVariant::kOptimized, &chunked);
        auto ref = run_ok(OpType::kLpNormalization, 1, {{"axis", attr_int(axis)}, {"p", attr_int(p)}},
                          {r}, 1, KernelVariant::kReference);
        expect_close<float>(fast[0], ref[0], 1e-6, 1e-5,
                            fmt::format("shape {} axis {} p {}", shape.to_string(), axis, p));
      }
    }
  }
  auto bad = run_op(OpType::kLpNormalization, 1, {{"p", attr_int(3)}}, {x}, 1);
  EXPECT_FALSE(bad.is_ok());
}

TEST(LrnTest, HandChecked) {
  // size 3 over 3 channels of one pixel: windows {0,1}, {0,1,2}, {1,2}.
  const Tensor x = make_tensor<float>(Shape{1, 3, 1, 1}, {1, 2, 3});
  auto out = run_ok(OpType::kLRN, 13,
                    {{"size", attr_int(3)}, {"alpha", attr_float(3)}, {"beta", attr_float(1)},
                     {"bias", attr_float(1)}},
                    {x}, 1);
  expect_close<float>(out[0], make_tensor<float>(Shape{1, 3, 1, 1}, {1.0f / 6, 2.0f / 15, 3.0f / 14}),
                      1e-6, 1e-6, "lrn");
}

TEST(GlobalPoolTest, AverageMaxLp) {
  const Tensor x = make_tensor<float>(Shape{1, 2, 2, 2}, {1, 2, 3, 4, -3, 0, 4, 0});
  auto avg = run_ok(OpType::kGlobalAveragePool, 1, {}, {x}, 1);
  EXPECT_EQ(avg[0].shape(), (Shape{1, 2, 1, 1}));
  EXPECT_EQ(to_vector<float>(avg[0]), (std::vector<float>{2.5f, 0.25f}));
  auto max = run_ok(OpType::kGlobalMaxPool, 1, {}, {x}, 1);
  EXPECT_EQ(to_vector<float>(max[0]), (std::vector<float>{4, 4}));
  auto lp = run_ok(OpType::kGlobalLpPool, 2, {}, {x}, 1);
  expect_close<float>(lp[0], make_tensor<float>(Shape{1, 2, 1, 1}, {std::sqrt(30.0f), 5}), 1e-6,
                      1e-6, "lp2");
  auto l1 = run_ok(OpType::kGlobalLpPool, 2, {{"p", attr_int(1)}}, {x}, 1);
  EXPECT_EQ(to_vector<float>(l1[0]), (std::vector<float>{10, 7}));
  auto l3 = run_ok(OpType::kGlobalLpPool, 2, {{"p", attr_int(3)}}, {x}, 1);
  expect_close<float>(l3[0], make_tensor<float>(Shape{1, 2, 1, 1}, {std::cbrt(100.0f), std::cbrt(91.0f)}),
                      1e-5, 1e-5, "lp3");
}

}  // namespace
}  // namespace recinfer::kernels::norm_test
