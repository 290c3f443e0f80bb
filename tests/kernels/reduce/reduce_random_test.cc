// Fast ReduceSum/Mean/Max against the naive reference on seeded random, odd-sized shapes and
// every subset of axes, so each fast path (rows, middle block, whole tensor, general) is hit.
#include "kernels/reduce/reduce_test_util.h"

namespace recinfer::kernels::reduce_test {
namespace {

using ir::OpType;

std::vector<Shape> test_shapes() {
  return {Shape{7},        Shape{3, 5},      Shape{1, 9, 4},   Shape{5, 1, 3, 7},
          Shape{2, 3, 4, 5}, Shape{33, 17},  Shape{2, 3, 700}, Shape{1, 1025, 3},
          Shape{3, 2, 1, 2, 3}};
}

std::vector<int64_t> mask_axes(uint32_t mask, int rank) {
  std::vector<int64_t> axes;
  for (int d = 0; d < rank; ++d) {
    // Alternate negative spellings to exercise normalisation.
    if ((mask >> d) & 1u) axes.push_back(d % 2 == 0 ? d : d - rank);
  }
  return axes;
}

template <typename T>
void compare_all_masks(OpType op, double atol, double rtol) {
  uint32_t seed = 17;
  for (const Shape& shape : test_shapes()) {
    const Tensor x = random_tensor<T>(shape, seed++, -20, 20);
    for (uint32_t mask = 1; mask < (1u << shape.rank()); ++mask) {
      for (int keepdims = 0; keepdims <= 1; ++keepdims) {
        const std::vector<int64_t> axes = mask_axes(mask, shape.rank());
        std::map<std::string, ir::Attribute, std::less<>> attrs{{"keepdims", attr_int(keepdims)}};
        std::vector<Tensor> inputs{x};
        if (op == OpType::kReduceSum) {
          inputs.push_back(vector_i64(axes));
        } else {
          attrs["axes"] = attr_ints(axes);
        }
        ChunkedFor chunked;
        auto fast = run_ok(op, 13, attrs, inputs, 1, KernelVariant::kOptimized, &chunked);
        auto ref = run_ok(op, 13, attrs, inputs, 1, KernelVariant::kReference);
        expect_close<T>(fast[0], ref[0], atol, rtol,
                        fmt::format("{} {} shape {} mask {} keepdims {}", ir::op_name(op),
                                    dtype_name(dtype_of<T>()), shape.to_string(), mask,
                                    keepdims));
        if (::testing::Test::HasFailure()) return;
      }
    }
  }
}

TEST(ReduceRandomTest, SumMatchesReference) {
  compare_all_masks<float>(OpType::kReduceSum, 2e-2, 1e-5);
  compare_all_masks<double>(OpType::kReduceSum, 1e-9, 1e-12);
  compare_all_masks<int64_t>(OpType::kReduceSum, 0, 0);
  compare_all_masks<int32_t>(OpType::kReduceSum, 0, 0);
}

TEST(ReduceRandomTest, MeanMatchesReference) {
  compare_all_masks<float>(OpType::kReduceMean, 1e-3, 1e-5);
  compare_all_masks<double>(OpType::kReduceMean, 1e-10, 1e-12);
  compare_all_masks<int64_t>(OpType::kReduceMean, 0, 0);
}

TEST(ReduceRandomTest, MaxMatchesReference) {
  compare_all_masks<float>(OpType::kReduceMax, 0, 0);
  compare_all_masks<int32_t>(OpType::kReduceMax, 0, 0);
  compare_all_masks<uint8_t>(OpType::kReduceMax, 0, 0);
}

// Whole-tensor reductions large enough to be split into several chunks.
TEST(ReduceRandomTest, LargeWholeTensorAndRows) {
  for (const Shape& shape : {Shape{100003}, Shape{3, 40001}, Shape{4099, 9}}) {
    const Tensor x = random_tensor<float>(shape, 5, -1, 1);
    for (OpType op : {OpType::kReduceSum, OpType::kReduceMean, OpType::kReduceMax}) {
      std::map<std::string, ir::Attribute, std::less<>> attrs{
          {"axes", attr_ints({shape.rank() - 1})}};
      std::vector<Tensor> inputs{x};
      if (op == OpType::kReduceSum) {
        attrs.erase("axes");
        inputs.push_back(vector_i64({shape.rank() - 1}));
      }
      ChunkedFor chunked;
      auto fast = run_ok(op, 13, attrs, inputs, 1, KernelVariant::kOptimized, &chunked);
      auto ref = run_ok(op, 13, attrs, inputs, 1, KernelVariant::kReference);
      // The reference sums sequentially in float: allow for its own rounding drift.
      expect_close<float>(fast[0], ref[0], 2e-2, 1e-4,
                          fmt::format("{} shape {}", ir::op_name(op), shape.to_string()));
    }
  }
}

}  // namespace
}  // namespace recinfer::kernels::reduce_test
