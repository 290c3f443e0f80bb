// ONNX Loop, general: optional trip count M, optional condition, loop-carried values and scan
// outputs, body reading outer values through captures. The body is planned once with unknown
// input shapes (so it runs with dynamic shapes); each iteration's carried values are copied out
// because the body's buffers are reused by the next iteration.
#include <algorithm>
#include <cstring>

#include "runtime/control_flow.h"
#include "runtime/executor.h"

namespace recinfer::runtime {

namespace {

// Far beyond any real model; stops a Loop without trip count whose condition never turns false
// (unless Limits::max_loop_iterations is lower).
constexpr int64_t kMaxIterationsWithoutTripCount = int64_t{1} << 26;

class LoopKernel final : public kernels::Kernel {
 public:
  Status prepare(const kernels::PrepareContext& ctx) override {
    const ir::Attribute* attr = ctx.node.attr("body");
    if (attr == nullptr || attr->kind != ir::Attribute::Kind::kGraph || !attr->graph) {
      return invalid_argument("{}: missing 'body' graph", ctx.node.describe());
    }
    auto compiled = CompiledGraph::compile(attr->graph, ctx.variant);
    if (!compiled.is_ok()) return compiled.status().with_context(ctx.node.describe() + " body");
    body_ = std::move(compiled).value();
    const ir::Graph& body = body_->graph();
    std::vector<std::optional<InputBinding>> unknown(body.inputs.size() + body.captures.size());
    auto plan = build_plan(*body_, unknown);
    if (!plan.is_ok()) return plan.status().with_context(ctx.node.describe() + " body");
    plan_ = std::move(plan).value();
    return Status::ok();
  }

  Status compute(kernels::KernelContext& ctx) const override;

