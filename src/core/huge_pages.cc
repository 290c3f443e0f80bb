#include "core/huge_pages.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace recinfer {

namespace {
constexpr size_t kHugePage = size_t{2} << 20;
}  // namespace

Result<Tensor> copy_to_huge_pages(DType dtype, const Shape& shape, const void* src, size_t bytes) {
  // Over-allocate by one huge page so that a 2 MiB-aligned start fits inside the mapping.
  const size_t length = (bytes + 2 * kHugePage - 1) / kHugePage * kHugePage;
  void* mapping = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapping == MAP_FAILED) {
    return io_error("cannot map {} bytes for a {} tensor {}: {}", length,
                              dtype_name(dtype), shape.to_string(), std::strerror(errno));
  }
  const auto base = reinterpret_cast<uintptr_t>(mapping);
  auto* aligned = reinterpret_cast<char*>((base + kHugePage - 1) / kHugePage * kHugePage);
  // Advice only: where THP is off the memory stays on 4 KiB pages.
  madvise(aligned, (bytes + kHugePage - 1) / kHugePage * kHugePage, MADV_HUGEPAGE);
  if (bytes > 0) std::memcpy(aligned, src, bytes);
  std::shared_ptr<void> owner(mapping, [length](void* p) { munmap(p, length); });
  return Tensor(dtype, shape, aligned, std::move(owner));
}

}  // namespace recinfer
