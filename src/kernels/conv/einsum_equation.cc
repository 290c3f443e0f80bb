#include "kernels/conv/einsum_equation.h"

#include <algorithm>
#include <string>

namespace recinfer::kernels::conv {
namespace {

int letter_label(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return 26 + (c - 'a');
  return -2;
}

Result<EinsumTerm> parse_term(std::string_view text, std::string_view equation) {
  EinsumTerm term;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ') continue;
    if (c == '.') {
      if (text.substr(i, 3) != "..." || term.has_ellipsis()) {
        return invalid_argument("einsum equation '{}': malformed or repeated '...'", equation);
      }
      term.labels.push_back(kEllipsis);
      i += 2;
      continue;
    }
    const int label = letter_label(c);
    if (label < 0) {
      return invalid_argument("einsum equation '{}': character '{}' is not a letter", equation, c);
    }
    term.labels.push_back(label);
  }
  return term;
}

// Label of axis `axis` of a term bound to `rank` dims (the ellipsis covers rank - letters dims).
struct AxisLabels {
  int count = 0;
  int labels[Shape::kMaxRank] = {};
};

Result<AxisLabels> axis_labels(const EinsumTerm& term, int rank, int operand) {
  AxisLabels out;
  const int letters = static_cast<int>(term.labels.size()) - (term.has_ellipsis() ? 1 : 0);
  const int ellipsis_dims = rank - letters;
  if (ellipsis_dims < 0 || (!term.has_ellipsis() && ellipsis_dims != 0)) {
    return invalid_argument("einsum operand {} has rank {} but its term names {} dims{}", operand,
                            rank, letters, term.has_ellipsis() ? " plus '...'" : "");
  }
  for (const int l : term.labels) {
    if (l != kEllipsis) {
      out.labels[out.count++] = l;
      continue;
    }
    for (int e = 0; e < ellipsis_dims; ++e) {
      out.labels[out.count++] = kEinsumLetters + Shape::kMaxRank - ellipsis_dims + e;
    }
  }
  return out;
}

}  // namespace

bool EinsumTerm::has_ellipsis() const {
  return std::find(labels.begin(), labels.end(), kEllipsis) != labels.end();
}

LabelMask LabelView::mask() const {
  LabelMask m = 0;
  for (int i = 0; i < rank; ++i) m |= label_bit(label[i]);
  return m;
}

int LabelView::find(int l) const {
  for (int i = 0; i < rank; ++i) {
    if (label[i] == l) return i;
  }
  return -1;
}

Result<EinsumEquation> EinsumEquation::parse(std::string_view equation) {
  EinsumEquation eq;
  const size_t arrow = equation.find("->");
  const std::string_view lhs = equation.substr(0, arrow);
  size_t begin = 0;
  while (true) {
    const size_t comma = lhs.find(',', begin);
    RI_ASSIGN_OR_RETURN(EinsumTerm term, parse_term(lhs.substr(begin, comma - begin), equation));
    eq.inputs.push_back(std::move(term));
    if (comma == std::string_view::npos) break;
    begin = comma + 1;
  }
  if (eq.inputs.size() > static_cast<size_t>(kEinsumMaxOperands)) {
    return unsupported("einsum equation '{}' has {} operands; at most {} are supported", equation,
                       eq.inputs.size(), kEinsumMaxOperands);
  }
  int count[kEinsumLetters] = {};
  bool any_ellipsis = false;
  for (const EinsumTerm& term : eq.inputs) {
    any_ellipsis = any_ellipsis || term.has_ellipsis();
    for (const int l : term.labels) {
      if (l != kEllipsis) ++count[l];
    }
  }
  if (arrow != std::string_view::npos) {
    RI_ASSIGN_OR_RETURN(eq.output, parse_term(equation.substr(arrow + 2), equation));
    bool seen[kEinsumLetters] = {};
    for (const int l : eq.output.labels) {
      if (l == kEllipsis) continue;
      if (count[l] == 0 || seen[l]) {
        return invalid_argument("einsum equation '{}': output label '{}' is {}", equation,
                                l < 26 ? char('A' + l) : char('a' + l - 26),
                                seen[l] ? "repeated" : "not in any input");
      }
      seen[l] = true;
    }
    if (eq.output.has_ellipsis() && !any_ellipsis) {
      return invalid_argument("einsum equation '{}': '...' in the output only", equation);
    }
    return eq;
  }
  // Implicit output: the broadcast ellipsis dims, then every letter used once, in ASCII order.
  if (any_ellipsis) eq.output.labels.push_back(kEllipsis);
  for (int l = 0; l < kEinsumLetters; ++l) {
    if (count[l] == 1) eq.output.labels.push_back(l);
  }
  return eq;
}

