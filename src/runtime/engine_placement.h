// Where an engine's instances run: disjoint CPU sets of `cores_per_instance` CPUs each, taken in
// order from the CPUs the process may use (or the ones given), wrapping around when instances ×
// cores exceed them — then instances share CPUs, and the placement says so.
#pragma once

#include <vector>

#include "recinfer/engine.h"
#include "runtime/cpu_affinity.h"

namespace recinfer::runtime {

// More threads than this per CPU only time-slice; load() refuses such configurations.
inline constexpr int kMaxThreadsPerCpu = 4;

// `cpus` empty = allowed_cpus(). Errors on instances/cores < 1, CPUs outside the allowed set,
// and more than kMaxThreadsPerCpu threads per CPU — or, when `max_threads` > 0 (a raised
// Limits::max_threads), more than max_threads threads in all. With pin = false, placement.cpus
// is empty.
Result<Placement> place_instances(int instances, int cores_per_instance, std::vector<int> cpus,
                                  bool pin, int max_threads = 0);

// The CPU set of each instance: `cores_per_instance` consecutive CPUs of `cpus` each, wrapping
// around; a wrapped set is rotated to start at the CPU that has been a first CPU (where the
// instance's calling thread runs) least often.
std::vector<std::vector<int>> cpu_sets(int instances, int cores_per_instance,
                                       const std::vector<int>& cpus);

}  // namespace recinfer::runtime
