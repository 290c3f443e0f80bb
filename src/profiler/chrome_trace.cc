// Chrome trace event format:
// https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU
#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "profiler/export.h"
#include "profiler/json_text.h"

namespace recinfer::profiler {

namespace {

constexpr int kPid = 1;
constexpr int kQueueTid = 1000;  // a lane of its own: queue waits happen before any thread runs

struct TraceWriter {
  std::string out;
  bool first = true;
  int64_t origin_ns = 0;

  void begin_event() {
    out += first ? "\n" : ",\n";
    first = false;
  }
  void metadata(const char* name, int tid, const std::string& value) {
    begin_event();
    fmt::format_to(std::back_inserter(out),
                   R"({{"name":"{}","ph":"M","pid":{},"tid":{},"args":{{"name":{}}}}})", name, kPid,
                   tid, json_string(value));
  }
  // An X event; `args` is a JSON object body without braces (may be empty).
  void complete(std::string_view name, std::string_view cat, int tid, int64_t begin_ns,
                int64_t end_ns, const std::string& args) {
    begin_event();
    out += R"({"name":)";
    append_json_string(out, name);
    out += R"(,"cat":)";
    append_json_string(out, cat);
    fmt::format_to(std::back_inserter(out),
                   R"(,"ph":"X","pid":{},"tid":{},"ts":{:.3f},"dur":{:.3f},"args":{{{}}}}})", kPid,
                   tid, static_cast<double>(begin_ns - origin_ns) * 1e-3,
                   static_cast<double>(std::max<int64_t>(0, end_ns - begin_ns)) * 1e-3, args);
  }
};

std::string op_args(const OpRow& row) {
  std::string a = fmt::format(
      R"("inference":{},"step":{},"type":{},"dynamic":{},"threads":{},"wait_us":{:.3f})",
      row.op->inference, row.op->step, json_string(row.info->type),
      row.info->dynamic ? "true" : "false", row.threads_used, row.wait_us);
  if (row.info->dynamic) a += fmt::format(R"(,"replan_us":{:.3f})", row.replan_us);
  a += R"(,"input_shapes":)" + json_string(format_shapes(*row.inputs));
  a += R"(,"input_dtypes":)" + json_string(format_dtypes(*row.inputs));
  a += R"(,"output_shapes":)" + json_string(format_shapes(*row.outputs));
  a += R"(,"output_dtypes":)" + json_string(format_dtypes(*row.outputs));
  return a;
}

}  // namespace

Status write_text_file(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return io_error("cannot open '{}' for writing", path);
  file.write(text.data(), static_cast<std::streamsize>(text.size()));
  file.close();
  if (!file) return io_error("cannot write '{}'", path);
  return Status::ok();
}

Status write_chrome_trace(const Profile& profile, const std::vector<OpRow>& rows,
                          const std::string& path) {
  TraceWriter w;
  w.origin_ns = profile.origin_ns;
  w.out = R"({"displayTimeUnit":"ns","traceEvents":[)";
  w.metadata("process_name", 0, "recinfer session");
  for (int t = 0; t < profile.num_threads; ++t) {
    w.metadata("thread_name", t,
               static_cast<size_t>(t) < profile.thread_names.size()
                   ? profile.thread_names[static_cast<size_t>(t)]
                   : (t == 0 ? std::string("thread 0 (caller)") : fmt::format("worker {}", t)));
  }
  std::vector<int> queue_lanes;  // one per thread that recorded queue waits (one per instance)
  for (size_t i = 0; i < profile.inferences.size(); ++i) {
    const InferenceRecord& inf = profile.inferences[i];
    w.complete(fmt::format("inference {}", i), "inference", inf.caller_thread, inf.begin_ns,
               inf.end_ns, fmt::format(R"("ops":{})", inf.num_ops));
  }
  for (const OpRow& row : rows) {
    const int tid = profile.inferences[static_cast<size_t>(row.op->inference)].caller_thread;
    w.complete(row.info->name, row.info->type, tid, row.op->begin_ns, row.op->end_ns, op_args(row));
  }
  for (const Event& e : profile.events) {
    const OpInfo* info =
        e.op >= 0 ? &profile.op_info(profile.ops[static_cast<size_t>(e.op)]) : nullptr;
    switch (e.kind) {
      case EventKind::kOp:
        break;  // written from the rows, which carry shapes and wait
      case EventKind::kStaging:
        w.complete("staging", "staging", e.thread, e.begin_ns, e.end_ns, "");
        break;
      case EventKind::kStagingCopy:
        w.complete("staging copy", "staging", e.thread, e.begin_ns, e.end_ns,
                   fmt::format(R"("bytes":{})", e.value));
        break;
      case EventKind::kQueueWait:
        if (std::find(queue_lanes.begin(), queue_lanes.end(), e.thread) == queue_lanes.end()) {
          queue_lanes.push_back(e.thread);
        }
        w.complete("queue wait", "queue", kQueueTid + e.thread, e.begin_ns, e.end_ns, "");
        break;
      case EventKind::kReplan:
        w.complete("re-plan " + (info ? info->name : std::string()), "replan", e.thread,
                   e.begin_ns, e.end_ns, "");
        break;
      case EventKind::kWork:
        w.complete(
            info ? info->name : "work", "work", e.thread, e.begin_ns, e.end_ns,
            fmt::format(R"("chunks":{},"type":{})", e.value, json_string(info ? info->type : "")));
        break;
      case EventKind::kJoinWait:
        w.complete("join wait", "wait", e.thread, e.begin_ns, e.end_ns, "");
        break;
    }
  }
  for (int lane : queue_lanes) {
    w.metadata("thread_name", kQueueTid + lane,
               queue_lanes.size() == 1 ? std::string("request queue")
                                       : fmt::format("request queue (thread {})", lane));
  }
  w.out += "\n]}\n";
  return write_text_file(path, w.out);
}

}  // namespace recinfer::profiler
