// RandomNormal, RandomUniform, their *Like forms, and Bernoulli. Output shapes are static: from
// attribute `shape`, or the input's shape for the *Like ops and Bernoulli.
//
// Seeding: with attribute `seed` every run of a session produces the same values (the stream
// key is the seed), which makes seeded models reproducible; without it the key is a per-kernel
// std::random_device seed combined with a run counter, so every run draws new values. The
// values are a counter-based stream (random_stream.h): compute() allocates nothing, keeps no
// generator state and gives the same values however it is scheduled. Note that a random op
// whose inputs are all constant (RandomNormal/RandomUniform have none) is folded at plan time
// like any other such node, so it yields one draw per session.
#include <atomic>
#include <bit>
#include <chrono>
#include <random>

#include "kernels/dispatch.h"
#include "kernels/elementwise/convert.h"
#include "kernels/random/random_ops.h"
#include "kernels/random/random_stream.h"
#include "ir/dtype_code.h"

namespace recinfer::kernels {

namespace {

enum class Distribution { kNormal, kUniform, kBernoulli };

uint64_t device_seed() {
  try {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  } catch (...) {  // no entropy source: the clock still differs between kernels and runs
    return static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
}

class RandomKernel final : public Kernel {
 public:
  RandomKernel(const ir::Node& node, Distribution distribution)
      : distribution_(distribution),
        seeded_(node.has_attr("seed")),
        seed_key_(seeded_ ? std::bit_cast<uint32_t>(node.attr_float("seed", 0.0f))
                          : device_seed()),
        // RandomNormal: mean/scale; RandomUniform: low/high.
        a_(distribution == Distribution::kNormal ? node.attr_float("mean", 0.0f)
                                                 : node.attr_float("low", 0.0f)),
        b_(distribution == Distribution::kNormal ? node.attr_float("scale", 1.0f)
                                                 : node.attr_float("high", 1.0f)) {}

  Status compute(KernelContext& ctx) const override {
    const uint64_t run = seeded_ ? 0 : runs_.fetch_add(1, std::memory_order_relaxed);
    const random::RandomStream stream(seed_key_ ^ random::mix64(run));
    Tensor& out = ctx.output(0);
    const int64_t n = out.numel();
    if (distribution_ == Distribution::kBernoulli) {
      const Tensor& p = *ctx.input(0);
      return dispatch<kFloats>(p.dtype(), [&](auto p_tag) {
        using P = decltype(p_tag);
        return dispatch<kAll>(out.dtype(), [&](auto out_tag) {
          using T = decltype(out_tag);
          for (int64_t i = 0; i < n; ++i) {
            const bool one = stream.uniform(static_cast<uint64_t>(i)) < p.data<P>()[i];
            out.data<T>()[i] = convert_value<T>(one);
          }
          return Status::ok();
        });
      });
    }
    return dispatch<kFloats>(out.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* data = out.data<T>();
      if (distribution_ == Distribution::kUniform) {
        for (int64_t i = 0; i < n; ++i) {
          data[i] = static_cast<T>(a_ + (b_ - a_) * stream.uniform(static_cast<uint64_t>(i)));
        }
        return Status::ok();
      }
      for (int64_t i = 0; i < n; i += 2) {
        double first = 0, second = 0;
        stream.normal_pair(static_cast<uint64_t>(i / 2), &first, &second);
        data[i] = static_cast<T>(a_ + b_ * first);
        if (i + 1 < n) data[i + 1] = static_cast<T>(a_ + b_ * second);
      }
      return Status::ok();
    });
  }

 private:
  Distribution distribution_;
  bool seeded_;
  uint64_t seed_key_;
  double a_;
  double b_;
  mutable std::atomic<uint64_t> runs_{0};
};

// The output dtype: attribute `dtype` when present, else `fallback` (float for the
// shape-attribute ops, the input's dtype for the others), checked against `allowed`.
Status output_dtype(InferContext& ctx, DType fallback, uint32_t allowed, DType* dtype) {
  *dtype = fallback;
  if (ctx.node().has_attr("dtype")) {
    const int64_t code = ctx.node().attr_int("dtype", 1);
    *dtype = ir::dtype_from_code(code);
    if (*dtype == DType::kUndefined) {
      return ctx.error(StatusCode::kUnsupported, "attribute dtype={} is not a supported type",
                       code);
    }
  }
  if (!dtype_in(*dtype, allowed)) {
    return ctx.error(StatusCode::kUnsupported, "output dtype {} is not supported",
                     dtype_name(*dtype));
  }
  return Status::ok();
}

Status infer_from_shape_attribute(InferContext& ctx) {
  if (ctx.num_inputs() != 0) {
    return ctx.error(StatusCode::kInvalidArgument, "takes no inputs, got {}", ctx.num_inputs());
  }
  if (!ctx.node().has_attr("shape")) {
    return ctx.error(StatusCode::kInvalidArgument, "missing required attribute 'shape'");
  }
  const std::vector<int64_t> dims = ctx.node().attr_ints("shape");
  if (static_cast<int>(dims.size()) > Shape::kMaxRank) {
    return ctx.error(StatusCode::kUnsupported, "attribute shape has rank {} (at most {})",
                     dims.size(), Shape::kMaxRank);
  }
  for (int64_t d : dims) {
    if (d < 0) {
      return ctx.error(StatusCode::kInvalidArgument, "attribute shape has a negative dim {}", d);
    }
  }
  DType dtype;
  RI_RETURN_IF_ERROR(output_dtype(ctx, DType::kFloat32, kFloats, &dtype));
  ctx.set_output(0, dtype, Shape(dims));
  return Status::ok();
}

Status infer_like(InferContext& ctx, uint32_t input_types, uint32_t output_types) {
  if (ctx.num_inputs() != 1) {
    return ctx.error(StatusCode::kInvalidArgument, "expects 1 input, got {}", ctx.num_inputs());
  }
  RI_ASSIGN_OR_RETURN(const TensorInfo* in, ctx.required_input(0));
  if (!dtype_in(in->dtype, input_types)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(in->dtype));
  }
  DType dtype;
  RI_RETURN_IF_ERROR(output_dtype(ctx, in->dtype, output_types, &dtype));
  ctx.set_output(0, dtype, in->shape);
  return Status::ok();
}

}  // namespace

Status infer_random_from_shape(InferContext& ctx) { return infer_from_shape_attribute(ctx); }
Status infer_random_like(InferContext& ctx) { return infer_like(ctx, kAll, kFloats); }
Status infer_bernoulli(InferContext& ctx) { return infer_like(ctx, kFloats, kAll); }

std::unique_ptr<Kernel> make_random_normal(const ir::Node& node) {
  return std::make_unique<RandomKernel>(node, Distribution::kNormal);
}
std::unique_ptr<Kernel> make_random_uniform(const ir::Node& node) {
  return std::make_unique<RandomKernel>(node, Distribution::kUniform);
}
std::unique_ptr<Kernel> make_bernoulli(const ir::Node& node) {
  return std::make_unique<RandomKernel>(node, Distribution::kBernoulli);
}

}  // namespace recinfer::kernels
