#include "profiler/merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace recinfer::profiler {

Profile merge_instance_profiles(std::vector<Profile> parts, int threads_per_part) {
  Profile merged;
  merged.num_threads = static_cast<int>(parts.size()) * threads_per_part;
  merged.threads_per_instance = threads_per_part;
  merged.origin_ns = std::numeric_limits<int64_t>::max();
  for (const Profile& p : parts) {
    if (!p.inferences.empty()) merged.origin_ns = std::min(merged.origin_ns, p.origin_ns);
  }
  if (merged.origin_ns == std::numeric_limits<int64_t>::max()) merged.origin_ns = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    Profile& p = parts[i];
    const int thread_base = static_cast<int>(i) * threads_per_part;
    const int program_base = static_cast<int>(merged.programs.size());
    const auto inference_base = static_cast<int32_t>(merged.inferences.size());
    const auto op_base = static_cast<int64_t>(merged.ops.size());
    for (int t = 0; t < threads_per_part; ++t) {
      merged.thread_names.push_back(t == 0 ? fmt::format("instance {} thread 0 (caller)", i)
                                           : fmt::format("instance {} worker {}", i, t));
    }
    for (Program& program : p.programs) merged.programs.push_back(std::move(program));
    for (InferenceRecord& inference : p.inferences) {
      inference.program += program_base;
      inference.first_op += op_base;
      inference.caller_thread = static_cast<int16_t>(thread_base + inference.caller_thread);
      merged.inferences.push_back(std::move(inference));
    }
    for (OpInstance op : p.ops) {
      op.inference += inference_base;
      merged.ops.push_back(op);
    }
    for (Event e : p.events) {
      e.thread = static_cast<int16_t>(thread_base + e.thread);
      if (e.op >= 0) e.op += op_base;
      if (e.inference >= 0) e.inference += inference_base;
      merged.events.push_back(e);
    }
    merged.dropped_events += p.dropped_events;
  }
  std::stable_sort(merged.events.begin(), merged.events.end(), [](const Event& a, const Event& b) {
    return a.thread != b.thread ? a.thread < b.thread : a.begin_ns < b.begin_ns;
  });
  return merged;
}

}  // namespace recinfer::profiler