 private:
  std::shared_ptr<const CompiledGraph> body_;
  std::shared_ptr<const Plan> plan_;
};

Status LoopKernel::compute(kernels::KernelContext& ctx) const {
  const ir::Node& node = ctx.node();
  const int num_carried = node.num_declared_inputs - 2;
  const int num_body_outputs = static_cast<int>(body_->graph().outputs.size());
  const int num_scans = num_body_outputs - 1 - num_carried;

  int64_t trip_count = -1;
  if (const Tensor* m = ctx.input(0)) {
    if (m->numel() != 1 || m->dtype() != DType::kInt64) {
      return ctx.error(StatusCode::kInvalidArgument, "trip count M must be an int64 scalar, got {}{}",
                       dtype_name(m->dtype()), m->shape().to_string());
    }
    trip_count = m->data<int64_t>()[0];
  }
  const int64_t max_iterations = ctx.limits().max_loop_iterations;
  if (trip_count > max_iterations) {
    return ctx.error(StatusCode::kOutOfRange,
                     "trip count M = {} is more than the Loop iteration limit {} (raise with "
                     "--max-loop-iterations)",
                     trip_count, max_iterations);
  }
  const int64_t max_without_trip_count = std::min(kMaxIterationsWithoutTripCount, max_iterations);
  bool cond = true;
  if (const Tensor* c = ctx.input(1)) {
    if (c->numel() != 1 || c->dtype() != DType::kBool) {
      return ctx.error(StatusCode::kInvalidArgument, "cond must be a bool scalar, got {}{}",
                       dtype_name(c->dtype()), c->shape().to_string());
    }
    cond = c->data<bool>()[0];
  }

  RI_ASSIGN_OR_RETURN(auto executor, Executor::create(body_, plan_, &ctx.limits()));
  RI_ASSIGN_OR_RETURN(Tensor iter_tensor, Tensor::allocate(DType::kInt64, Shape{}));
  RI_ASSIGN_OR_RETURN(Tensor cond_tensor, Tensor::allocate(DType::kBool, Shape{}));
  std::vector<Tensor> carried(static_cast<size_t>(num_carried));
  for (int k = 0; k < num_carried; ++k) {
    const Tensor* init = ctx.input(2 + k);
    if (init == nullptr) return ctx.error(StatusCode::kInvalidArgument, "loop-carried input {} missing", k);
    carried[static_cast<size_t>(k)] = *init;
  }
  std::vector<std::vector<Tensor>> scans(static_cast<size_t>(std::max(num_scans, 0)));
  std::vector<uint64_t> scan_bytes(scans.size(), 0);  // each scan output's size so far

  std::vector<const Tensor*> body_inputs(2 + static_cast<size_t>(num_carried) +
                                         body_->graph().captures.size());
  for (size_t c = 0; c < body_->graph().captures.size(); ++c) {
    body_inputs[2 + static_cast<size_t>(num_carried) + c] =
        ctx.input(node.num_declared_inputs + static_cast<int>(c));
  }

  int64_t iter = 0;
  for (; (trip_count < 0 || iter < trip_count) && cond; ++iter) {
    if (trip_count < 0 && iter >= max_without_trip_count) {
      return ctx.error(StatusCode::kOutOfRange,
                       "no trip count and the condition stayed true for {} iterations (the limit; "
                       "raise with --max-loop-iterations)",
                       iter);
    }
    iter_tensor.data<int64_t>()[0] = iter;
    cond_tensor.data<bool>()[0] = cond;
    body_inputs[0] = &iter_tensor;
    body_inputs[1] = &cond_tensor;
    for (int k = 0; k < num_carried; ++k) body_inputs[2 + static_cast<size_t>(k)] = &carried[static_cast<size_t>(k)];
    RI_RETURN_IF_ERROR(executor->run(body_inputs.data(), body_inputs.size(), ctx.parallel()));
    const Tensor& cond_out = executor->output(0);
    if (cond_out.numel() != 1 || cond_out.dtype() != DType::kBool) {
      return ctx.error(StatusCode::kInvalidArgument, "body condition output must be a bool scalar");
    }
    cond = cond_out.data<bool>()[0];
    for (int k = 0; k < num_carried; ++k) {
      RI_ASSIGN_OR_RETURN(carried[static_cast<size_t>(k)], executor->output(1 + static_cast<size_t>(k)).clone());
    }
    for (int s = 0; s < num_scans; ++s) {
      RI_ASSIGN_OR_RETURN(Tensor copy, executor->output(1 + static_cast<size_t>(num_carried + s)).clone());
      auto& list = scans[static_cast<size_t>(s)];
      if (!list.empty() && list.front().shape() != copy.shape()) {
        return ctx.error(StatusCode::kInvalidArgument,
                         "scan output {} changes shape across iterations: {} then {}", s,
                         list.front().shape().to_string(), copy.shape().to_string());
      }
      uint64_t& bytes = scan_bytes[static_cast<size_t>(s)];
      bytes += copy.bytes();
      if (bytes > ctx.limits().max_tensor_bytes) {
        return ctx.error(StatusCode::kOutOfRange,
                         "scan output {} grows past the tensor limit {} after {} iterations (raise "
                         "with --max-tensor-bytes)",
                         s, format_bytes(ctx.limits().max_tensor_bytes), iter + 1);
      }
      list.push_back(std::move(copy));
    }
  }

  for (int k = 0; k < num_carried && k < ctx.num_outputs(); ++k) {
    if (!ctx.node().outputs.empty() && ctx.node().outputs[static_cast<size_t>(k)] == ir::kNoValue) continue;
    const Tensor& value = carried[static_cast<size_t>(k)];
    RI_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(k, value.dtype(), value.shape()));
    if (value.bytes() > 0) std::memcpy(out->raw(), value.raw(), value.bytes());
  }
  for (int s = 0; s < num_scans && num_carried + s < ctx.num_outputs(); ++s) {
    const int o = num_carried + s;
    if (ctx.node().outputs[static_cast<size_t>(o)] == ir::kNoValue) continue;
    const auto& list = scans[static_cast<size_t>(s)];
    Shape shape;
    shape.push_back(static_cast<int64_t>(list.size()));
    DType dtype = ctx.output(o).dtype();
    if (!list.empty()) {
      dtype = list.front().dtype();
      if (list.front().rank() + 1 > Shape::kMaxRank) {
        return ctx.error(StatusCode::kUnsupported, "scan output {} rank too high", s);
      }
      for (int64_t d : list.front().shape()) shape.push_back(d);
    } else {
      // No iteration ran: use the body's declared element shape where it is fixed.
      const ir::Value& decl = body_->graph().value(body_->graph().outputs[static_cast<size_t>(1 + o)]);
      if (decl.declared_shape) {
        for (const ir::Dim& d : *decl.declared_shape) shape.push_back(d.is_fixed() ? d.size : 0);
      }
    }
    if (dtype == DType::kUndefined) dtype = DType::kFloat32;
    RI_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(o, dtype, shape));
    auto* dst = static_cast<char*>(out->raw());
    for (const Tensor& t : list) {
      if (t.bytes() > 0) std::memcpy(dst, t.raw(), t.bytes());
      dst += t.bytes();
    }
  }
  return Status::ok();
}

}  // namespace

std::unique_ptr<kernels::Kernel> make_loop_kernel() { return std::make_unique<LoopKernel>(); }

}  // namespace recinfer::runtime

