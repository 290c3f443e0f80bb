// Reading a Profile the msprof way: one row per op instance (start, duration, wait since the
// previous op on the instance, threads used), totals per op and per op type, and the summary:
// latency breakdown (staging / compute / idle), staging copies, bubbles and utilisation per
// thread, dynamic-shape ops with their re-planning time, top ops.
#pragma once

#include <string>
#include <vector>

#include "profiler/event.h"

namespace recinfer::profiler {

// Times are µs; `start_us` is relative to Profile::origin_ns.
struct OpRow {
  const OpInstance* op = nullptr;
  const OpInfo* info = nullptr;
  const std::vector<TensorDesc>* inputs = nullptr;  // as this instance saw them
  const std::vector<TensorDesc>* outputs = nullptr;
  double start_us = 0;
  double duration_us = 0;
  // Gap since the previous op of the same inference ended (for the first op: since the
  // inference began, which includes staging).
  double wait_us = 0;
  double replan_us = 0;
  int threads_used = 1;  // the calling thread plus workers that ran chunks of this op
};

std::vector<OpRow> op_rows(const Profile& profile);

struct TypeTotal {
  std::string type;
  int64_t count = 0;
  double total_us = 0;
  double mean_us = 0;
  double share = 0;  // of all op time
};
// Sorted by total, largest first.
std::vector<TypeTotal> totals_by_type(const std::vector<OpRow>& rows);

// One op of the plan across all inferences (msprof's op_name de-duplicated).
struct OpTotal {
  std::string name;
  std::string type;
  bool dynamic = false;
  int64_t count = 0;
  double total_us = 0;
  double mean_us = 0;
  double replan_us = 0;  // total
  double share = 0;      // of all op time
  int max_threads = 1;
};
std::vector<OpTotal> totals_by_op(const std::vector<OpRow>& rows);

struct ThreadStats {
  int thread = 0;
  double busy_us = 0;
  double idle_us = 0;
  int64_t bubbles = 0;  // idle gaps of at least the threshold inside inferences
  double utilisation = 0;
};

struct SummaryOptions {
  double bubble_threshold_us = 1.0;
  size_t top_ops = 10;
};

struct Summary {
  int64_t inferences = 0;
  int threads = 1;
  double ops_per_inference = 0;
  double dynamic_ops_per_inference = 0;
  double wall_us = 0;  // sum of inference spans
  double latency_mean_us = 0, latency_p50_us = 0, latency_p99_us = 0;
  // Per inference, means.
  double staging_us = 0, compute_us = 0, idle_us = 0, replan_us = 0;
  double staging_copies = 0, staging_bytes = 0, staging_copy_us = 0, queue_wait_us = 0;
  std::vector<ThreadStats> per_thread;
  std::vector<std::string> thread_names;  // Profile::thread_names (empty: caller / workers)
  int instance_threads = 1;               // threads serving one inference (Profile::instance_threads)
  double utilisation = 0;            // busy thread time / (wall time x threads)
  std::vector<OpTotal> dynamic_ops;  // by re-planning time
  std::vector<OpTotal> top_ops;      // by total time
  std::vector<TypeTotal> types;
  int64_t dropped_events = 0;
  double bubble_threshold_us = 1.0;
};

Summary summarize(const Profile& profile, const std::vector<OpRow>& rows,
                  const SummaryOptions& options = {});
std::string format_summary(const Summary& summary);

// "128,26;100000,64" and "int64;float32" (msprof's Input Shapes / Input Data Types); a rank-0
// tensor's shape is "scalar", an omitted optional input an empty entry.
std::string format_shapes(const std::vector<TensorDesc>& tensors);
std::string format_dtypes(const std::vector<TensorDesc>& tensors);

}  // namespace recinfer::profiler
