#include "passes/gelu_fusion.h"

#include <fmt/format.h>

#include <cmath>
#include <numbers>

#include "kernels/op_runner.h"
#include "passes/node_rewrite_pass.h"

namespace recinfer::passes {
namespace {

using ir::OpType;
using ir::ValueId;

// The products x * 0.5 * (1 + f) are matched from their last node (Mul, or Div by a constant)
// back to their factors; a factor produced by another Mul/Div is opened when the pattern is its
// only reader. At most this many nodes form the product (x * 0.5 * a needs two).
constexpr int kMaxProductNodes = 3;

class GeluMatcher {
 public:
  explicit GeluMatcher(const GraphQuery& q) : q_(q) {}

  // The GELU of `root`'s output, if `root` ends one: sets x_ and approximate_.
  bool match(const ir::Node& root) {
    if (!open_product(root)) return false;
    // Exactly two non-constant factors: x and 1 + f(x), times 0.5 in constants.
    if (factors_.size() != 2 || !near(scale_, 0.5)) return false;
    for (int first = 0; first < 2; ++first) {
      const ValueId x = factors_[static_cast<size_t>(first)];
      if (one_plus_activation_of(factors_[static_cast<size_t>(1 - first)], x)) {
        x_ = x;
        return true;
      }
    }
    return false;
  }

  ValueId x() const { return x_; }
  DType dtype() const { return dtype_; }
  const char* approximate() const { return approximate_; }

 private:
  static bool near(double value, double want) {
    return std::fabs(value - want) <= 1e-5 * std::fabs(want);
  }

  // An intermediate value the fused node replaces: read only by the pattern.
  bool internal(ValueId v) const { return q_.uses(v) == 1 && !q_.is_graph_output(v); }

  // A single-element constant that cannot change the result's shape by broadcasting.
  std::optional<double> scalar(ValueId v) const {
    std::optional<double> value = q_.constant_scalar(v);
    if (!value || q_.constant(v)->rank() > 0) return std::nullopt;
    return value;
  }

  // Splits node (Mul a, b or Div a, constant) into factors_ and scale_.
  bool open_product(const ir::Node& node) {
    if (++product_nodes_ > kMaxProductNodes) return false;
    if (node.op == OpType::kDiv) {
      std::optional<double> divisor = scalar(node.input(1));
      if (!divisor || *divisor == 0.0) return false;
      scale_ /= *divisor;
      return add_factor(node.input(0));
    }
    if (node.op != OpType::kMul) return false;
    return add_factor(node.input(0)) && add_factor(node.input(1));
  }

  bool add_factor(ValueId v) {
    if (std::optional<double> c = scalar(v)) {
      scale_ *= *c;
      return true;
    }
    const ir::Node* producer = q_.producer(v);
    const bool product = producer != nullptr &&
                         (producer->op == OpType::kMul ||
                          (producer->op == OpType::kDiv && scalar(producer->input(1))));
    // A product read elsewhere too stays computed for those readers; the fused node may still
    // look through it when it only scales a value by a constant (torch shares one 0.5 * x
    // between two GELUs of x).
    const bool scaling = product && (scalar(producer->input(0)) || scalar(producer->input(1)));
    if (product && (internal(v) || scaling)) return open_product(*producer);
    factors_.push_back(v);
    return true;
  }

  // `a` = 1 + Erf(x / sqrt2) or 1 + Tanh(sqrt(2/pi) * (x + 0.044715 x^3)), in either operand
  // order, every intermediate read only by the pattern.
  bool one_plus_activation_of(ValueId a, ValueId x) {
    const ir::Node* add = q_.producer(a, OpType::kAdd);
    if (add == nullptr || !internal(a)) return false;
    for (int i = 0; i < 2; ++i) {
      std::optional<double> one = scalar(add->input(1 - i));
      if (!one || *one != 1.0) continue;
      // Add's operands share one dtype, so the constant tells x's dtype where the graph does not
      // record it (outputs of Gemm and the like).
      dtype_ = q_.constant(add->input(1 - i))->dtype();
      const ValueId f = add->input(i);
      if (!internal(f)) return false;
      if (const ir::Node* erf = q_.producer(f, OpType::kErf); erf != nullptr) {
        approximate_ = "none";
        return scaled_by(erf->input(0), x, 1.0 / std::sqrt(2.0));
      }
      if (const ir::Node* tanh = q_.producer(f, OpType::kTanh); tanh != nullptr) {
        approximate_ = "tanh";
        return tanh_argument(tanh->input(0), x);
      }
      return false;
    }
    return false;
  }

