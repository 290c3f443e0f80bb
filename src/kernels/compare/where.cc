// Where(condition, X, Y): three-way broadcast select.
//
// Selecting never looks at the value, only moves it, so the optimised kernel works on unsigned
// integers of the element's width (float, int32 and uint32 share one instantiation); that also
// lets the select be a branch-free mask blend the compiler vectorises.
#include <array>
#include <cstring>
#include <memory>

#include "kernels/compare/broadcast.h"
#include "kernels/compare/compare_family.h"
#include "kernels/dispatch.h"

namespace recinfer::kernels::compare {
namespace {

Status infer_where(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* condition, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(1));
  RI_ASSIGN_OR_RETURN(const TensorInfo* y, ctx.required_input(2));
  if (condition->dtype != DType::kBool) {
    return ctx.error(StatusCode::kInvalidArgument, "condition must be bool, got {}",
                     dtype_name(condition->dtype));
  }
  if (x->dtype != y->dtype) {
    return ctx.error(StatusCode::kInvalidArgument, "input X is {} but input Y is {}",
                     dtype_name(x->dtype), dtype_name(y->dtype));
  }
  // ONNX allows every tensor type here; string and 16-bit floats have no kernels in recinfer.
  if (!dtype_in(x->dtype, kAll)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  const std::array<Shape, 3> shapes = {condition->shape, x->shape, y->shape};
  const std::array<std::string_view, 3> names = {"condition", "X", "Y"};
  auto shape = broadcast_shapes(shapes, names);
  if (!shape.is_ok()) return shape.status().with_context(ctx.node().describe());
  ctx.set_output(0, x->dtype, *shape);
  return Status::ok();
}

// One contiguous run; kStepX/kStepY: whether X/Y advance along it or are broadcast scalars.
template <typename T, bool kStepX, bool kStepY>
void select_run(const uint8_t* __restrict__ condition, const T* __restrict__ x,
                const T* __restrict__ y, T* __restrict__ out, int64_t count) {
  const T x0 = *x;
  const T y0 = *y;
  for (int64_t j = 0; j < count; ++j) {
    const T mask = static_cast<T>(0) - static_cast<T>(condition[j] != 0);
    const T xv = kStepX ? x[j] : x0;
    const T yv = kStepY ? y[j] : y0;
    out[j] = static_cast<T>((xv & mask) | (yv & static_cast<T>(~mask)));
  }
}

// Condition constant along the run: the run is a copy (or fill) from one side.
template <typename T>
void copy_run(const T* __restrict__ source, bool step, T* __restrict__ out, int64_t count) {
  if (step) {
    std::memcpy(out, source, static_cast<size_t>(count) * sizeof(T));
  } else {
    const T value = *source;
    for (int64_t j = 0; j < count; ++j) out[j] = value;
  }
}

template <typename T>
void where_broadcast(const Tensor& condition, const Tensor& x, const Tensor& y, Tensor& out,
                     KernelContext& ctx) {
  const auto layout =
      make_broadcast_layout<3>(out.shape(), {condition.shape(), x.shape(), y.shape()});
  const uint8_t* c_data = condition.data<uint8_t>();
  const T* x_data = static_cast<const T*>(x.raw());
  const T* y_data = static_cast<const T*>(y.raw());
  T* out_data = static_cast<T*>(out.raw());
  const bool step_c = layout.inner_stride(0) != 0;
  const bool step_x = layout.inner_stride(1) != 0;
  const bool step_y = layout.inner_stride(2) != 0;
  if (!step_c) {
    for_each_broadcast_block(layout, ctx, [&](const std::array<int64_t, 3>& offsets,
                                              int64_t out_offset, int64_t count) {
      if (c_data[offsets[0]] != 0) {
        copy_run(x_data + offsets[1], step_x, out_data + out_offset, count);
      } else {
        copy_run(y_data + offsets[2], step_y, out_data + out_offset, count);
      }
    });
    return;
  }
  auto run = [&]<bool kStepX, bool kStepY>() {
    for_each_broadcast_block(layout, ctx, [&](const std::array<int64_t, 3>& offsets,
                                              int64_t out_offset, int64_t count) {
      select_run<T, kStepX, kStepY>(c_data + offsets[0], x_data + offsets[1],
                                    y_data + offsets[2], out_data + out_offset, count);
    });
  };
  if (step_x && step_y) {
    run.template operator()<true, true>();
  } else if (step_x) {
    run.template operator()<true, false>();
  } else if (step_y) {
    run.template operator()<false, true>();
  } else {
    run.template operator()<false, false>();
  }
}

class WhereKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& condition = *ctx.input(0);
    const Tensor& x = *ctx.input(1);
    const Tensor& y = *ctx.input(2);
    Tensor& out = ctx.output(0);
    switch (dtype_size(x.dtype())) {
      case 1: where_broadcast<uint8_t>(condition, x, y, out, ctx); break;
      case 2: where_broadcast<uint16_t>(condition, x, y, out, ctx); break;
      case 4: where_broadcast<uint32_t>(condition, x, y, out, ctx); break;
      case 8: where_broadcast<uint64_t>(condition, x, y, out, ctx); break;
      default:
        return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                         dtype_name(x.dtype()));
    }
    return Status::ok();
  }
};

// Naive typed select with per-element index mapping; the oracle for WhereKernel.
class WhereReference final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& condition = *ctx.input(0);
    const Tensor& x = *ctx.input(1);
    const Tensor& y = *ctx.input(2);
    Tensor& out = ctx.output(0);
    return dispatch<kAll>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const bool* c_data = condition.data<bool>();
      const T* x_data = x.data<T>();
      const T* y_data = y.data<T>();
      T* out_data = out.data<T>();
      const Shape& shape = out.shape();
      const int64_t numel = out.numel();
      for (int64_t i = 0; i < numel; ++i) {
        out_data[i] = c_data[broadcast_offset(condition.shape(), shape, i)]
                          ? x_data[broadcast_offset(x.shape(), shape, i)]
                          : y_data[broadcast_offset(y.shape(), shape, i)];
      }
      return Status::ok();
    });
  }
};

std::unique_ptr<Kernel> make_where(const ir::Node& /*node*/) {
  return std::make_unique<WhereKernel>();
}
std::unique_ptr<Kernel> make_where_reference(const ir::Node& /*node*/) {
  return std::make_unique<WhereReference>();
}

}  // namespace

void register_where_op(KernelRegistry& registry) {
  registry.add(ir::OpType::kWhere, {&infer_where, &make_where, &make_where_reference});
}

}  // namespace recinfer::kernels::compare
