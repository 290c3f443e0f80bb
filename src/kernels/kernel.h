// Kernel contract (see DESIGN.md):
//  - infer(InferContext&): output dtypes and shapes from input dtypes/shapes and, where the op
//    needs them (Reshape's shape, Slice's starts, ...), input values. Runs at plan time with the
//    values known there (constants); an op whose output shape depends on values not known yet
//    calls ctx.set_output_dynamic(); at run time it is asked again with every value known.
//    Validation of dtypes, ranks and attributes happens here or in prepare, never in compute.
//  - prepare(PrepareContext&): once per session; validates attributes, pre-packs constants.
//  - compute(KernelContext&) const: no allocation (except data-dependent outputs through
//    allocate_output), no validation that infer already did, threads only via parallel_for.
//    It may still return errors that depend on data (out-of-range ids).
#pragma once

#include <memory>
#include <vector>

#include "ir/graph.h"
#include "kernels/parallel.h"
#include "recinfer/limits.h"
#include "recinfer/status.h"
#include "recinfer/tensor.h"

namespace recinfer::kernels {

struct TensorInfo {
  DType dtype = DType::kUndefined;
  Shape shape;
  const Tensor* value = nullptr;  // the data, when known (constant, or at run time)
};

class InferContext {
 public:
  InferContext(const ir::Node& node, std::vector<const TensorInfo*> inputs, size_t num_outputs)
      : node_(node), inputs_(std::move(inputs)), outputs_(num_outputs) {}

  const ir::Node& node() const { return node_; }
  int opset() const { return node_.opset; }
  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  // nullptr when the optional input is omitted or i is past the end.
  const TensorInfo* input(int i) const {
    return i < num_inputs() ? inputs_[static_cast<size_t>(i)] : nullptr;
  }
  // Required input: an error naming the node if it is missing.
  Result<const TensorInfo*> required_input(int i) const;
  int num_outputs() const { return static_cast<int>(outputs_.size()); }

  void set_output(int i, DType dtype, const Shape& shape) {
    outputs_[static_cast<size_t>(i)] = {dtype, shape, nullptr};
  }
  // The output's shape depends on input values that are not known yet (or on the data itself,
  // as for NonZero): the runtime allocates it when the kernel runs.
  void set_output_dynamic(int i, DType dtype) {
    outputs_[static_cast<size_t>(i)] = {dtype, Shape(), nullptr};
    dynamic_.resize(outputs_.size(), false);
    dynamic_[static_cast<size_t>(i)] = true;
  }
  bool output_dynamic(int i) const {
    return static_cast<size_t>(i) < dynamic_.size() && dynamic_[static_cast<size_t>(i)];
  }
  const TensorInfo& output(int i) const { return outputs_[static_cast<size_t>(i)]; }

  // Error prefixed with the node's description.
  template <typename... Args>
  Status error(StatusCode code, fmt::format_string<Args...> format, Args&&... args) const {
    return Status(code, node_.describe() + ": " + fmt::format(format, std::forward<Args>(args)...));
  }

 private:
  const ir::Node& node_;
  std::vector<const TensorInfo*> inputs_;
  std::vector<TensorInfo> outputs_;
  std::vector<bool> dynamic_;
};

enum class KernelVariant { kOptimized, kReference };

struct PrepareContext {
  const ir::Node& node;
  // Constant inputs (weights) by input index; nullptr where the input is not constant.
  std::vector<const Tensor*> constant_inputs;
  // Which kernels the session uses; control-flow kernels pass it on to their subgraphs.
  KernelVariant variant = KernelVariant::kOptimized;
};

class KernelContext {
 public:
  // `limits`: the session's (it must outlive the context); null = the defaults.
  KernelContext(const ir::Node& node, const Tensor* const* inputs, int num_inputs,
                Tensor* outputs, int num_outputs, ParallelFor& parallel,
                const Limits* limits = nullptr)
      : node_(node), inputs_(inputs), num_inputs_(num_inputs), outputs_(outputs),
        num_outputs_(num_outputs), parallel_(parallel), limits_(limits) {}
  virtual ~KernelContext() = default;

  const ir::Node& node() const { return node_; }
  int num_inputs() const { return num_inputs_; }
  // nullptr for an omitted optional input.
  const Tensor* input(int i) const { return i < num_inputs_ ? inputs_[i] : nullptr; }
  int num_outputs() const { return num_outputs_; }
  // Whether output i is consumed at all (omitted optional outputs are not).
  bool has_output(int i) const { return i < num_outputs_ && outputs_[i].defined(); }
  // The output with the dtype/shape that infer produced, storage already bound.
  Tensor& output(int i) { return outputs_[i]; }
  // For outputs marked dynamic in infer: binds storage of the given shape. Reuses the bound
  // storage when it is large enough, so a repeated shape does not allocate.
  virtual Result<Tensor*> allocate_output(int i, DType dtype, const Shape& shape);

  void parallel_for(int64_t n, int64_t grain, RangeFn fn) { parallel_.run(n, grain, fn); }
  int num_threads() const { return parallel_.num_threads(); }
  ParallelFor& parallel() { return parallel_; }
  // Resource limits in effect (recinfer/limits.h): data-dependent sizes and counts are checked
  // against them (Loop iterations, dynamic outputs).
  const Limits& limits() const;

  template <typename... Args>
  Status error(StatusCode code, fmt::format_string<Args...> format, Args&&... args) const {
    return Status(code, node_.describe() + ": " + fmt::format(format, std::forward<Args>(args)...));
  }

 private:
  const ir::Node& node_;
  const Tensor* const* inputs_;
  int num_inputs_;
  Tensor* outputs_;
  int num_outputs_;
  ParallelFor& parallel_;
  const Limits* limits_;
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  virtual Status prepare(const PrepareContext& /*ctx*/) { return Status::ok(); }
  virtual Status compute(KernelContext& ctx) const = 0;
};

}  // namespace recinfer::kernels
