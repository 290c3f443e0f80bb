// Counts heap allocations made by any thread while a counting window is open. The global
// operator new/delete replacements live in allocation_counter.cc (linked into the test binary).
#pragma once

#include <cstdint>

namespace recinfer::testing {

void start_counting_allocations();
// Returns the number of allocations since start_counting_allocations().
int64_t stop_counting_allocations();

}  // namespace recinfer::testing
