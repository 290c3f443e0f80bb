// Helpers for the shape/layout kernel tests: building tensors, reading them back, running a
// node eagerly (optionally with unknown input values, to exercise the dynamic-shape path) and a
// ParallelFor that really splits work into chunks.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "kernels/op_runner.h"
#include "kernels/registry.h"
#include "recinfer/tensor.h"

namespace recinfer::kernels::shape_test {

template <typename T>
Tensor make(const Shape& shape, const std::vector<T>& values) {
  auto t = Tensor::from_vector<T>(shape, values);
  EXPECT_TRUE(t.is_ok()) << t.status().to_string();
  return t.is_ok() ? std::move(t).value() : Tensor();
}

inline Tensor ints(const std::vector<int64_t>& values) {
  return make<int64_t>(Shape{static_cast<int64_t>(values.size())}, values);
}

template <typename T>
std::vector<T> values_of(const Tensor& t) {
  const T* p = t.data<T>();
  return std::vector<T>(p, p + t.numel());
}

// 0, 1, 2, ... as T (wrapping for narrow types).
template <typename T>
Tensor iota(const Shape& shape) {
  std::vector<T> v(static_cast<size_t>(shape.numel()));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<T>(i);
  return make<T>(shape, v);
}

// Runs fn on chunks of exactly `grain` items, last chunk first, so tests catch kernels that
// assume a chunk starts at 0 or that chunks run in order.
class ChunkedFor final : public ParallelFor {
 public:
  void run(int64_t n, int64_t grain, RangeFn fn) override {
    if (n <= 0) return;
    const int64_t g = grain < 1 ? 1 : grain;
    const int64_t chunks = (n + g - 1) / g;
    for (int64_t c = chunks - 1; c >= 0; --c) fn(c * g, std::min(n, (c + 1) * g));
    ++calls;
  }
  int num_threads() const override { return 4; }
  int calls = 0;
};

// Runs a node and asserts success; returns its outputs.
inline std::vector<Tensor> run_ok(ir::OpType op, int opset,
                                  std::map<std::string, ir::Attribute, std::less<>> attributes,
                                  const std::vector<Tensor>& inputs, int num_outputs = 1,
                                  ParallelFor* parallel = nullptr) {
  auto result = run_op(op, opset, std::move(attributes), inputs, num_outputs,
                       KernelVariant::kOptimized, parallel);
  EXPECT_TRUE(result.is_ok()) << result.status().to_string();
  return result.is_ok() ? std::move(result).value() : std::vector<Tensor>(num_outputs);
}

// Runs a node expecting failure; returns the status.
inline Status run_error(ir::OpType op, int opset,
                        std::map<std::string, ir::Attribute, std::less<>> attributes,
                        const std::vector<Tensor>& inputs, int num_outputs = 1) {
  auto result = run_op(op, opset, std::move(attributes), inputs, num_outputs);
  EXPECT_FALSE(result.is_ok());
  return result.is_ok() ? Status::ok() : result.status();
}

struct DynamicRun {
  bool all_dynamic = false;  // infer marked every output dynamic
  std::vector<Tensor> outputs;
};

// Infers with the values of inputs listed in `unknown` hidden (as at plan time), then computes
// with unbound placeholder outputs for the dynamic ones, as the runtime would.
inline DynamicRun run_dynamic(ir::OpType op, int opset,
                              std::map<std::string, ir::Attribute, std::less<>> attributes,
                              const std::vector<Tensor>& inputs, const std::vector<int>& unknown,
                              int num_outputs = 1) {
  ir::Node node;
  node.name = "dynamic_under_test";
  node.op = op;
  node.opset = opset;
  node.attributes = std::move(attributes);
  for (size_t i = 0; i < inputs.size(); ++i) {
    node.inputs.push_back(inputs[i].defined() ? static_cast<ir::ValueId>(i) : ir::kNoValue);
  }
  node.num_declared_inputs = static_cast<int>(inputs.size());
  for (int o = 0; o < num_outputs; ++o) node.outputs.push_back(100 + o);
  const OpSchema* kernels = KernelRegistry::instance().find(op);
  DynamicRun run;
  if (kernels == nullptr) {
    ADD_FAILURE() << "no kernel";
    return run;
  }
  std::vector<TensorInfo> infos(inputs.size());
  std::vector<const TensorInfo*> info_ptrs(inputs.size(), nullptr);
  std::vector<const Tensor*> input_ptrs(inputs.size(), nullptr);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined()) continue;
    const bool hidden = std::find(unknown.begin(), unknown.end(), static_cast<int>(i)) !=
                        unknown.end();
    infos[i] = {inputs[i].dtype(), inputs[i].shape(), hidden ? nullptr : &inputs[i]};
    info_ptrs[i] = &infos[i];
    input_ptrs[i] = &inputs[i];
  }
  InferContext infer_ctx(node, info_ptrs, static_cast<size_t>(num_outputs));
  Status st = kernels->infer(infer_ctx);
  EXPECT_TRUE(st.is_ok()) << st.to_string();
  run.all_dynamic = true;
  run.outputs.resize(static_cast<size_t>(num_outputs));
  for (int o = 0; o < num_outputs; ++o) {
    const TensorInfo& info = infer_ctx.output(o);
    if (infer_ctx.output_dynamic(o)) {
      run.outputs[static_cast<size_t>(o)] = Tensor(info.dtype, Shape{0}, nullptr);
    } else {
      run.all_dynamic = false;
      run.outputs[static_cast<size_t>(o)] = Tensor::allocate(info.dtype, info.shape).value();
    }
  }
  auto kernel = kernels->make(node);
  PrepareContext prepare_ctx{node, input_ptrs};
  EXPECT_TRUE(kernel->prepare(prepare_ctx).is_ok());
  SerialFor serial;
  KernelContext ctx(node, input_ptrs.data(), static_cast<int>(input_ptrs.size()),
                    run.outputs.data(), num_outputs, serial);
  st = kernel->compute(ctx);
  EXPECT_TRUE(st.is_ok()) << st.to_string();
  return run;
}

}  // namespace recinfer::kernels::shape_test
