#include "serve/cpu_usage.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "recinfer/limits.h"

namespace recinfer::serve {

uint64_t process_cpu_ticks() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return 0;
  // The command name (field 2) is parenthesised and may hold spaces: fields count from the last ')'.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(line.substr(close + 1));
  std::string field;
  uint64_t utime = 0, stime = 0;
  // Fields 3.. follow; utime is field 14, stime field 15.
  for (int index = 3; index <= 15 && (rest >> field); ++index) {
    if (index == 14) utime = std::strtoull(field.c_str(), nullptr, 10);
    if (index == 15) stime = std::strtoull(field.c_str(), nullptr, 10);
  }
  return utime + stime;
}

CpuUsageSampler::CpuUsageSampler()
    : last_cpu_ticks_(process_cpu_ticks()), last_time_(std::chrono::steady_clock::now()) {}

double CpuUsageSampler::sample() {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  const double wall_s = std::chrono::duration<double>(now - last_time_).count();
  if (wall_s < 1e-3) return last_value_;
  const uint64_t ticks = process_cpu_ticks();
  const long hz = sysconf(_SC_CLK_TCK);
  const double cpu_s =
      ticks >= last_cpu_ticks_ && hz > 0 ? static_cast<double>(ticks - last_cpu_ticks_) / hz : 0.0;
  const int cpus = std::max(1, usable_cpus());
  last_value_ = std::clamp(cpu_s / (wall_s * cpus), 0.0, 1.0);
  last_cpu_ticks_ = ticks;
  last_time_ = now;
  return last_value_;
}

}  // namespace recinfer::serve
