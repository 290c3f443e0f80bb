#include "recinfer/limits.h"

#include <sched.h>
#include <unistd.h>

#include <fmt/format.h>

namespace recinfer {

uint64_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return 0;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size);
}

namespace {

int count_usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<int>(online) : 1;
}

// Read at static initialisation, before main: sched_getaffinity describes the calling thread,
// which the CLI and engine callers pin to one CPU later (as runtime::allowed_cpus() does).
const int kUsableCpusAtStart = count_usable_cpus();

}  // namespace

int usable_cpus() { return kUsableCpusAtStart > 0 ? kUsableCpusAtStart : count_usable_cpus(); }

uint64_t Limits::arena_limit() const {
  if (max_arena_bytes > 0) return max_arena_bytes;
  const uint64_t ram = physical_memory_bytes();
  return ram > 0 ? ram : kDefaultMaxTensorBytes;
}

int Limits::thread_limit() const { return max_threads > 0 ? max_threads : 4 * usable_cpus(); }

std::string Limits::describe_thread_limit() const {
  if (max_threads > 0) return fmt::format("{} (set by --max-threads)", max_threads);
  return fmt::format("{} (4 x {} usable CPUs; raise with --max-threads)", thread_limit(),
                     usable_cpus());
}

std::string format_bytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  double v = static_cast<double>(bytes);
  int unit = -1;
  while (v >= 1024.0 && unit < 5) {
    v /= 1024.0;
    ++unit;
  }
  if (v == static_cast<double>(static_cast<uint64_t>(v))) return fmt::format("{:.0f} {}", v, kUnits[unit]);
  return fmt::format("{:.1f} {}", v, kUnits[unit]);
}

}  // namespace recinfer
