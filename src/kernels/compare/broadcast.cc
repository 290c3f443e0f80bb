#include "kernels/compare/broadcast.h"

#include <string>

namespace recinfer::kernels::compare {

Result<Shape> broadcast_shapes(std::span<const Shape> shapes,
                               std::span<const std::string_view> names) {
  int rank = 0;
  for (const Shape& s : shapes) rank = std::max(rank, s.rank());
  Shape out;
  out.resize(rank, 1);
  for (int d = 0; d < rank; ++d) {
    // Right-aligned: dim d of the output is dim (d - pad) of a shorter operand.
    int64_t size = 1;
    for (const Shape& s : shapes) {
      const int pad = rank - s.rank();
      const int64_t dim = d >= pad ? s[d - pad] : 1;
      if (dim == 1) continue;
      if (size != 1 && dim != size) {
        std::string operands;
        for (size_t i = 0; i < shapes.size(); ++i) {
          if (i > 0) operands += i + 1 == shapes.size() ? " and " : ", ";
          operands += std::string(names[i]) + " " + shapes[i].to_string();
        }
        return invalid_argument("cannot broadcast {}: dimension {} from the right is {} vs {}",
                                operands, rank - d, size, dim);
      }
      size = dim;
    }
    out[d] = size;
  }
  return out;
}

int64_t broadcast_offset(const Shape& in, const Shape& out, int64_t out_index) {
  const int pad = out.rank() - in.rank();
  int64_t offset = 0;
  int64_t stride = 1;
  for (int d = out.rank() - 1; d >= pad; --d) {
    const int64_t coord = out_index % out[d];
    const int64_t dim = in[d - pad];
    if (dim != 1) offset += coord * stride;
    stride *= dim;
    out_index /= out[d];
  }
  return offset;
}

}  // namespace recinfer::kernels::compare
