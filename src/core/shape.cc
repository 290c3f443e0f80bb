#include "recinfer/shape.h"

#include <algorithm>

namespace recinfer {

Shape::Shape(std::initializer_list<int64_t> dims) {
  for (int64_t d : dims) {
    if (rank_ == kMaxRank) break;
    dims_[rank_++] = d;
  }
}

Shape::Shape(const std::vector<int64_t>& dims) {
  for (int64_t d : dims) {
    if (rank_ == kMaxRank) break;
    dims_[rank_++] = d;
  }
}

void Shape::resize(int rank, int64_t fill) {
  for (int i = rank_; i < rank; ++i) dims_[i] = fill;
  rank_ = rank;
}

int64_t Shape::numel() const { return product(0, rank_); }

int64_t Shape::product(int from, int to) const {
  int64_t p = 1;
  for (int i = from; i < to; ++i) {
    // Saturates: a shape that was never checked (a malformed model's inferred shape, compared
    // against a size budget) must read as "too big", not overflow.
    if (__builtin_mul_overflow(p, dims_[i], &p)) return INT64_MAX;
  }
  return p;
}

bool Shape::checked_numel(int64_t* numel, int64_t limit) const {
  int64_t p = 1;
  for (int i = 0; i < rank_; ++i) {
    if (dims_[i] < 0) return false;
    if (dims_[i] != 0 && p > limit / dims_[i]) return false;
    p *= dims_[i];
  }
  // A zero dim anywhere makes the product 0 even if a prefix was large.
  for (int i = 0; i < rank_; ++i) {
    if (dims_[i] == 0) p = 0;
  }
  *numel = p;
  return true;
}

std::string Shape::to_string() const {
  std::string s = "(";
  for (int i = 0; i < rank_; ++i) {
    if (i) s += ",";
    s += std::to_string(dims_[i]);
  }
  return s + ")";
}

bool Shape::operator==(const Shape& other) const {
  return rank_ == other.rank_ && std::equal(begin(), end(), other.begin());
}

bool normalize_axis(int64_t axis, int rank, int* out) {
  if (axis < -rank || axis >= rank) return false;
  *out = static_cast<int>(axis < 0 ? axis + rank : axis);
  return true;
}

}  // namespace recinfer
