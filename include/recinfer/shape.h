// Shape: a fixed-capacity list of dimensions. Inline storage keeps shapes out of the heap, which
// the zero-allocation inference path depends on.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace recinfer {

class Shape {
 public:
  static constexpr int kMaxRank = 8;

  Shape() = default;
  Shape(std::initializer_list<int64_t> dims);
  // Callers must check the rank first (see checked()); ranks above kMaxRank are truncated.
  explicit Shape(const std::vector<int64_t>& dims);
  static bool fits(size_t rank) { return rank <= static_cast<size_t>(kMaxRank); }

  int rank() const { return rank_; }
  int64_t operator[](int axis) const { return dims_[axis]; }
  int64_t& operator[](int axis) { return dims_[axis]; }
  const int64_t* begin() const { return dims_.data(); }
  const int64_t* end() const { return dims_.data() + rank_; }
  const int64_t* data() const { return dims_.data(); }

  void push_back(int64_t dim) { dims_[rank_++] = dim; }
  void resize(int rank, int64_t fill = 1);

  // Product of dims; 1 for a scalar; INT64_MAX when it overflows. Sizes to allocate or index
  // with come from checked_numel().
  int64_t numel() const;
  // Product of dims in [from, to).
  int64_t product(int from, int to) const;
  // False when a dim is negative or the product overflows int64 (or exceeds `limit`).
  bool checked_numel(int64_t* numel, int64_t limit = INT64_MAX) const;

  std::vector<int64_t> to_vector() const { return {begin(), end()}; }
  std::string to_string() const;  // "(2,3,4)"

  bool operator==(const Shape& other) const;
  bool operator!=(const Shape& other) const { return !(*this == other); }

 private:
  std::array<int64_t, kMaxRank> dims_{};
  int rank_ = 0;
};

// Normalises an ONNX axis (negative counts from the back); false if outside [-rank, rank).
bool normalize_axis(int64_t axis, int rank, int* out);

}  // namespace recinfer
