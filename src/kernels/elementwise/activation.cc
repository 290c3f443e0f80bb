#include "kernels/elementwise/activation.h"

#include "kernels/elementwise/avx2/elementwise_avx2.h"
#include "kernels/elementwise/unary_functors.h"

namespace recinfer::kernels {

namespace {

template <template <typename> class Fn>
void apply(float* data, int64_t n, bool reference) {
  if (!reference) {
    if (auto wide = elementwise_avx2::find_unary_range<float, Fn>()) {
      wide(data, data, n);
      return;
    }
  }
  const Fn<float> fn{};
  for (int64_t i = 0; i < n; ++i) data[i] = fn(data[i]);
}

}  // namespace

std::optional<Activation> parse_activation(std::string_view name) {
  if (name.empty()) return Activation::kNone;
  if (name == "Relu") return Activation::kRelu;
  if (name == "Sigmoid") return Activation::kSigmoid;
  if (name == "Tanh") return Activation::kTanh;
  return std::nullopt;
}

std::string_view activation_name(Activation activation) {
  switch (activation) {
    case Activation::kNone: return "";
    case Activation::kRelu: return "Relu";
    case Activation::kSigmoid: return "Sigmoid";
    case Activation::kTanh: return "Tanh";
  }
  return "";
}

void apply_activation(Activation activation, float* data, int64_t n, bool reference) {
  switch (activation) {
    case Activation::kNone: return;
    case Activation::kRelu: return apply<ReluFn>(data, n, reference);
    case Activation::kSigmoid: return apply<SigmoidFn>(data, n, reference);
    case Activation::kTanh: return apply<TanhFn>(data, n, reference);
  }
}

}  // namespace recinfer::kernels
