// Einsum: the equation is parsed once (make), bound to the input shapes and lowered to gathers
// and batched GEMMs (einsum_plan.h) on every run — both fixed-size, so compute does not
// allocate; permuted operands live in per-thread scratch. float32 products go through oneDNN,
// other dtypes through the naive GEMM tiles of the dense family.
#include <atomic>
#include <cstring>

#include "kernels/conv/conv_kernels.h"
#include "kernels/conv/einsum_plan.h"
#include "kernels/conv/scratch.h"
#include "kernels/dense/dense_scalar.h"
#include "kernels/dense/gemm_tiles.h"
#include "kernels/dispatch.h"

namespace recinfer::kernels {

using namespace conv;  // NOLINT(google-build-using-namespace)

namespace {

// Gathers below this many elements run on the calling thread.
constexpr int64_t kGatherGrain = 16 * 1024;
// Products below this many multiply-adds (batched dot products such as "bnd,bnd->bn", outer
// products of short vectors) run in the naive loops: a oneDNN call costs more than the work.
constexpr int64_t kTinyGemm = 512;

template <typename T>
void run_gather(const T* src, T* dst, const EinsumGather& g, KernelContext& ctx) {
  const int64_t inner = g.rank > 0 ? g.dim[g.rank - 1] : 1;
  const int64_t inner_stride = g.rank > 0 ? g.stride[g.rank - 1] : 0;
  int64_t rows = 1;
  for (int i = 0; i + 1 < g.rank; ++i) rows *= g.dim[i];
  int64_t summed = 1;
  for (int i = 0; i < g.red_rank; ++i) summed *= g.red_dim[i];
  const int64_t grain = std::max<int64_t>(1, kGatherGrain / std::max<int64_t>(1, inner * summed));
  ctx.parallel_for(rows, grain, [&](int64_t begin, int64_t end) {
    // Odometer over the outer dims, started at row `begin`.
    int64_t index[kEinsumMaxViewDims] = {};
    int64_t offset = 0;
    for (int64_t rest = begin, i = g.rank - 2; i >= 0; --i) {
      index[i] = rest % g.dim[i];
      rest /= g.dim[i];
      offset += index[i] * g.stride[i];
    }
    for (int64_t r = begin; r < end; ++r) {
      T* out = dst + r * inner;
      const T* in = src + offset;
      if (g.red_rank == 0 && inner_stride == 1) {
        std::memcpy(out, in, static_cast<size_t>(inner) * sizeof(T));
      } else if (g.red_rank == 0) {
        for (int64_t j = 0; j < inner; ++j) out[j] = in[j * inner_stride];
      } else {
        // Sum the reduced dims into the row, one reduced index at a time (streams the row).
        for (int64_t j = 0; j < inner; ++j) out[j] = T(0);
        int64_t red_index[kEinsumMaxViewDims] = {};
        int64_t red_offset = 0;
        for (int64_t s = 0; s < summed; ++s) {
          const T* part = in + red_offset;
          for (int64_t j = 0; j < inner; ++j) out[j] = dense::wrap_add(out[j], part[j * inner_stride]);
          for (int d = g.red_rank - 1; d >= 0; --d) {
            red_offset += g.red_stride[d];
            if (++red_index[d] < g.red_dim[d]) break;
            red_offset -= red_index[d] * g.red_stride[d];
            red_index[d] = 0;
          }
        }
      }
      for (int d = g.rank - 2; d >= 0; --d) {
        offset += g.stride[d];
        if (++index[d] < g.dim[d]) break;
        offset -= index[d] * g.stride[d];
        index[d] = 0;
      }
    }
  });
}

template <typename T>
Status run_gemm(const EinsumStep& step, const T* a, const T* b, T* y, KernelContext& ctx) {
  const dense::TilePlan tiles = dense::plan_tiles(step.batch, step.m, step.n, step.k, ctx.num_threads());
  [[maybe_unused]] const bool tiny = step.m * step.n * step.k < kTinyGemm;
  std::atomic<int> failure{0};
  ctx.parallel_for(tiles.count(), tiles.grain, [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t) {
      const dense::Tile tile = tiles.tile(t);
      dense::GemmOperands<T> ops;
      ops.a = a + tile.batch * step.a.batch_stride;
      ops.b = b + tile.batch * step.b.batch_stride;
      ops.y = y + tile.batch * step.m * step.n;
      ops.m = step.m;
      ops.n = step.n;
      ops.k = step.k;
      ops.trans_a = step.a.trans;
      ops.trans_b = step.b.trans;
      if constexpr (std::is_same_v<T, float>) {
        if (!tiny) {
          const int status = dense::sgemm_tile(ops, tile, 1.0f, 0.0f);
          if (status != 0) failure.store(status, std::memory_order_relaxed);
          continue;
        }
      }
      dense::naive_gemm_tile(ops, tile);
    }
  });
  if (const int status = failure.load(); status != 0) {
    return ctx.error(StatusCode::kInternal, "oneDNN sgemm failed ({}) for a ({}x{})·({}x{}) product",
                     dense::sgemm_status_name(status), step.m, step.k, step.k, step.n);
  }
  return Status::ok();
}

template <typename T>
Status run_einsum(const EinsumDims& dims, KernelContext& ctx) {
  Tensor& out = ctx.output(0);
  T* y = out.data<T>();
  if (dims.zero_sum) {
    for (int64_t i = 0; i < out.numel(); ++i) y[i] = T(0);
    return Status::ok();
  }
  auto plan = plan_einsum(dims);
  if (!plan.is_ok()) return plan.status().with_context(ctx.node().describe());
  T* scratch = scratch_buffer<T>(static_cast<size_t>(plan->scratch_elements));
  if (scratch == nullptr && plan->scratch_elements > 0) {
    return ctx.error(StatusCode::kInternal, "cannot allocate {} elements of scratch memory",
                     plan->scratch_elements);
  }
  auto at = [&](const EinsumBuffer& buffer) -> T* {
    switch (buffer.kind) {
      case EinsumBuffer::kInput:
        // Inputs are only read; the plan never writes to an input buffer.
        return const_cast<T*>(ctx.input(static_cast<int>(buffer.index))->data<T>());
      case EinsumBuffer::kScratch:
        return scratch + buffer.index;
      case EinsumBuffer::kOutput:
        break;
    }
    return y;
  };
  for (int s = 0; s < plan->num_steps; ++s) {
    const EinsumStep& step = plan->steps[s];
    if (step.gather_a) run_gather<T>(at(step.a_gather.src), at(step.a_gather.dst), step.a_gather, ctx);
    if (step.gather_b) run_gather<T>(at(step.b_gather.src), at(step.b_gather.dst), step.b_gather, ctx);
    RI_RETURN_IF_ERROR(run_gemm<T>(step, at(step.a.buffer), at(step.b.buffer), at(step.y), ctx));
  }
  if (plan->final_gather) run_gather<T>(at(plan->final.src), y, plan->final, ctx);
  return Status::ok();
}

class EinsumKernel final : public Kernel {
 public:
  explicit EinsumKernel(const ir::Node& node)
      : equation_(EinsumEquation::parse(node.attr_string("equation", ""))) {}

