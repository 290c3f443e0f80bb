// CPU affinity of the calling thread: the CPUs the process may use, pinning to one, unpinning.
#pragma once

#include <vector>

namespace recinfer::runtime {

// The CPUs this process may run on, in increasing order: its affinity when it started (threads
// pinned since, e.g. engine callers, do not narrow it).
std::vector<int> allowed_cpus();

// Pins the calling thread to one CPU; false when the kernel refuses.
bool pin_current_thread(int cpu);

// Lets the calling thread run on every allowed CPU again. A new thread inherits its creator's
// affinity, so an unpinned worker started by a pinned caller would otherwise share its one CPU.
void unpin_current_thread();

}  // namespace recinfer::runtime
