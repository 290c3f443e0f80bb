#include "profiler/analysis.h"

#include <algorithm>
#include <map>

namespace recinfer::profiler {

namespace {

constexpr double kUsPerNs = 1e-3;

struct Interval {
  int64_t begin_ns = 0;
  int64_t end_ns = 0;
};

// Busy intervals of each thread in time order. The calling thread is busy during its ops except
// while it waits for workers at the end of a parallel job; workers are busy during their work.
std::vector<std::vector<Interval>> busy_intervals(const Profile& profile) {
  const auto threads = static_cast<size_t>(profile.num_threads);
  std::vector<std::vector<Interval>> busy(threads);
  std::vector<char> caller(threads, 0);
  for (const InferenceRecord& inf : profile.inferences) {
    if (inf.caller_thread >= 0 && static_cast<size_t>(inf.caller_thread) < threads) {
      caller[static_cast<size_t>(inf.caller_thread)] = 1;
    }
  }
  std::vector<std::vector<Interval>> join_waits(threads);  // per calling thread
  for (const Event& e : profile.events) {
    if (e.thread < 0 || e.thread >= profile.num_threads) continue;
    const auto t = static_cast<size_t>(e.thread);
    if (e.kind == EventKind::kWork && !caller[t] && e.thread > 0) {
      busy[t].push_back({e.begin_ns, e.end_ns});
    } else if (e.kind == EventKind::kJoinWait) {
      join_waits[t].push_back({e.begin_ns, e.end_ns});
    }
  }
  // Each calling thread is busy during its own inferences' ops, minus its join waits.
  std::vector<std::vector<const OpInstance*>> ops(threads);
  for (const OpInstance& op : profile.ops) {
    const int t = profile.inferences[static_cast<size_t>(op.inference)].caller_thread;
    if (t >= 0 && t < profile.num_threads) ops[static_cast<size_t>(t)].push_back(&op);
  }
  for (size_t t = 0; t < threads; ++t) {
    auto& mine = ops[t];
    std::sort(mine.begin(), mine.end(),
              [](const OpInstance* a, const OpInstance* b) { return a->begin_ns < b->begin_ns; });
    const auto& waits = join_waits[t];
    size_t w = 0;
    for (const OpInstance* op : mine) {
      int64_t cursor = op->begin_ns;
      while (w < waits.size() && waits[w].begin_ns < op->begin_ns) ++w;
      for (; w < waits.size() && waits[w].end_ns <= op->end_ns; ++w) {
        if (waits[w].begin_ns > cursor) busy[t].push_back({cursor, waits[w].begin_ns});
        cursor = std::max(cursor, waits[w].end_ns);
      }
      if (op->end_ns > cursor) busy[t].push_back({cursor, op->end_ns});
    }
  }
  return busy;
}

ThreadStats thread_stats(int thread, const std::vector<Interval>& busy,
                         const std::vector<InferenceRecord>& inferences, int64_t threshold_ns) {
  ThreadStats stats;
  stats.thread = thread;
  int64_t busy_ns = 0, idle_ns = 0;
  size_t k = 0;
  for (const InferenceRecord& inf : inferences) {
    int64_t cursor = inf.begin_ns;
    while (k < busy.size() && busy[k].end_ns <= inf.begin_ns) ++k;
    for (; k < busy.size() && busy[k].begin_ns < inf.end_ns; ++k) {
      const int64_t begin = std::max(busy[k].begin_ns, cursor);
      const int64_t end = std::min(busy[k].end_ns, inf.end_ns);
      if (end <= begin) continue;
      if (begin - cursor >= threshold_ns && begin > cursor) ++stats.bubbles;
      idle_ns += begin - cursor;
      busy_ns += end - begin;
      cursor = end;
    }
    if (inf.end_ns - cursor >= threshold_ns && inf.end_ns > cursor) ++stats.bubbles;
    idle_ns += inf.end_ns - cursor;
  }
  stats.busy_us = static_cast<double>(busy_ns) * kUsPerNs;
  stats.idle_us = static_cast<double>(idle_ns) * kUsPerNs;
  const double wall = stats.busy_us + stats.idle_us;
  stats.utilisation = wall > 0 ? stats.busy_us / wall : 0;
  return stats;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t idx = static_cast<size_t>(p / 100.0 * static_cast<double>(values.size()) + 0.999999);
  return values[std::min(values.size() - 1, idx == 0 ? 0 : idx - 1)];
}

std::string join_descs(const std::vector<TensorDesc>& tensors, bool shapes) {
  std::string out;
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (i > 0) out += ';';
    const TensorDesc& t = tensors[i];
    if (!t.present) continue;
    if (!shapes) {
      out += dtype_name(t.dtype);
      continue;
    }
    if (t.shape.rank() == 0) out += "scalar";
    for (int d = 0; d < t.shape.rank(); ++d) {
      if (d > 0) out += ',';
      out += std::to_string(t.shape[d]);
    }
  }
  return out;
}

}  // namespace

