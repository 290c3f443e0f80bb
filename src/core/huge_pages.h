// Large embedding tables on transparent huge pages. Random row gathers from a table far larger
// than the caches miss the TLB on nearly every row with 4 KiB pages; with 2 MiB pages the page
// walk mostly hits (`recinfer roofline` measures the gather bandwidth both ways). File mappings
// (external data) cannot use huge pages, so big external tensors are copied into anonymous
// memory advised MADV_HUGEPAGE. Without THP support the copy still works, on small pages.
#pragma once

#include <cstddef>

#include "recinfer/tensor.h"

namespace recinfer {

// External-data tensors at least this large are copied onto huge pages at load.
inline constexpr size_t kHugePageTableBytes = size_t{8} << 20;

// A tensor of `dtype`/`shape` holding a copy of `bytes` bytes from `src`, in anonymous memory
// aligned to 2 MiB and advised for transparent huge pages.
Result<Tensor> copy_to_huge_pages(DType dtype, const Shape& shape, const void* src, size_t bytes);

}  // namespace recinfer
