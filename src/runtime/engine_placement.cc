#include "runtime/engine_placement.h"

#include <algorithm>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace recinfer::runtime {

Result<Placement> place_instances(int instances, int cores_per_instance, std::vector<int> cpus,
                                  bool pin, int max_threads) {
  if (instances < 1) return invalid_argument("instances must be at least 1, got {}", instances);
  if (cores_per_instance < 1) {
    return invalid_argument("cores per instance must be at least 1, got {}", cores_per_instance);
  }
  const std::vector<int> allowed = allowed_cpus();
  if (cpus.empty()) {
    cpus = allowed;
  } else {
    for (int c : cpus) {
      if (!std::binary_search(allowed.begin(), allowed.end(), c)) {
        return invalid_argument("CPU {} is not available to this process (allowed: {})", c,
                                fmt::join(allowed, ","));
      }
    }
  }
  const int64_t threads = int64_t{instances} * cores_per_instance;
  const int64_t num_cpus = static_cast<int64_t>(cpus.size());
  if (max_threads > 0 && threads > max_threads) {
    return invalid_argument(
        "{} instances x {} cores per instance = {} threads: more than the thread limit {} (set by "
        "--max-threads)",
        instances, cores_per_instance, threads, max_threads);
  }
  if (max_threads <= 0 && threads > kMaxThreadsPerCpu * num_cpus) {
    return invalid_argument(
        "{} instances x {} cores per instance = {} threads on {} CPUs: more than {} threads per CPU only "
        "time-slices; use fewer instances or cores per instance (or raise the thread limit with "
        "--max-threads)",
        instances, cores_per_instance, threads, num_cpus, kMaxThreadsPerCpu);
  }
  Placement placement;
  placement.oversubscribed = threads > num_cpus;
  if (placement.oversubscribed) {
    placement.note = fmt::format(
        "{} instances x {} cores per instance = {} threads on {} CPUs: CPU sets wrap around, instances share "
        "CPUs",
        instances, cores_per_instance, threads, num_cpus);
  }
  if (!pin) return placement;
  placement.cpus = cpu_sets(instances, cores_per_instance, cpus);
  return placement;
}

std::vector<std::vector<int>> cpu_sets(int instances, int cores_per_instance,
                                       const std::vector<int>& cpus) {
  std::vector<std::vector<int>> sets(static_cast<size_t>(instances));
  const auto num_cpus = static_cast<int64_t>(cpus.size());
  if (num_cpus == 0) return sets;
  // Each instance's calling thread runs on the first CPU of its set: when sets wrap, rotate each
  // set to start at its CPU that has served as a first CPU least often, so callers spread too.
  std::vector<int> first_uses(cpus.size(), 0);
  for (int i = 0; i < instances; ++i) {
    std::vector<size_t> slots;
    for (int k = 0; k < cores_per_instance; ++k) {
      slots.push_back(static_cast<size_t>((int64_t{i} * cores_per_instance + k) % num_cpus));
    }
    size_t best = 0;
    for (size_t r = 1; r < slots.size(); ++r) {
      if (first_uses[slots[r]] < first_uses[slots[best]]) best = r;
    }
    std::rotate(slots.begin(), slots.begin() + static_cast<std::ptrdiff_t>(best), slots.end());
    ++first_uses[slots.front()];
    for (size_t slot : slots) sets[static_cast<size_t>(i)].push_back(cpus[slot]);
  }
  return sets;
}

}  // namespace recinfer::runtime