  Status prepare(const PrepareContext& ctx) override {
    if (!equation_.is_ok()) return equation_.status().with_context(ctx.node.describe());
    return Status::ok();
  }

  Status compute(KernelContext& ctx) const override {
    if (ctx.output(0).numel() == 0) return Status::ok();
    RI_ASSIGN_OR_RETURN(const EinsumDims dims, bind_inputs(*equation_, ctx));
    return dispatch<dense::kDenseTypes>(ctx.output(0).dtype(), [&](auto tag) -> Status {
      return run_einsum<decltype(tag)>(dims, ctx);
    });
  }

 private:
  Result<EinsumEquation> equation_;
};

}  // namespace

Result<EinsumDims> conv::bind_inputs(const EinsumEquation& equation, const KernelContext& ctx) {
  Shape shapes[kEinsumMaxOperands];
  const int n = std::min(ctx.num_inputs(), kEinsumMaxOperands);
  for (int i = 0; i < n; ++i) shapes[i] = ctx.input(i)->shape();
  auto dims = bind_einsum(equation, std::span<const Shape>(shapes, static_cast<size_t>(n)));
  if (!dims.is_ok()) return dims.status().with_context(ctx.node().describe());
  return dims;
}

Status infer_einsum(InferContext& ctx) {
  auto equation = EinsumEquation::parse(ctx.node().attr_string("equation", ""));
  if (!equation.is_ok()) return equation.status().with_context(ctx.node().describe());
  if (ctx.num_inputs() < 1 || ctx.num_inputs() > kEinsumMaxOperands) {
    return ctx.error(StatusCode::kUnsupported, "{} inputs; 1 to {} are supported", ctx.num_inputs(),
                     kEinsumMaxOperands);
  }
  Shape shapes[kEinsumMaxOperands];
  DType dtype = DType::kUndefined;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    RI_ASSIGN_OR_RETURN(const TensorInfo* input, ctx.required_input(i));
    if (i > 0 && input->dtype != dtype) {
      return ctx.error(StatusCode::kInvalidArgument, "input {} is {} but input 0 is {}", i,
                       dtype_name(input->dtype), dtype_name(dtype));
    }
    dtype = input->dtype;
    shapes[i] = input->shape;
  }
  if (!dtype_in(dtype, dense::kDenseTypes)) {
    return ctx.error(StatusCode::kUnsupported, "dtype {} is not supported", dtype_name(dtype));
  }
  auto dims = bind_einsum(*equation, std::span<const Shape>(shapes, static_cast<size_t>(ctx.num_inputs())));
  if (!dims.is_ok()) return dims.status().with_context(ctx.node().describe());
  ctx.set_output(0, dtype, dims->out_shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_einsum(const ir::Node& node) { return std::make_unique<EinsumKernel>(node); }

}  // namespace recinfer::kernels
