// Helpers shared by the shape/layout kernels: node-prefixed errors, dtype checks, reading the
// small int tensors (shapes, axes, starts) that drive output shapes, and binding outputs whose
// shape depends on such values. Everything here works on fixed-size storage so that the run-time
// re-inference of dynamic shapes stays off the heap.
#pragma once

#include <array>
#include <string_view>

#include "kernels/kernel.h"

namespace recinfer::kernels::layout {

template <typename... Args>
Status node_error(const ir::Node& node, StatusCode code, fmt::format_string<Args...> format,
                  Args&&... args) {
  return Status(code, node.describe() + ": " + fmt::format(format, std::forward<Args>(args)...));
}

// Shape/layout ops move bytes, so any dtype with a byte size works; strings have no fixed size.
Status check_movable_dtype(const ir::Node& node, DType dtype, std::string_view input_name);

// A list of at most Shape::kMaxRank ints (axes, starts, dims) without heap storage.
struct IntList {
  std::array<int64_t, Shape::kMaxRank> values{};
  int size = 0;
  int64_t operator[](int i) const { return values[static_cast<size_t>(i)]; }
};

inline bool is_index_dtype(DType dtype) {
  return dtype == DType::kInt64 || dtype == DType::kInt32;
}
// Element i of an int32/int64 tensor.
inline int64_t index_at(const Tensor& t, int64_t i) {
  return t.dtype() == DType::kInt64 ? t.data<int64_t>()[i]
                                    : static_cast<int64_t>(t.data<int32_t>()[i]);
}
// An int32/int64 input of rank <= 1 (the form of shape, axes, starts, split inputs).
Status check_index_input(const ir::Node& node, const TensorInfo& info, std::string_view name);
// Reads a 1-D (or scalar) index tensor of at most `max_size` (<= kMaxRank) entries.
Status read_int_list(const ir::Node& node, const Tensor& t, std::string_view name, int max_size,
                     IntList* out);
// Same for an ints attribute, read once in infer/prepare.
Status int_list_from_attr(const ir::Node& node, std::string_view name, int max_size,
                          IntList* out);

// Normalises `axes` against `rank` in place; errors on out-of-range or repeated axes.
Status normalize_axes(const ir::Node& node, IntList* axes, int rank, std::string_view name);

// Errors when a computed output shape has negative dims or too many elements.
Status check_output_shape(const ir::Node& node, const Shape& shape);

// The output tensor for a shape computed in compute(): the one infer already sized when it
// matches, otherwise fresh (or reused) storage; a dynamic output arrives unbound.
Result<Tensor*> bind_output_shape(KernelContext& ctx, int i, DType dtype, const Shape& shape);

}  // namespace recinfer::kernels::layout
