// Naive reference Einsum: one odometer over every label, out[...] += product of the operands.
// Shares only parsing and shape binding (einsum_equation.h) with the optimised kernel.
#include <cmath>

#include "kernels/conv/conv_kernels.h"
#include "kernels/dense/dense_scalar.h"
#include "kernels/dispatch.h"

namespace recinfer::kernels {

using namespace conv;  // NOLINT(google-build-using-namespace)

namespace {

template <typename T>
T wrap_mul(T a, T b) {
  return dense::mul_add(T(0), a, b);
}

template <typename T>
void reference_einsum(const EinsumDims& dims, KernelContext& ctx) {
  Tensor& out = ctx.output(0);
  T* y = out.data<T>();
  for (int64_t i = 0; i < out.numel(); ++i) y[i] = T(0);
  // Every label that has an axis somewhere, with its stride in each operand and the output.
  int count = 0;
  int64_t size[kEinsumLabels] = {};
  int64_t strides[kEinsumLabels][kEinsumMaxOperands + 1] = {};
  LabelMask all = dims.out.mask();
  for (int o = 0; o < dims.num_operands; ++o) all |= dims.operands[o].mask();
  for (int l = 0; l < kEinsumLabels; ++l) {
    if ((all & label_bit(l)) == 0) continue;
    size[count] = dims.size[l];
    for (int o = 0; o < dims.num_operands; ++o) {
      const int axis = dims.operands[o].find(l);
      strides[count][o] = axis >= 0 ? dims.operands[o].stride[axis] : 0;
    }
    const int axis = dims.out.find(l);
    strides[count][dims.num_operands] = axis >= 0 ? dims.out.stride[axis] : 0;
    ++count;
  }
  for (int l = 0; l < count; ++l) {
    if (size[l] == 0) return;
  }
  int64_t index[kEinsumLabels] = {};
  while (true) {
    T product = T(1);
    for (int o = 0; o < dims.num_operands; ++o) {
      int64_t offset = 0;
      for (int l = 0; l < count; ++l) offset += index[l] * strides[l][o];
      product = wrap_mul(product, ctx.input(o)->data<T>()[offset]);
    }
    int64_t out_offset = 0;
    for (int l = 0; l < count; ++l) out_offset += index[l] * strides[l][dims.num_operands];
    y[out_offset] = dense::wrap_add(y[out_offset], product);
    int l = count - 1;
    for (; l >= 0; --l) {
      if (++index[l] < size[l]) break;
      index[l] = 0;
    }
    if (l < 0) break;
  }
}

class EinsumReferenceKernel final : public Kernel {
 public:
  explicit EinsumReferenceKernel(const ir::Node& node)
      : equation_(EinsumEquation::parse(node.attr_string("equation", ""))) {}

  Status prepare(const PrepareContext& ctx) override {
    if (!equation_.is_ok()) return equation_.status().with_context(ctx.node.describe());
    return Status::ok();
  }

  Status compute(KernelContext& ctx) const override {
    RI_ASSIGN_OR_RETURN(const EinsumDims dims, bind_inputs(*equation_, ctx));
    return dispatch<dense::kDenseTypes>(ctx.output(0).dtype(), [&](auto tag) -> Status {
      reference_einsum<decltype(tag)>(dims, ctx);
      return Status::ok();
    });
  }

 private:
  Result<EinsumEquation> equation_;
};

}  // namespace

std::unique_ptr<Kernel> make_einsum_reference(const ir::Node& node) {
  return std::make_unique<EinsumReferenceKernel>(node);
}

// FLOPs from shapes alone (the schema's work function does not see the equation): for a
// two-operand contraction |A|·|B|·|Y| = (batch·M·N·K)² · batch, where the batch dims are the
// leading dims the three share, so 2·batch·M·N·K = 2·sqrt(|A|·|B|·|Y| / batch). One operand:
// one add per input element; more: the same estimate over the first two and the output.
OpWork einsum_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out) {
  OpWork work;
  if (in.empty() || out.empty() || !in[0].present) return work;
  const double a = static_cast<double>(in[0].shape.numel());
  if (in.size() == 1 || !in[1].present) {
    work.flops = a;
    return work;
  }
  const Shape& sa = in[0].shape;
  const Shape& sb = in[1].shape;
  const Shape& sy = out[0].shape;
  double batch = 1;
  for (int d = 0; d < sa.rank() && d < sb.rank() && d < sy.rank(); ++d) {
    if (sa[d] != sb[d] || sa[d] != sy[d]) break;
    batch *= static_cast<double>(sa[d]);
  }
  const double product = a * static_cast<double>(sb.numel()) * static_cast<double>(sy.numel());
  if (batch > 0) work.flops = 2.0 * std::sqrt(product / batch);
  return work;
}

}  // namespace recinfer::kernels
