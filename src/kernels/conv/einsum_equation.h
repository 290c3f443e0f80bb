// Einsum's equation: parsed once per node (at make/infer time), then bound to the operand shapes
// on every run. Binding needs no heap — every structure is fixed-size — so the kernel can bind
// in compute without allocating, and infer, the optimised kernel and the reference share it.
//
// Labels are small integers: 0..51 the letters (A-Z, a-z, in ASCII order, which is the order of
// an implicit output), 52..59 the ellipsis dims right-aligned to 8 (an operand whose "..."
// covers e dims uses 60-e..59, so ellipses of different ranks broadcast like numpy). A set of
// labels is a 64-bit mask.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "recinfer/shape.h"
#include "recinfer/status.h"

namespace recinfer::kernels::conv {

inline constexpr int kEinsumLetters = 52;
inline constexpr int kEinsumLabels = kEinsumLetters + Shape::kMaxRank;
inline constexpr int kEinsumMaxOperands = 8;
// A view may carry the labels of an intermediate product (output plus later operands' labels).
inline constexpr int kEinsumMaxViewDims = 24;
inline constexpr int kEllipsis = -1;  // marker in a parsed term

using LabelMask = uint64_t;
inline LabelMask label_bit(int label) { return LabelMask{1} << label; }

struct EinsumTerm {
  std::vector<int> labels;  // letters, with kEllipsis where "..." stands
  bool has_ellipsis() const;
};

struct EinsumEquation {
  std::vector<EinsumTerm> inputs;
  EinsumTerm output;  // implicit form: filled with "..." then the letters seen once, sorted
  // Spaces are ignored; errors (kInvalidArgument) quote the equation.
  static Result<EinsumEquation> parse(std::string_view equation);
};

// An operand as a strided view over its distinct labels: a repeated label (a diagonal) has the
// sum of its axes' strides, and axes of size 1 are left out (their index is always 0, and
// leaving them out is what lets an ellipsis dim of 1 broadcast against a larger one).
struct LabelView {
  int rank = 0;
  int8_t label[kEinsumMaxViewDims] = {};
  int64_t dim[kEinsumMaxViewDims] = {};
  int64_t stride[kEinsumMaxViewDims] = {};

  LabelMask mask() const;
  int find(int l) const;  // axis of label l, or -1
  void push(int l, int64_t d, int64_t s) {
    label[rank] = static_cast<int8_t>(l);
    dim[rank] = d;
    stride[rank] = s;
    ++rank;
  }
};

struct EinsumDims {
  int num_operands = 0;
  int64_t size[kEinsumLabels] = {};  // size of each label used (1 when absent)
  LabelView operands[kEinsumMaxOperands];
  Shape out_shape;
  int out_rank = 0;
  int8_t out_labels[Shape::kMaxRank] = {};
  LabelView out;          // the output's labels of size > 1, contiguous strides
  bool zero_sum = false;  // a summed label has size 0: the output is all zeros
};

// Binds the equation to operand shapes: checks the operand count, ranks and that a label has
// one size everywhere (1 broadcasts); errors name the label and the sizes.
Result<EinsumDims> bind_einsum(const EinsumEquation& equation, std::span<const Shape> shapes);

}  // namespace recinfer::kernels::conv
