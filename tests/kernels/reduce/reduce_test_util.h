// Helpers for the reduce and sequence kernel tests: tensor builders, seeded random inputs,
// tolerance checks and a ParallelFor that really splits work into chunks.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "kernels/dispatch.h"
#include "kernels/op_runner.h"
#include "kernels/registry.h"
#include "recinfer/tensor.h"
#include "support/allocation_counter.h"

namespace recinfer::kernels::reduce_test {

template <typename T>
Tensor make_tensor(const Shape& shape, const std::vector<T>& values) {
  auto tensor = Tensor::from_vector<T>(shape, values);
  EXPECT_TRUE(tensor.is_ok()) << tensor.status().to_string();
  return tensor.is_ok() ? tensor.value() : Tensor();
}

inline Tensor scalar_i64(int64_t v) { return make_tensor<int64_t>(Shape{}, {v}); }
inline Tensor vector_i64(const std::vector<int64_t>& v) {
  return make_tensor<int64_t>(Shape{static_cast<int64_t>(v.size())}, v);
}

template <typename T>
std::vector<T> to_vector(const Tensor& tensor) {
  EXPECT_EQ(tensor.dtype(), dtype_of<T>());
  const T* data = tensor.data<T>();
  return std::vector<T>(data, data + tensor.numel());
}

// Uniform values; integers come from a small range so ties and repeats are common.
template <typename T>
Tensor random_tensor(const Shape& shape, uint32_t seed, double lo = -4.0, double hi = 4.0) {
  std::mt19937 rng(seed);
  std::vector<T> values(static_cast<size_t>(shape.numel()));
  if constexpr (std::is_floating_point_v<T>) {
    std::uniform_real_distribution<double> dist(lo, hi);
    for (T& v : values) v = static_cast<T>(dist(rng));
  } else if constexpr (std::is_same_v<T, bool>) {
    std::bernoulli_distribution dist(0.5);
    std::vector<bool> bits(values.size());
    for (size_t i = 0; i < bits.size(); ++i) bits[i] = dist(rng);
    return make_tensor<bool>(shape, bits);
  } else {
    std::uniform_int_distribution<int64_t> dist(static_cast<int64_t>(lo), static_cast<int64_t>(hi));
    for (T& v : values) v = static_cast<T>(dist(rng));
  }
  return make_tensor<T>(shape, values);
}

// |actual - expected| <= atol + rtol * |expected| elementwise, NaN matching NaN.
template <typename T>
void expect_close(const Tensor& actual, const Tensor& expected, double atol, double rtol,
                  const std::string& what) {
  ASSERT_EQ(actual.dtype(), expected.dtype()) << what;
  ASSERT_EQ(actual.shape(), expected.shape()) << what;
  const T* a = actual.data<T>();
  const T* e = expected.data<T>();
  for (int64_t i = 0; i < actual.numel(); ++i) {
    const double av = static_cast<double>(a[i]);
    const double ev = static_cast<double>(e[i]);
    if (std::isnan(ev)) {
      EXPECT_TRUE(std::isnan(av)) << what << " at " << i;
      continue;
    }
    if (std::isinf(ev)) {
      EXPECT_EQ(av, ev) << what << " at " << i;
      continue;
    }
    EXPECT_LE(std::abs(av - ev), atol + rtol * std::abs(ev))
        << what << " at " << i << ": " << av << " vs " << ev;
  }
}

// Runs fn over grain-sized chunks in reverse order on the calling thread, so chunked code paths
// (and any dependence on chunk order) are exercised deterministically.
class ChunkedFor final : public ParallelFor {
 public:
  void run(int64_t n, int64_t grain, RangeFn fn) override {
    const int64_t step = std::max<int64_t>(1, grain);
    for (int64_t begin = (n - 1) / step * step; begin >= 0 && n > 0; begin -= step) {
      fn(begin, std::min(n, begin + step));
    }
  }
  int num_threads() const override { return 4; }
};

inline std::vector<Tensor> run_ok(ir::OpType op, int opset,
                                  std::map<std::string, ir::Attribute, std::less<>> attributes,
                                  const std::vector<Tensor>& inputs, int num_outputs,
                                  KernelVariant variant = KernelVariant::kOptimized,
                                  ParallelFor* parallel = nullptr) {
  auto result = run_op(op, opset, std::move(attributes), inputs, num_outputs, variant, parallel);
  EXPECT_TRUE(result.is_ok()) << result.status().to_string();
  return result.is_ok() ? result.value() : std::vector<Tensor>(static_cast<size_t>(num_outputs));
}

// Runs the node like run_node (infer, allocate, prepare) and counts heap allocations made by
// compute alone; -1 if any step fails. Static-shape kernels must report 0.
inline int64_t count_compute_allocations(ir::OpType op, int opset,
                                         std::map<std::string, ir::Attribute, std::less<>> attrs,
                                         const std::vector<Tensor>& inputs, int num_outputs) {
  ir::Node node;
  node.name = "under_test";
  node.op = op;
  node.opset = opset;
  node.attributes = std::move(attrs);
  std::vector<TensorInfo> infos(inputs.size());
  std::vector<const TensorInfo*> info_ptrs;
  std::vector<const Tensor*> input_ptrs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    node.inputs.push_back(static_cast<ir::ValueId>(i));
    infos[i] = {inputs[i].dtype(), inputs[i].shape(), &inputs[i]};
    info_ptrs.push_back(&infos[i]);
    input_ptrs.push_back(&inputs[i]);
  }
  node.num_declared_inputs = static_cast<int>(inputs.size());
  for (int o = 0; o < num_outputs; ++o) node.outputs.push_back(100 + o);
  const OpSchema* kernels = KernelRegistry::instance().find(op);
  if (kernels == nullptr) return -1;
  InferContext infer_ctx(node, info_ptrs, static_cast<size_t>(num_outputs));
  if (!kernels->infer(infer_ctx).is_ok()) return -1;
  std::vector<Tensor> outputs;
  for (int o = 0; o < num_outputs; ++o) {
    auto out = Tensor::allocate(infer_ctx.output(o).dtype, infer_ctx.output(o).shape);
    if (!out.is_ok() || infer_ctx.output_dynamic(o)) return -1;
    outputs.push_back(out.value());
  }
  std::unique_ptr<Kernel> kernel = kernels->make(node);
  if (!kernel->prepare(PrepareContext{node, input_ptrs}).is_ok()) return -1;
  SerialFor serial;
  KernelContext ctx(node, input_ptrs.data(), static_cast<int>(input_ptrs.size()), outputs.data(),
                    num_outputs, serial);
  recinfer::testing::start_counting_allocations();
  const Status status = kernel->compute(ctx);
  const int64_t allocations = recinfer::testing::stop_counting_allocations();
  return status.is_ok() ? allocations : -1;
}

}  // namespace recinfer::kernels::reduce_test
