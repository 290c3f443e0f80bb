#include "runtime/cpu_affinity.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <thread>

namespace recinfer::runtime {

namespace {

std::vector<int> current_thread_cpus() {
  std::vector<int> cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    for (int c = 0; c < CPU_SETSIZE; ++c) {
      if (CPU_ISSET(c, &set)) cpus.push_back(c);
    }
  }
  if (cpus.empty()) {
    const int n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int c = 0; c < n; ++c) cpus.push_back(c);
  }
  return cpus;
}

// Read once, at static initialisation (before main, so before any engine pinned anything):
// sched_getaffinity describes the calling thread, and Engine::run leaves its callers pinned to
// one CPU, so reading it later on such a thread would make the whole machine look like one CPU.
const std::vector<int> g_process_cpus = current_thread_cpus();

}  // namespace

std::vector<int> allowed_cpus() {
  return g_process_cpus.empty() ? current_thread_cpus() : g_process_cpus;
}

bool pin_current_thread(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0;
}

void unpin_current_thread() {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : allowed_cpus()) CPU_SET(c, &set);
  pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

}  // namespace recinfer::runtime