std::string format_shapes(const std::vector<TensorDesc>& tensors) {
  return join_descs(tensors, true);
}
std::string format_dtypes(const std::vector<TensorDesc>& tensors) {
  return join_descs(tensors, false);
}

std::vector<OpRow> op_rows(const Profile& profile) {
  std::vector<int> threads(profile.ops.size(), 1);
  std::vector<int> last_thread(profile.ops.size(), 0);
  for (const Event& e : profile.events) {
    if (e.kind != EventKind::kWork || e.thread == 0 || e.op < 0) continue;
    const auto op = static_cast<size_t>(e.op);
    if (op >= threads.size() || last_thread[op] == e.thread) continue;
    last_thread[op] = e.thread;
    ++threads[op];
  }
  std::vector<OpRow> rows;
  rows.reserve(profile.ops.size());
  int64_t previous_end = 0;
  int32_t previous_inference = -1;
  for (size_t i = 0; i < profile.ops.size(); ++i) {
    const OpInstance& op = profile.ops[i];
    if (op.inference != previous_inference) {
      previous_end = profile.inferences[static_cast<size_t>(op.inference)].begin_ns;
      previous_inference = op.inference;
    }
    OpRow row;
    row.op = &op;
    row.info = &profile.op_info(op);
    row.inputs = &profile.inputs_of(op);
    row.outputs = &profile.outputs_of(op);
    row.start_us = static_cast<double>(op.begin_ns - profile.origin_ns) * kUsPerNs;
    row.duration_us = static_cast<double>(op.end_ns - op.begin_ns) * kUsPerNs;
    row.wait_us = static_cast<double>(std::max<int64_t>(0, op.begin_ns - previous_end)) * kUsPerNs;
    row.replan_us = static_cast<double>(op.replan_ns) * kUsPerNs;
    row.threads_used = threads[i];
    previous_end = op.end_ns;
    rows.push_back(row);
  }
  return rows;
}

std::vector<TypeTotal> totals_by_type(const std::vector<OpRow>& rows) {
  std::map<std::string, TypeTotal> by_type;
  double all = 0;
  for (const OpRow& r : rows) {
    TypeTotal& t = by_type[r.info->type];
    t.type = r.info->type;
    ++t.count;
    t.total_us += r.duration_us;
    all += r.duration_us;
  }
  std::vector<TypeTotal> out;
  for (auto& [type, t] : by_type) {
    t.mean_us = t.total_us / static_cast<double>(t.count);
    t.share = all > 0 ? t.total_us / all : 0;
    out.push_back(t);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const TypeTotal& a, const TypeTotal& b) { return a.total_us > b.total_us; });
  return out;
}

std::vector<OpTotal> totals_by_op(const std::vector<OpRow>& rows) {
  // By node (name and type): the same node in several plans (batch sizes, engine instances)
  // is one row.
  std::map<std::pair<std::string, std::string>, OpTotal> by_op;
  std::vector<std::pair<std::string, std::string>> order;
  double all = 0;
  for (const OpRow& r : rows) {
    const std::pair<std::string, std::string> key{r.info->name, r.info->type};
    auto [it, fresh] = by_op.try_emplace(key);
    OpTotal& t = it->second;
    if (fresh) {
      order.push_back(key);
      t.name = r.info->name;
      t.type = r.info->type;
      t.dynamic = r.info->dynamic;
    }
    ++t.count;
    t.total_us += r.duration_us;
    t.replan_us += r.replan_us;
    t.max_threads = std::max(t.max_threads, r.threads_used);
    all += r.duration_us;
  }
  std::vector<OpTotal> out;
  for (const auto& key : order) {
    OpTotal t = by_op[key];
    t.mean_us = t.total_us / static_cast<double>(t.count);
    t.share = all > 0 ? t.total_us / all : 0;
    out.push_back(std::move(t));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const OpTotal& a, const OpTotal& b) { return a.total_us > b.total_us; });
  return out;
}