  // v = x * factor, as Mul by the constant (either order) or Div by its inverse.
  bool scaled_by(ValueId v, ValueId x, double factor) {
    if (!internal(v)) return false;
    const ir::Node* node = q_.producer(v);
    if (node == nullptr) return false;
    if (node->op == OpType::kDiv) {
      std::optional<double> divisor = scalar(node->input(1));
      return node->input(0) == x && divisor && near(1.0 / *divisor, factor);
    }
    return node->op == OpType::kMul && product_of(*node, x, factor);
  }

  // Mul(v, constant) or Mul(constant, v), with v == want and constant near `factor`.
  bool product_of(const ir::Node& mul, ValueId want, double factor) {
    for (int i = 0; i < 2; ++i) {
      std::optional<double> c = scalar(mul.input(1 - i));
      if (c && near(*c, factor) && mul.input(i) == want) return true;
    }
    return false;
  }

  // sqrt(2/pi) * (x + 0.044715 * x^3).
  bool tanh_argument(ValueId v, ValueId x) {
    const ir::Node* outer = q_.producer(v, OpType::kMul);
    if (outer == nullptr || !internal(v)) return false;
    const double sqrt_2_over_pi = std::sqrt(2.0 / std::numbers::pi);
    for (int i = 0; i < 2; ++i) {
      std::optional<double> c = scalar(outer->input(1 - i));
      if (c && near(*c, sqrt_2_over_pi)) return x_plus_cubic(outer->input(i), x);
    }
    return false;
  }

  bool x_plus_cubic(ValueId v, ValueId x) {
    const ir::Node* add = q_.producer(v, OpType::kAdd);
    if (add == nullptr || !internal(v)) return false;
    for (int i = 0; i < 2; ++i) {
      if (add->input(i) != x) continue;
      const ValueId term = add->input(1 - i);
      const ir::Node* mul = q_.producer(term, OpType::kMul);
      if (mul == nullptr || !internal(term)) return false;
      for (int j = 0; j < 2; ++j) {
        std::optional<double> c = scalar(mul->input(1 - j));
        if (c && near(*c, 0.044715)) return is_cube(mul->input(j), x);
      }
      return false;
    }
    return false;
  }

  // x^3 as Pow(x, 3) or x * (x * x) in any association.
  bool is_cube(ValueId v, ValueId x) {
    if (!internal(v)) return false;
    const ir::Node* node = q_.producer(v);
    if (node == nullptr) return false;
    if (node->op == OpType::kPow) {
      std::optional<double> exponent = scalar(node->input(1));
      return node->input(0) == x && exponent && *exponent == 3.0;
    }
    if (node->op != OpType::kMul) return false;
    for (int i = 0; i < 2; ++i) {
      if (node->input(i) != x) continue;
      const ValueId square = node->input(1 - i);
      const ir::Node* sq = q_.producer(square, OpType::kMul);
      if (sq != nullptr && internal(square) && sq->input(0) == x && sq->input(1) == x) return true;
    }
    return false;
  }

  const GraphQuery& q_;
  std::vector<ValueId> factors_;
  double scale_ = 1.0;
  int product_nodes_ = 0;
  ValueId x_ = ir::kNoValue;
  const char* approximate_ = "none";
  DType dtype_ = DType::kUndefined;
};

class GeluFusion final : public NodeRewritePass {
 public:
  std::string_view name() const override { return "gelu-fusion"; }
  std::string_view summary() const override {
    return "x * 0.5 * (1 + Erf(x / sqrt2)) (or its tanh approximation) -> Gelu";
  }

 protected:
  std::optional<Rewrite> rewrite(const GraphQuery& q, const ir::Node& node) override {
    if (node.op != OpType::kMul && node.op != OpType::kDiv) return std::nullopt;
    GeluMatcher matcher(q);
    if (!matcher.match(node)) return std::nullopt;
    // Gelu computes float32 and float64.
    const DType dtype = matcher.dtype();
    if (dtype != DType::kFloat32 && dtype != DType::kFloat64) return std::nullopt;
    ir::Node gelu = make_node(node.name, OpType::kFusedGelu, {matcher.x()}, node.outputs,
                              {{"approximate", kernels::attr_string(matcher.approximate())}});
    return Rewrite{std::move(gelu),
                   fmt::format("{}: GELU of '{}' -> Gelu(approximate={})", node.describe(),
                               q.graph().value(matcher.x()).name, matcher.approximate())};
  }
};

}  // namespace

std::unique_ptr<Pass> make_gelu_fusion() { return std::make_unique<GeluFusion>(); }

}  // namespace recinfer::passes
