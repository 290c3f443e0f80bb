#include "kernels/rnn/rnn_common.h"

#include <algorithm>
#include <cctype>

#include "kernels/dispatch.h"

namespace recinfer::kernels::rnn {
namespace {

struct ActivationInfo {
  const char* name;
  ActivationKind kind;
  bool uses_alpha, uses_beta;
  float alpha, beta;  // defaults (those of the ONNX operators of the same name)
};

constexpr ActivationInfo kActivations[] = {
    {"relu", ActivationKind::kRelu, false, false, 0, 0},
    {"tanh", ActivationKind::kTanh, false, false, 0, 0},
    {"sigmoid", ActivationKind::kSigmoid, false, false, 0, 0},
    {"affine", ActivationKind::kAffine, true, true, 1.0f, 0.0f},
    {"leakyrelu", ActivationKind::kLeakyRelu, true, false, 0.01f, 0},
    {"thresholdedrelu", ActivationKind::kThresholdedRelu, true, false, 1.0f, 0},
    {"scaledtanh", ActivationKind::kScaledTanh, true, true, 1.0f, 1.0f},
    {"hardsigmoid", ActivationKind::kHardSigmoid, true, true, 0.2f, 0.5f},
    {"elu", ActivationKind::kElu, true, false, 1.0f, 0},
    {"softsign", ActivationKind::kSoftsign, false, false, 0, 0},
    {"softplus", ActivationKind::kSoftplus, false, false, 0, 0},
};

const ActivationInfo* find_activation(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const ActivationInfo& info : kActivations) {
    if (name == info.name) return &info;
  }
  return nullptr;
}

Status check_shape(const ir::Node& node, const char* name, const Shape* shape, const Shape& want) {
  if (shape == nullptr || *shape == want) return Status::ok();
  return invalid_argument("{}: {} has shape {}, expected {}", node.describe(), name, shape->to_string(),
                          want.to_string());
}

}  // namespace

Result<RnnAttributes> RnnAttributes::from(const ir::Node& node, CellKind cell) {
  RnnAttributes a;
  a.cell = cell;
  const std::string direction = node.attr_string("direction", "forward");
  if (direction == "bidirectional") {
    a.directions = 2;
  } else if (direction == "reverse") {
    a.reverse = true;
  } else if (direction != "forward") {
    return invalid_argument("{}: direction '{}' is not forward, reverse or bidirectional", node.describe(), direction);
  }
  a.hidden_size = node.attr_int("hidden_size", -1);
  a.layout = static_cast<int>(node.attr_int("layout", 0));
  if (a.layout != 0 && a.layout != 1) return invalid_argument("{}: layout {} is not 0 or 1", node.describe(), a.layout);
  if (node.has_attr("clip")) {
    a.clip = node.attr_float("clip", 0.0f);
    if (!(a.clip > 0.0f)) return invalid_argument("{}: clip {} must be positive", node.describe(), a.clip);
  }
  a.linear_before_reset = node.attr_int("linear_before_reset", 0) != 0;
  a.input_forget = node.attr_int("input_forget", 0) != 0;
  const int per_direction = functions(cell);
  std::vector<std::string> names;
  if (const ir::Attribute* attr = node.attr("activations"); attr != nullptr) names = attr->strings;
  if (names.empty()) {
    const char* defaults[] = {cell == CellKind::kRnn ? "Tanh" : "Sigmoid", "Tanh", "Tanh"};
    names.assign(defaults, defaults + per_direction);
  }
  // One direction's list given for a bidirectional node applies to both.
  if (a.directions == 2 && names.size() == static_cast<size_t>(per_direction)) {
    const std::vector<std::string> forward = names;
    names.insert(names.end(), forward.begin(), forward.end());
  }
  if (names.size() != static_cast<size_t>(per_direction * a.directions)) {
    return invalid_argument("{}: {} activations given, expected {}", node.describe(), names.size(),
                            per_direction * a.directions);
  }
  const std::vector<float> alphas = node.attr_floats("activation_alpha");
  const std::vector<float> betas = node.attr_floats("activation_beta");
  size_t next_alpha = 0, next_beta = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    const ActivationInfo* info = find_activation(names[i]);
    if (info == nullptr) return unsupported("{}: activation '{}' is not supported", node.describe(), names[i]);
    GateActivation& g = a.activations[i];
    g.kind = info->kind;
    g.alpha = info->alpha;
    g.beta = info->beta;
    if (info->uses_alpha && next_alpha < alphas.size()) g.alpha = alphas[next_alpha++];
    if (info->uses_beta && next_beta < betas.size()) g.beta = betas[next_beta++];
  }
  return a;
}

