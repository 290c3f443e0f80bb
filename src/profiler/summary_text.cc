// The printed summary of `recinfer profile`.
#include <fmt/format.h>

#include "profiler/analysis.h"

namespace recinfer::profiler {

namespace {

double pct(double part, double whole) { return whole > 0 ? 100.0 * part / whole : 0.0; }

std::string thread_label(const Summary& s, int thread) {
  if (static_cast<size_t>(thread) < s.thread_names.size()) {
    return fmt::format("{} {}", thread, s.thread_names[static_cast<size_t>(thread)]);
  }
  return thread == 0 ? std::string("0 (caller)") : fmt::format("{} (worker)", thread);
}

}  // namespace

std::string format_summary(const Summary& s) {
  std::string out;
  auto line = [&out](const std::string& text) { out += text + "\n"; };
  if (s.inferences == 0) return "profile: no inferences recorded\n";
  const double latency = s.latency_mean_us;
  line(fmt::format("profile: {} inferences, {} thread{}, {:.0f} ops per inference ({:.0f} dynamic)",
                   s.inferences, s.threads, s.threads == 1 ? "" : "s", s.ops_per_inference,
                   s.dynamic_ops_per_inference));
  if (s.dropped_events > 0) {
    line(fmt::format("warning: {} events dropped (buffers full); figures undercount",
                     s.dropped_events));
  }
  line(fmt::format("latency µs: mean {:.1f}  p50 {:.1f}  p99 {:.1f}", latency, s.latency_p50_us,
                   s.latency_p99_us));
  line(
      fmt::format("breakdown per inference: staging {:.1f} µs ({:.1f}%) | compute {:.1f} µs "
                  "({:.1f}%) | idle {:.1f} µs ({:.1f}%)",
                  s.staging_us, pct(s.staging_us, latency), s.compute_us,
                  pct(s.compute_us, latency), s.idle_us, pct(s.idle_us, latency)));
  if (s.staging_copies > 0) {
    line(fmt::format(
        "staging copies per inference: {:.1f} ({:.0f} bytes, {:.1f} µs = {:.1f}% of latency)",
        s.staging_copies, s.staging_bytes, s.staging_copy_us, pct(s.staging_copy_us, latency)));
  } else {
    line(
        fmt::format("staging copies per inference: 0 (inputs are bound in place); staging "
                    "(input checks, plan lookup) {:.1f}% of latency",
                    pct(s.staging_us, latency)));
  }
  if (s.queue_wait_us > 0)
    line(fmt::format("queue wait per inference: {:.1f} µs", s.queue_wait_us));
  if (s.instance_threads == s.threads) {
    line(fmt::format("utilisation: {:.1f}% (busy thread time / (wall time x {} thread{}))",
                     100.0 * s.utilisation, s.threads, s.threads == 1 ? "" : "s"));
  } else {
    line(fmt::format("utilisation: {:.1f}% (busy thread time / (inference time x {} thread{} of "
                     "its instance), {} threads in all)",
                     100.0 * s.utilisation, s.instance_threads, s.instance_threads == 1 ? "" : "s",
                     s.threads));
  }
  line(fmt::format("  {:<12} {:>12} {:>12} {:>10} {:>14} {:>7}", "thread", "busy ms", "idle ms",
                   "bubbles", "bubbles/inf", "util"));
  for (const ThreadStats& t : s.per_thread) {
    line(fmt::format("  {:<12} {:>12.3f} {:>12.3f} {:>10} {:>14.1f} {:>6.1f}%",
                     thread_label(s, t.thread), t.busy_us / 1e3, t.idle_us / 1e3, t.bubbles,
                     static_cast<double>(t.bubbles) / static_cast<double>(s.inferences),
                     100.0 * t.utilisation));
  }
  line(
      fmt::format("  (a bubble is an idle gap of at least {:g} µs on a thread during an inference)",
                  s.bubble_threshold_us));
  if (s.dynamic_ops.empty()) {
    line("dynamic-shape ops: none (the plan is fully static)");
  } else {
    line(
        fmt::format("dynamic-shape ops: {:.0f} per inference; re-planning (shape inference + "
                    "allocation) {:.1f} µs per inference = {:.1f}% of latency",
                    s.dynamic_ops_per_inference, s.replan_us, pct(s.replan_us, latency)));
    const size_t shown = std::min<size_t>(s.dynamic_ops.size(), 10);
    for (size_t i = 0; i < shown; ++i) {
      const OpTotal& d = s.dynamic_ops[i];
      const auto n = static_cast<double>(d.count);
      line(fmt::format("  {:<40} {:<14} re-plan {:>8.2f} µs  compute {:>8.2f} µs", d.name, d.type,
                       d.replan_us / n, (d.total_us - d.replan_us) / n));
    }
    if (shown < s.dynamic_ops.size())
      line(fmt::format("  ... {} more", s.dynamic_ops.size() - shown));
  }
  line(fmt::format("top {} ops by total time:", s.top_ops.size()));
  line(fmt::format("  {:>3} {:<40} {:<16} {:>10} {:>10} {:>7} {:>7}", "#", "op", "type", "mean µs",
                   "total ms", "share", "threads"));
  for (size_t i = 0; i < s.top_ops.size(); ++i) {
    const OpTotal& t = s.top_ops[i];
    std::string name = t.name.size() > 40 ? "..." + t.name.substr(t.name.size() - 37) : t.name;
    line(fmt::format("  {:>3} {:<40} {:<16} {:>10.2f} {:>10.3f} {:>6.1f}% {:>7}", i + 1, name,
                     t.type + (t.dynamic ? "*" : ""), t.mean_us, t.total_us / 1e3, 100.0 * t.share,
                     t.max_threads));
  }
  if (!s.dynamic_ops.empty()) line("  (* dynamic-shape op)");
  return out;
}

}  // namespace recinfer::profiler