Result<EinsumDims> bind_einsum(const EinsumEquation& equation, std::span<const Shape> shapes) {
  EinsumDims dims;
  if (shapes.size() != equation.inputs.size()) {
    return invalid_argument("einsum equation has {} operands but the node has {} inputs",
                            equation.inputs.size(), shapes.size());
  }
  dims.num_operands = static_cast<int>(shapes.size());
  std::fill(std::begin(dims.size), std::end(dims.size), int64_t{1});
  int max_ellipsis = 0;
  AxisLabels axes[kEinsumMaxOperands];
  for (size_t o = 0; o < shapes.size(); ++o) {
    RI_ASSIGN_OR_RETURN(axes[o], axis_labels(equation.inputs[o], shapes[o].rank(), static_cast<int>(o)));
    const int letters = static_cast<int>(equation.inputs[o].labels.size()) -
                        (equation.inputs[o].has_ellipsis() ? 1 : 0);
    max_ellipsis = std::max(max_ellipsis, shapes[o].rank() - letters);
    for (int a = 0; a < axes[o].count; ++a) {
      const int l = axes[o].labels[a];
      const int64_t d = shapes[o][a];
      if (d == 1 || d == dims.size[l]) continue;
      if (dims.size[l] != 1) {
        return invalid_argument("einsum operand {} axis {} has size {} but its label has size {}",
                                o, a, d, dims.size[l]);
      }
      dims.size[l] = d;
    }
  }
  for (size_t o = 0; o < shapes.size(); ++o) {
    LabelView& view = dims.operands[o];
    int64_t stride = 1;
    int64_t strides[Shape::kMaxRank];
    for (int a = shapes[o].rank() - 1; a >= 0; --a) {
      strides[a] = stride;
      // Shapes reach here from shape inference before any size check (a malformed model's
      // 2^63-row operand): a stride that overflows is an error, not a wrapped walk.
      if (__builtin_mul_overflow(stride, shapes[o][a], &stride)) {
        return invalid_argument("einsum operand {} shape {} has more elements than fit in int64",
                                o, shapes[o].to_string());
      }
    }
    for (int a = 0; a < axes[o].count; ++a) {
      const int l = axes[o].labels[a];
      if (shapes[o][a] == 1) continue;
      const int at = view.find(l);
      if (at >= 0) {
        view.stride[at] += strides[a];  // repeated label: walk the diagonal
      } else {
        view.push(l, shapes[o][a], strides[a]);
      }
    }
  }
  // Output labels: the ellipsis expands to all max_ellipsis broadcast dims.
  LabelMask out_mask = 0;
  for (const int l : equation.output.labels) {
    const int count = l == kEllipsis ? max_ellipsis : 1;
    if (dims.out_rank + count > Shape::kMaxRank) {
      return unsupported("einsum output rank above {}", Shape::kMaxRank);
    }
    if (l != kEllipsis) {
      dims.out_labels[dims.out_rank++] = static_cast<int8_t>(l);
      continue;
    }
    for (int e = 0; e < max_ellipsis; ++e) {
      dims.out_labels[dims.out_rank++] = static_cast<int8_t>(kEinsumLabels - max_ellipsis + e);
    }
  }
  for (int i = 0; i < dims.out_rank; ++i) {
    const int l = dims.out_labels[i];
    dims.out_shape.push_back(dims.size[l]);
    out_mask |= label_bit(l);
  }
  int64_t stride = 1;
  for (int i = dims.out_rank - 1; i >= 0; --i) {
    const int l = dims.out_labels[i];
    if (dims.size[l] == 1) continue;
    dims.out.push(l, dims.size[l], stride);
    stride *= dims.size[l];
  }
  std::reverse(dims.out.label, dims.out.label + dims.out.rank);
  std::reverse(dims.out.dim, dims.out.dim + dims.out.rank);
  std::reverse(dims.out.stride, dims.out.stride + dims.out.rank);
  for (int l = 0; l < kEinsumLabels; ++l) {
    if (dims.size[l] == 0 && (out_mask & label_bit(l)) == 0) dims.zero_sum = true;
  }
  return dims;
}

}  // namespace recinfer::kernels::conv