Result<RnnShape> bind_rnn(const ir::Node& node, const RnnAttributes& attrs, const Shape* const* shapes,
                          int num_inputs) {
  auto shape = [&](int i) -> const Shape* { return i < num_inputs ? shapes[i] : nullptr; };
  const Shape* x = shape(kX);
  const Shape* w = shape(kW);
  const Shape* r = shape(kR);
  if (x == nullptr || w == nullptr || r == nullptr) {
    return invalid_argument("{}: X, W and R are required", node.describe());
  }
  if (x->rank() != 3 || w->rank() != 3 || r->rank() != 3) {
    return invalid_argument("{}: X {}, W {} and R {} must have rank 3", node.describe(), x->to_string(),
                            w->to_string(), r->to_string());
  }
  RnnShape s;
  s.directions = attrs.directions;
  s.gates = RnnAttributes::gates(attrs.cell);
  s.seq = attrs.layout == 0 ? (*x)[0] : (*x)[1];
  s.batch = attrs.layout == 0 ? (*x)[1] : (*x)[0];
  s.input = (*x)[2];
  s.hidden = attrs.hidden_size >= 0 ? attrs.hidden_size : (*r)[2];
  // R is (directions, gates x hidden, hidden): hidden_size must agree with it, which also keeps
  // gates x hidden from overflowing for a malformed attribute.
  if (s.hidden != (*r)[2] || s.hidden > (int64_t{1} << 40)) {
    return invalid_argument("{}: hidden_size {} does not match R {}", node.describe(), s.hidden,
                            r->to_string());
  }
  const int64_t dirs = s.directions, gh = s.gate_width(), h = s.hidden;
  RI_RETURN_IF_ERROR(check_shape(node, "W", w, Shape{dirs, gh, s.input}));
  RI_RETURN_IF_ERROR(check_shape(node, "R", r, Shape{dirs, gh, h}));
  RI_RETURN_IF_ERROR(check_shape(node, "B", shape(kB), Shape{dirs, 2 * gh}));
  RI_RETURN_IF_ERROR(check_shape(node, "sequence_lens", shape(kSequenceLens), Shape{s.batch}));
  const Shape state = attrs.layout == 0 ? Shape{dirs, s.batch, h} : Shape{s.batch, dirs, h};
  RI_RETURN_IF_ERROR(check_shape(node, "initial_h", shape(kInitialH), state));
  if (attrs.cell == CellKind::kLstm) {
    RI_RETURN_IF_ERROR(check_shape(node, "initial_c", shape(kInitialC), state));
    RI_RETURN_IF_ERROR(check_shape(node, "P", shape(kPeepholes), Shape{dirs, 3 * h}));
  }
  return s;
}

Status sequence_lengths(const KernelContext& ctx, const RnnShape& s, int32_t* lengths) {
  const Tensor* lens = ctx.input(kSequenceLens);
  for (int64_t b = 0; b < s.batch; ++b) {
    const int64_t len = lens != nullptr ? lens->data<int32_t>()[b] : s.seq;
    if (len < 0 || len > s.seq) {
      return ctx.error(StatusCode::kOutOfRange, "sequence_lens[{}] = {} is outside [0, {}]", b, len, s.seq);
    }
    lengths[b] = static_cast<int32_t>(len);
  }
  return Status::ok();
}

Status infer_rnn_like(InferContext& ctx, CellKind cell) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(kX));
  if (!dtype_in(x->dtype, kFloats)) {
    return ctx.error(StatusCode::kUnsupported, "dtype {} is not supported", dtype_name(x->dtype));
  }
  RI_ASSIGN_OR_RETURN(const RnnAttributes attrs, RnnAttributes::from(ctx.node(), cell));
  const Shape* shapes[kPeepholes + 1] = {};
  const int count = std::min(ctx.num_inputs(), static_cast<int>(kPeepholes) + 1);
  for (int i = 0; i < count; ++i) {
    const TensorInfo* info = ctx.input(i);
    if (info == nullptr) continue;
    const DType want = i == kSequenceLens ? DType::kInt32 : x->dtype;
    if (info->dtype != want) {
      return ctx.error(StatusCode::kInvalidArgument, "input {} is {}, expected {}", i, dtype_name(info->dtype),
                       dtype_name(want));
    }
    shapes[i] = &info->shape;
  }
  RI_ASSIGN_OR_RETURN(const RnnShape s, bind_rnn(ctx.node(), attrs, shapes, count));
  const int64_t dirs = s.directions;
  const Shape y = attrs.layout == 0 ? Shape{s.seq, dirs, s.batch, s.hidden} : Shape{s.batch, s.seq, dirs, s.hidden};
  const Shape state = attrs.layout == 0 ? Shape{dirs, s.batch, s.hidden} : Shape{s.batch, dirs, s.hidden};
  ctx.set_output(0, x->dtype, y);
  for (int i = 1; i < ctx.num_outputs(); ++i) ctx.set_output(i, x->dtype, state);
  return Status::ok();
}

}  // namespace recinfer::kernels::rnn
