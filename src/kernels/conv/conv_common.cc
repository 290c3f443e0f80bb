#include "kernels/conv/conv_common.h"

#include "kernels/dispatch.h"

namespace recinfer::kernels::conv {

Shape ConvShape::output_shape() const {
  Shape shape{batch, out_channels};
  for (int i = 0; i < geometry.rank; ++i) shape.push_back(geometry.out[i]);
  return shape;
}

Result<ConvShape> bind_conv(const ir::Node& node, const WindowAttributes& attrs, bool transposed,
                            const Shape& x, const Shape& w, const Shape* bias) {
  ConvShape s;
  if (x.rank() < 3 || w.rank() != x.rank()) {
    return invalid_argument("{}: X {} and W {} must have the same rank of at least 3", node.describe(),
                            x.to_string(), w.to_string());
  }
  s.batch = x[0];
  s.in_channels = x[1];
  s.group = attrs.group;
  if (s.in_channels % s.group != 0) {
    return invalid_argument("{}: {} input channels do not split into group {}", node.describe(),
                            s.in_channels, s.group);
  }
  if (transposed) {
    if (w[0] != s.in_channels) {
      return invalid_argument("{}: W {} has {} input channels, X {} has {}", node.describe(),
                              w.to_string(), w[0], x.to_string(), s.in_channels);
    }
    s.out_channels = w[1] * s.group;
  } else {
    if (w[1] * s.group != s.in_channels || w[0] % s.group != 0) {
      return invalid_argument("{}: W {} does not fit X {} with group {}", node.describe(),
                              w.to_string(), x.to_string(), s.group);
    }
    s.out_channels = w[0];
  }
  if (bias != nullptr && (bias->rank() != 1 || (*bias)[0] != s.out_channels)) {
    return invalid_argument("{}: B {} must be ({})", node.describe(), bias->to_string(), s.out_channels);
  }
  auto geometry = transposed ? transpose_geometry(attrs, x.data() + 2, w.data() + 2, x.rank() - 2)
                             : forward_geometry(attrs, x.data() + 2, w.data() + 2, x.rank() - 2);
  if (!geometry.is_ok()) return geometry.status().with_context(node.describe());
  s.geometry = *geometry;
  return s;
}

Status infer_conv_like(InferContext& ctx, bool transposed) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* w, ctx.required_input(1));
  const TensorInfo* b = ctx.input(2);
  if (!dtype_in(x->dtype, kFloats)) {
    return ctx.error(StatusCode::kUnsupported, "dtype {} is not supported", dtype_name(x->dtype));
  }
  if (w->dtype != x->dtype || (b != nullptr && b->dtype != x->dtype)) {
    return ctx.error(StatusCode::kInvalidArgument, "X, W and B must share one dtype");
  }
  auto attrs = WindowAttributes::from(ctx.node());
  if (!attrs.is_ok()) return attrs.status();
  RI_ASSIGN_OR_RETURN(const ConvShape s, bind_conv(ctx.node(), *attrs, transposed, x->shape, w->shape,
                                                   b != nullptr ? &b->shape : nullptr));
  ctx.set_output(0, x->dtype, s.output_shape());
  return Status::ok();
}

}  // namespace recinfer::kernels::conv
