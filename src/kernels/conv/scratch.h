// Per-thread scratch memory for the conv and rnn families (im2col columns, permuted Einsum
// operands, gate buffers). thread_local rather than a kernel member because one compiled kernel
// is shared by all instances and may run concurrently. The buffer only grows: the first run at a
// new high-water size allocates, later runs with the same or smaller shapes reuse it, so
// steady-state compute does not touch the heap. Valid until the next scratch_buffer<T> call on
// the same thread; parallel_for workers may use the caller's buffer through the pointer.
#pragma once

#include <algorithm>
#include <cstddef>
#include <new>
#include <vector>

namespace recinfer::kernels::conv {

// At least n elements of T, or nullptr when they cannot be allocated.
template <typename T>
T* scratch_buffer(size_t n) {
  thread_local std::vector<T> buffer;
  if (buffer.size() < n) {
    try {
      buffer.resize(std::max(n, buffer.size() * 2));
    } catch (const std::bad_alloc&) {
      return nullptr;
    }
  }
  return buffer.data();
}

}  // namespace recinfer::kernels::conv
