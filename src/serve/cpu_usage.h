// This process's CPU utilisation between two samples, from /proc/self/stat (utime + stime)
// against wall time and the usable CPUs: 0..1 of the whole machine share this process may use.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace recinfer::serve {

class CpuUsageSampler {
 public:
  CpuUsageSampler();
  // Utilisation since the previous call (or construction); the last value when called again
  // within a millisecond; 0 when /proc is unreadable.
  double sample();

 private:
  std::mutex mutex_;
  uint64_t last_cpu_ticks_ = 0;
  std::chrono::steady_clock::time_point last_time_;
  double last_value_ = 0.0;
};

// utime + stime of this process in clock ticks; 0 when unknown.
uint64_t process_cpu_ticks();

}  // namespace recinfer::serve
