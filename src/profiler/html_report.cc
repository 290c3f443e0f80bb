#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "profiler/export.h"
#include "profiler/html_template.h"
#include "profiler/json_text.h"

namespace recinfer::profiler {

namespace {

constexpr size_t kMaxEmbeddedEvents = 300000;
constexpr size_t kTopOps = 20;

// Evenly spaced inferences over the run, as many as fit the event budget.
std::vector<int> pick_inferences(const Profile& profile, size_t max_inferences) {
  const size_t n = profile.inferences.size();
  if (n == 0) return {};
  const size_t per_inference = (profile.events.size() + n - 1) / n + 1;
  size_t m = std::min({n, std::max<size_t>(1, max_inferences),
                       std::max<size_t>(1, kMaxEmbeddedEvents / per_inference)});
  std::vector<int> picked;
  for (size_t i = 0; i < m; ++i) {
    picked.push_back(static_cast<int>(m == 1 ? n / 2 : i * (n - 1) / (m - 1)));
  }
  picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
  return picked;
}

struct PageData {
  std::string out;
  std::map<const OpInfo*, int> op_index;
  std::string ops;

  int index_of(const OpInfo* info) {
    auto [it, fresh] = op_index.try_emplace(info, static_cast<int>(op_index.size()));
    if (fresh) {
      if (it->second > 0) ops += ',';
      ops += '[';
      append_json_string(ops, info->name);
      ops += ',';
      append_json_string(ops, info->type);
      ops += info->dynamic ? ",true]" : ",false]";
    }
    return it->second;
  }
};

}  // namespace

Status write_html_report(const Profile& profile, const std::vector<OpRow>& rows,
                         const Summary& summary, const HtmlOptions& options,
                         const std::string& path) {
  const std::vector<int> picked = pick_inferences(profile, options.max_inferences);
  std::vector<int> slot(profile.inferences.size(), -1);
  for (size_t i = 0; i < picked.size(); ++i)
    slot[static_cast<size_t>(picked[i])] = static_cast<int>(i);

  PageData d;
  std::string events;
  bool has_queue = false;
  auto add_event = [&](int inference, int thread, EventKind kind, int64_t begin_ns, int64_t end_ns,
                       const OpInfo* info) {
    if (kind == EventKind::kQueueWait) has_queue = true;
    if (inference < 0 || slot[static_cast<size_t>(inference)] < 0) return;
    const int64_t origin = profile.inferences[static_cast<size_t>(inference)].begin_ns;
    if (!events.empty()) events += ',';
    fmt::format_to(std::back_inserter(events), "[{},{},\"{}\",{:.3f},{:.3f},{}]",
                   slot[static_cast<size_t>(inference)], thread, event_kind_code(kind),
                   static_cast<double>(begin_ns - origin) * 1e-3,
                   static_cast<double>(std::max<int64_t>(0, end_ns - begin_ns)) * 1e-3,
                   info ? d.index_of(info) : -1);
  };
  for (const OpRow& r : rows) {
    // On the lane of the thread that ran the inference (instance i's caller in merged profiles).
    const int caller = profile.inferences[static_cast<size_t>(r.op->inference)].caller_thread;
    add_event(r.op->inference, std::max(0, caller), EventKind::kOp, r.op->begin_ns, r.op->end_ns,
              r.info);
  }
  for (const Event& e : profile.events) {
    if (e.kind == EventKind::kOp) continue;
    const OpInfo* info =
        e.op >= 0 ? &profile.op_info(profile.ops[static_cast<size_t>(e.op)]) : nullptr;
    add_event(e.inference, e.thread, e.kind, e.begin_ns, e.end_ns, info);
  }

  std::string inferences;
  int initial = 0;
  std::vector<std::pair<int64_t, int>> by_latency;
  for (size_t i = 0; i < picked.size(); ++i) {
    const InferenceRecord& inf = profile.inferences[static_cast<size_t>(picked[i])];
    if (i > 0) inferences += ',';
    fmt::format_to(std::back_inserter(inferences), "[{},{:.3f},{:.3f}]", picked[i],
                   static_cast<double>(inf.begin_ns - profile.origin_ns) * 1e-3,
                   static_cast<double>(inf.end_ns - profile.origin_ns) * 1e-3);
    by_latency.emplace_back(inf.end_ns - inf.begin_ns, static_cast<int>(i));
  }
  if (!by_latency.empty()) {
    std::sort(by_latency.begin(), by_latency.end());
    initial = by_latency[by_latency.size() / 2].second;  // the median inference
  }

  std::string top;
  std::vector<OpTotal> totals = totals_by_op(rows);
  totals.resize(std::min(totals.size(), kTopOps));
  for (const OpTotal& t : totals) {
    if (!top.empty()) top += ',';
    fmt::format_to(std::back_inserter(top), "[{},{},{:.3f},{:.3f},{:.5f},{}]", json_string(t.name),
                   json_string(t.type), t.total_us, t.mean_us, t.share, t.max_threads);
  }
  std::string types;
  for (const TypeTotal& t : summary.types) {
    if (!types.empty()) types += ',';
    fmt::format_to(std::back_inserter(types), "[{},{},{:.3f},{:.3f},{:.5f}]", json_string(t.type),
                   t.count, t.total_us, t.mean_us, t.share);
  }

  std::string thread_names;  // merged multi-instance profiles name their threads
  for (const std::string& name : profile.thread_names) {
    if (!thread_names.empty()) thread_names += ',';
    thread_names += json_string(name);
  }

  std::string page = kHtmlPageStart;
  fmt::format_to(std::back_inserter(page),
                 "{{\"title\":{},\"summary\":{},\"threads\":{},\"threadNames\":[{}],\"hasQueue\":{},"
                 "\"initial\":{},\"ops\":[{}],\"inferences\":[{}],\"events\":[{}],\"top\":[{}],"
                 "\"types\":[{}]}}",
                 json_string(options.title.empty() ? "recinfer profile" : options.title),
                 json_string(format_summary(summary)), profile.num_threads, thread_names,
                 has_queue ? "true" : "false", initial, d.ops, inferences, events, top, types);
  page += kHtmlPageEnd;
  return write_text_file(path, page);
}

}  // namespace recinfer::profiler
