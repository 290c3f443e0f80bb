#include "kernels/shape/copy.h"

#include <algorithm>
#include <cstring>

namespace recinfer::kernels::layout {
namespace {

// Below this many bytes a chunk is not worth a thread hand-off.
constexpr size_t kMinChunkBytes = 32 * 1024;

template <typename T>
void fill_typed(T* dst, int64_t count, const void* value) {
  T v;
  std::memcpy(&v, value, sizeof(T));
  std::fill(dst, dst + count, v);
}

void fill_run(char* dst, int64_t count, const void* value, size_t elem_size) {
  switch (elem_size) {
    case 1:
      std::memset(dst, *static_cast<const unsigned char*>(value), static_cast<size_t>(count));
      return;
    case 2: fill_typed(reinterpret_cast<uint16_t*>(dst), count, value); return;
    case 4: fill_typed(reinterpret_cast<uint32_t*>(dst), count, value); return;
    case 8: fill_typed(reinterpret_cast<uint64_t*>(dst), count, value); return;
    default:
      for (int64_t i = 0; i < count; ++i) std::memcpy(dst + i * elem_size, value, elem_size);
  }
}

template <typename T>
void gather_typed(const char* src, char* dst, int64_t count, int64_t stride) {
  // Unaligned-safe loads: slices of byte buffers need not be aligned for T.
  constexpr auto kSize = static_cast<int64_t>(sizeof(T));
  for (int64_t i = 0; i < count; ++i) {
    std::memcpy(dst + i * kSize, src + i * stride * kSize, sizeof(T));
  }
}

// One output row of `count` elements read with element stride `stride`.
void copy_run(const char* src, char* dst, int64_t count, int64_t stride, size_t elem_size) {
  if (stride == 1) {
    std::memcpy(dst, src, static_cast<size_t>(count) * elem_size);
    return;
  }
  if (stride == 0) {
    fill_run(dst, count, src, elem_size);
    return;
  }
  switch (elem_size) {
    case 1: gather_typed<uint8_t>(src, dst, count, stride); return;
    case 2: gather_typed<uint16_t>(src, dst, count, stride); return;
    case 4: gather_typed<uint32_t>(src, dst, count, stride); return;
    case 8: gather_typed<uint64_t>(src, dst, count, stride); return;
    default:
      for (int64_t i = 0; i < count; ++i) {
        std::memcpy(dst + i * static_cast<int64_t>(elem_size),
                    src + i * stride * static_cast<int64_t>(elem_size), elem_size);
      }
  }
}

}  // namespace

void copy_bytes(KernelContext& ctx, void* dst, const void* src, size_t bytes) {
  if (dst == src || bytes == 0) return;
  auto* d = static_cast<char*>(dst);
  const auto* s = static_cast<const char*>(src);
  const auto chunks = static_cast<int64_t>((bytes + kMinChunkBytes - 1) / kMinChunkBytes);
  if (chunks <= 1 || ctx.num_threads() <= 1) {
    std::memcpy(d, s, bytes);
    return;
  }
  // Grain of 8 chunks (256 KiB): memcpy is bandwidth-bound, so only big copies gain from threads.
  ctx.parallel_for(chunks, 8, [&](int64_t begin, int64_t end) {
    const size_t from = static_cast<size_t>(begin) * kMinChunkBytes;
    const size_t to = std::min(bytes, static_cast<size_t>(end) * kMinChunkBytes);
    std::memcpy(d + from, s + from, to - from);
  });
}

void fill_elements(KernelContext& ctx, void* dst, int64_t count, const void* value,
                   size_t elem_size) {
  if (count <= 0) return;
  auto* d = static_cast<char*>(dst);
  const auto grain = static_cast<int64_t>(std::max<size_t>(1, 8 * kMinChunkBytes / elem_size));
  if (count <= grain || ctx.num_threads() <= 1) {
    fill_run(d, count, value, elem_size);
    return;
  }
  ctx.parallel_for(count, grain, [&](int64_t begin, int64_t end) {
    fill_run(d + begin * static_cast<int64_t>(elem_size), end - begin, value, elem_size);
  });
}

StridedView coalesce(const StridedView& view) {
  StridedView out;
  for (int d = 0; d < view.rank; ++d) {
    if (view.dims[d] == 0) {
      out.rank = 1;
      out.dims[0] = 0;
      out.strides[0] = 1;
      return out;
    }
  }
  for (int d = 0; d < view.rank; ++d) {
    const int64_t dim = view.dims[d];
    const int64_t stride = view.strides[d];
    if (dim == 1) continue;  // contributes nothing to any offset
    if (out.rank > 0) {
      const int last = out.rank - 1;
      // Merge when stepping the outer dim equals stepping past the end of the inner one.
      if (out.strides[last] == stride * dim) {
        out.dims[last] *= dim;
        out.strides[last] = stride;
        continue;
      }
    }
    out.dims[out.rank] = dim;
    out.strides[out.rank] = stride;
    ++out.rank;
  }
  return out;
}

void strided_copy(KernelContext& ctx, const void* src, void* dst, size_t elem_size,
                  const StridedView& view) {
  const StridedView v = coalesce(view);
  const auto* s = static_cast<const char*>(src);
  auto* d = static_cast<char*>(dst);
  if (v.rank == 0) {  // a single element
    std::memcpy(d, s, elem_size);
    return;
  }
  const int inner_axis = v.rank - 1;
  const int64_t inner = v.dims[inner_axis];
  const int64_t inner_stride = v.strides[inner_axis];
  if (inner == 0) return;
  int64_t rows = 1;
  for (int a = 0; a < inner_axis; ++a) rows *= v.dims[a];
  if (rows == 1 && inner_stride == 1) {
    copy_bytes(ctx, d, s, static_cast<size_t>(inner) * elem_size);
    return;
  }
  const int64_t elem = static_cast<int64_t>(elem_size);
  const int64_t row_bytes = inner * elem;
  const int64_t grain = std::max<int64_t>(1, static_cast<int64_t>(kMinChunkBytes) / row_bytes);
  ctx.parallel_for(rows, grain, [&](int64_t begin, int64_t end) {
    // Decompose the first row index once, then step the outer index like an odometer.
    std::array<int64_t, Shape::kMaxRank> idx{};
    int64_t offset = 0;
    int64_t rem = begin;
    for (int a = inner_axis - 1; a >= 0; --a) {
      idx[a] = rem % v.dims[a];
      rem /= v.dims[a];
      offset += idx[a] * v.strides[a];
    }
    for (int64_t row = begin; row < end; ++row) {
      copy_run(s + offset * elem, d + row * row_bytes, inner, inner_stride, elem_size);
      for (int a = inner_axis - 1; a >= 0; --a) {
        ++idx[a];
        offset += v.strides[a];
        if (idx[a] < v.dims[a]) break;
        offset -= v.strides[a] * v.dims[a];
        idx[a] = 0;
      }
    }
  });
}

std::array<int64_t, Shape::kMaxRank> contiguous_strides(const Shape& shape) {
  std::array<int64_t, Shape::kMaxRank> strides{};
  int64_t stride = 1;
  for (int d = shape.rank() - 1; d >= 0; --d) {
    strides[d] = stride;
    stride *= shape[d];
  }
  return strides;
}

}  // namespace recinfer::kernels::layout
