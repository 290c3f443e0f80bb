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

#include <algorithm>
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
    if (!declared(i)) return;
    outputs_[static_cast<size_t>(i)] = {dtype, shape, nullptr};
    int64_t numel = 0;
    const auto elem = static_cast<int64_t>(std::max<size_t>(dtype_size(dtype), 1));
    if (!shape.checked_numel(&numel, kMaxTensorBytes / elem) && oversized_output_ < 0) {
      oversized_output_ = i;
    }
  }
  // The output's shape depends on input values that are not known yet (or on the data itself,
  // as for NonZero): the runtime allocates it when the kernel runs.
  void set_output_dynamic(int i, DType dtype) {
    if (!declared(i)) return;
    outputs_[static_cast<size_t>(i)] = {dtype, Shape(), nullptr};
    dynamic_.resize(outputs_.size(), false);
    dynamic_[static_cast<size_t>(i)] = true;
  }
  bool output_dynamic(int i) const {
    return static_cast<size_t>(i) < dynamic_.size() && dynamic_[static_cast<size_t>(i)];
  }
  const TensorInfo& output(int i) const { return outputs_[static_cast<size_t>(i)]; }
  // What a malformed model can make infer describe, refused by the callers of infer before any
  // kernel runs (set_output only records it): more outputs than the node declares (a Transpose
  // with no output; compute would write past the step's outputs), or an output too large to
  // exist (its byte count would wrap in the arena plan).
  Status check_outputs() const {
    if (undeclared_outputs_ > 0) {
      return error(StatusCode::kInvalidArgument,
                   "the op writes {} outputs but the node declares {}", undeclared_outputs_,
                   outputs_.size());
    }
    if (oversized_output_ >= 0) {
      const TensorInfo& out = outputs_[static_cast<size_t>(oversized_output_)];
      return error(StatusCode::kInvalidArgument,
                   "output {} shape {} of {} has a negative dim or is larger than {} GiB",
                   oversized_output_, out.shape.to_string(), dtype_name(out.dtype),
                   kMaxTensorBytes >> 30);
    }
    return Status::ok();
  }

  // Error prefixed with the node's description.
  template <typename... Args>
  Status error(StatusCode code, fmt::format_string<Args...> format, Args&&... args) const {
    return Status(code, node_.describe() + ": " + fmt::format(format, std::forward<Args>(args)...));
  }

 private:
  bool declared(int i) {
    if (i >= 0 && static_cast<size_t>(i) < outputs_.size()) return true;
    undeclared_outputs_ = std::max(undeclared_outputs_, i + 1);
    return false;
  }

  const ir::Node& node_;
  std::vector<const TensorInfo*> inputs_;
  std::vector<TensorInfo> outputs_;
  std::vector<bool> dynamic_;
  int undeclared_outputs_ = 0;
  int oversized_output_ = -1;
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
  // Whether output i is consumed at all (omitted optional outputs are not). An omitted output
  // may still have scratch storage (the runtime gives every output infer describes some), so
  // this asks the node, not the tensor.
  bool has_output(int i) const {
    return i >= 0 && i < num_outputs_ && static_cast<size_t>(i) < node_.outputs.size() &&
           node_.outputs[static_cast<size_t>(i)] != ir::kNoValue;
  }
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