Summary summarize(const Profile& profile, const std::vector<OpRow>& rows,
                  const SummaryOptions& options) {
  Summary s;
  s.inferences = static_cast<int64_t>(profile.inferences.size());
  s.threads = profile.num_threads;
  s.thread_names = profile.thread_names;
  s.instance_threads = profile.instance_threads();
  s.dropped_events = profile.dropped_events;
  s.bubble_threshold_us = options.bubble_threshold_us;
  if (s.inferences == 0) return s;
  const auto n = static_cast<double>(s.inferences);
  std::vector<double> latencies;
  for (const InferenceRecord& inf : profile.inferences) {
    latencies.push_back(static_cast<double>(inf.end_ns - inf.begin_ns) * kUsPerNs);
    s.wall_us += latencies.back();
  }
  s.latency_mean_us = s.wall_us / n;
  s.latency_p50_us = percentile(latencies, 50);
  s.latency_p99_us = percentile(latencies, 99);
  s.ops_per_inference = static_cast<double>(rows.size()) / n;
  for (const OpRow& r : rows) {
    s.compute_us += r.duration_us;
    s.replan_us += r.replan_us;
    if (r.info->dynamic) s.dynamic_ops_per_inference += 1;
  }
  for (const Event& e : profile.events) {
    const double us = static_cast<double>(e.end_ns - e.begin_ns) * kUsPerNs;
    if (e.kind == EventKind::kStaging) s.staging_us += us;
    if (e.kind == EventKind::kStagingCopy) {
      s.staging_copies += 1;
      s.staging_bytes += static_cast<double>(e.value);
      s.staging_copy_us += us;
    }
    if (e.kind == EventKind::kQueueWait) s.queue_wait_us += us;
  }
  s.idle_us = std::max(0.0, s.wall_us - s.staging_us - s.compute_us) / n;
  for (double* v : {&s.compute_us, &s.replan_us, &s.dynamic_ops_per_inference, &s.staging_us,
                    &s.staging_copies, &s.staging_bytes, &s.staging_copy_us, &s.queue_wait_us}) {
    *v /= n;
  }
  const auto busy = busy_intervals(profile);
  const auto threshold_ns = static_cast<int64_t>(options.bubble_threshold_us * 1e3);
  double busy_total = 0;
  // A thread is measured against the inferences of its own instance (all of them unless merged).
  const int per_instance = profile.instance_threads();
  std::vector<std::vector<InferenceRecord>> by_instance(
      static_cast<size_t>((profile.num_threads + per_instance - 1) / per_instance));
  for (const InferenceRecord& inf : profile.inferences) {
    const size_t instance = static_cast<size_t>(inf.caller_thread / per_instance);
    if (instance < by_instance.size()) by_instance[instance].push_back(inf);
  }
  for (int t = 0; t < profile.num_threads; ++t) {
    s.per_thread.push_back(thread_stats(t, busy[static_cast<size_t>(t)],
                                        by_instance[static_cast<size_t>(t / per_instance)],
                                        threshold_ns));
    busy_total += s.per_thread.back().busy_us;
  }
  // Each inference occupies its instance's threads for its latency.
  s.utilisation = s.wall_us > 0 ? busy_total / (s.wall_us * per_instance) : 0;
  std::vector<OpTotal> by_op = totals_by_op(rows);
  for (const OpTotal& t : by_op) {
    if (t.dynamic) s.dynamic_ops.push_back(t);
  }
  std::stable_sort(s.dynamic_ops.begin(), s.dynamic_ops.end(),
                   [](const OpTotal& a, const OpTotal& b) { return a.replan_us > b.replan_us; });
  by_op.resize(std::min(by_op.size(), options.top_ops));
  s.top_ops = std::move(by_op);
  s.types = totals_by_type(rows);
  return s;
}

}  // namespace recinfer::profiler
