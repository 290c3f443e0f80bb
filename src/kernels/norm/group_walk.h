// Visiting the elements of each reduction group of a tensor: the kept dims name a group, the
// reduced dims (any subset, not necessarily adjacent) its members. Used by the normalisations
// whose axes are arbitrary (MeanVarianceNormalization) — no scratch: every pass re-walks the
// group by an odometer over the reduced blocks.
#pragma once

#include <cstdint>

#include "kernels/reduce/reduce_common.h"

namespace recinfer::kernels::norm {

class GroupWalk {
 public:
  // `merge`: adjacent kept/reduced dims merged into blocks (fast); else one block per dim
  // (the reference's plain walk).
  GroupWalk(const Shape& shape, uint32_t reduced_mask, bool merge) {
    reduce::ReduceLayout layout;
    if (merge) {
      layout = reduce::reduce_layout(shape, reduced_mask);
    } else {
      for (int d = 0; d < shape.rank(); ++d) {
        layout.size[layout.count] = shape[d];
        layout.reduced[layout.count++] = ((reduced_mask >> d) & 1u) != 0;
      }
    }
    int64_t stride[Shape::kMaxRank];
    int64_t running = 1;
    for (int b = layout.count - 1; b >= 0; --b) {
      stride[b] = running;
      running *= layout.size[b];
    }
    for (int b = 0; b < layout.count; ++b) {
      if (layout.reduced[b]) {
        red_size_[num_red_] = layout.size[b];
        red_stride_[num_red_++] = stride[b];
        group_size_ *= layout.size[b];
      } else {
        kept_size_[num_kept_] = layout.size[b];
        kept_stride_[num_kept_++] = stride[b];
        groups_ *= layout.size[b];
      }
    }
  }

  int64_t groups() const { return groups_; }
  int64_t group_size() const { return group_size_; }

  // Offset of group g's first element.
  int64_t base(int64_t g) const {
    int64_t offset = 0;
    for (int k = num_kept_ - 1; k >= 0; --k) {
      offset += (g % kept_size_[k]) * kept_stride_[k];
      g /= kept_size_[k];
    }
    return offset;
  }

  // fn(offset) for every member of the group starting at `base`, in index order.
  template <typename Fn>
  void for_each(int64_t base, Fn&& fn) const {
    int64_t coord[Shape::kMaxRank] = {};
    for (int64_t e = 0; e < group_size_; ++e) {
      int64_t offset = base;
      for (int k = 0; k < num_red_; ++k) offset += coord[k] * red_stride_[k];
      fn(offset);
      for (int k = num_red_ - 1; k >= 0; --k) {
        if (++coord[k] < red_size_[k]) break;
        coord[k] = 0;
      }
    }
  }

 private:
  int64_t kept_size_[Shape::kMaxRank] = {}, kept_stride_[Shape::kMaxRank] = {};
  int64_t red_size_[Shape::kMaxRank] = {}, red_stride_[Shape::kMaxRank] = {};
  int num_kept_ = 0, num_red_ = 0;
  int64_t groups_ = 1, group_size_ = 1;
};

}  // namespace recinfer::kernels::norm
