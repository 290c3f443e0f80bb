#include "loadgen.h"

#include <sys/prctl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "bench_sweep.h"  // percentile

namespace recinfer::cli {
namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

struct Sample {
  double total_ms = 0;
  double queue_ms = 0, compute_ms = 0, batch = 0;
  bool timed = false;  // the server returned its timings
};

struct Collected {
  std::vector<Sample> ok;
  std::map<int, int> failures;
  std::string first_error;
  std::mutex mutex;
};

// One request on `transport`; records a sample or a failure.
void issue(serve::client::HttpTransport& transport, const LoadTarget& target, size_t index,
           Clock::time_point issued, Collected& out) {
  const auto& request = target.requests[index % target.requests.size()];
  serve::client::HttpReply reply = transport.post_infer(target.model, request);
  const Clock::time_point done = Clock::now();
  Sample s;
  s.total_ms = ms_between(issued, done);
  std::string error;
  if (reply.status == 200) {
    auto decoded = serve::client::decode_response(reply.body, reply.header_length);
    if (decoded.is_ok()) {
      if (decoded->server) {
        s.timed = true;
        s.queue_ms = static_cast<double>(decoded->server->queue_ns) / 1e6;
        s.compute_ms = static_cast<double>(decoded->server->compute_ns) / 1e6;
        s.batch = static_cast<double>(decoded->server->batch_size);
      }
    } else {
      error = decoded.status().message();
    }
  } else {
    error = reply.status == 0 ? reply.transport_error : reply.body.substr(0, 300);
  }
  std::lock_guard<std::mutex> lock(out.mutex);
  if (error.empty()) {
    out.ok.push_back(s);
  } else {
    ++out.failures[reply.status];
    if (out.first_error.empty()) out.first_error = fmt::format("HTTP {}: {}", reply.status, error);
  }
}

StepResult summarise(Collected& c, const LoadTarget& target, const LoadStep& step, double wall) {
  StepResult r;
  r.mode = step.rate > 0 ? "open" : "closed";
  r.concurrency = step.concurrency;
  r.offered_rate = step.rate;
  r.wall_s = wall;
  r.ok = static_cast<int>(c.ok.size());
  for (auto [status, n] : c.failures) r.failed += n;
  r.failures = c.failures;
  r.first_error = c.first_error;
  r.requests_per_s = wall > 0 ? r.ok / wall : 0;
  r.samples_per_s = r.requests_per_s * static_cast<double>(target.rows_per_request);
  if (c.ok.empty()) return r;
  std::vector<double> total;
  int timed = 0;
  for (const Sample& s : c.ok) {
    total.push_back(s.total_ms);
    r.avg_ms += s.total_ms;
    if (s.timed) {
      ++timed;
      r.server_queue_ms += s.queue_ms;
      r.server_compute_ms += s.compute_ms;
      r.server_batch += s.batch;
      r.client_network_ms += s.total_ms - s.queue_ms - s.compute_ms;
    }
  }
  std::sort(total.begin(), total.end());
  r.avg_ms /= static_cast<double>(total.size());
  r.p50_ms = percentile(total, 50);
  r.p90_ms = percentile(total, 90);
  r.p99_ms = percentile(total, 99);
  r.max_ms = total.back();
  if (timed) {
    r.server_queue_ms /= timed;
    r.server_compute_ms /= timed;
    r.server_batch /= timed;
    r.client_network_ms /= timed;
  }
  return r;
}

}  // namespace

Result<StepResult> run_load_step(const LoadTarget& target, const LoadStep& step) {
  if (target.requests.empty()) return invalid_argument("no request to send");
  const bool open = step.rate > 0;
  const int threads = std::max(1, step.concurrency);
  std::vector<std::unique_ptr<serve::client::HttpTransport>> transports;
  for (int t = 0; t < threads; ++t) {
    RI_ASSIGN_OR_RETURN(auto transport, target.connect());
    transports.push_back(std::move(transport));
  }
  // Warm-up (closed loop, untimed): connections open, server plans built.
  {
    Collected ignored;
    std::atomic<int> next{0};
    std::vector<std::thread> warm;
    for (int t = 0; t < threads; ++t) {
      warm.emplace_back([&, t] {
        for (int i; (i = next.fetch_add(1)) < step.warmup;) {
          issue(*transports[static_cast<size_t>(t)], target, static_cast<size_t>(i), Clock::now(),
                ignored);
        }
      });
    }
    for (auto& w : warm) w.join();
  }

  Collected collected;
  std::atomic<size_t> next{0};
  const auto length = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(step.seconds));
  std::vector<Clock::duration> arrivals;
  if (open) {
    std::mt19937_64 rng(12345);
    std::exponential_distribution<double> gap(step.rate);
    double t = 0;
    while ((t += gap(rng)) < step.seconds) {
      arrivals.push_back(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(t)));
    }
  }
  const Clock::time_point start = Clock::now();
  std::vector<std::thread> clients;
  for (int t = 0; t < threads; ++t) {
    clients.emplace_back([&, t] {
      prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
      auto& transport = *transports[static_cast<size_t>(t)];
      for (;;) {
        const size_t i = next.fetch_add(1);
        Clock::time_point issued = Clock::now();
        if (open) {
          if (i >= arrivals.size()) return;
          const Clock::time_point due = start + arrivals[i];
          if (due > issued) std::this_thread::sleep_until(due);
          issued = due;  // latency from the scheduled arrival
        } else if (issued - start >= length) {
          return;
        }
        issue(transport, target, static_cast<size_t>(step.warmup) + i, issued, collected);
      }
    });
  }
  for (auto& c : clients) c.join();
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  return summarise(collected, target, step, wall);
}

Result<SloSearch> search_rate_under_slo(const LoadTarget& target, double slo_ms, int concurrency,
                                        double seconds, int probes) {
  SloSearch search;
  search.slo_ms = slo_ms;
  LoadStep closed;
  closed.concurrency = concurrency;
  closed.seconds = seconds;
  RI_ASSIGN_OR_RETURN(StepResult peak, run_load_step(target, closed));
  search.probes.push_back(peak);
  double lo = 0, hi = 0.95 * peak.requests_per_s;
  for (int p = 0; p < probes && hi > 0; ++p) {
    const double rate = p == 0 ? hi : (lo + hi) / 2;
    LoadStep open;
    open.rate = rate;
    open.concurrency = std::max(concurrency, 16);
    open.seconds = seconds;
    open.warmup = 0;
    RI_ASSIGN_OR_RETURN(StepResult r, run_load_step(target, open));
    search.probes.push_back(r);
    const bool meets = r.failed == 0 && r.ok > 0 && r.p99_ms <= slo_ms;
    if (meets && rate > search.best_rate) {
      search.best_rate = rate;
      search.best = r;
    }
    if (p == 0 && meets) break;
    (meets ? lo : hi) = rate;
  }
  return search;
}

nlohmann::json to_json(const StepResult& r) {
  nlohmann::json failures = nlohmann::json::object();
  for (auto [status, n] : r.failures) failures[std::to_string(status)] = n;
  return {{"mode", r.mode},
          {"concurrency", r.concurrency},
          {"offered_rate", r.offered_rate},
          {"wall_s", r.wall_s},
          {"ok", r.ok},
          {"failed", r.failed},
          {"failures_by_status", failures},
          {"first_error", r.first_error},
          {"requests_per_s", r.requests_per_s},
          {"samples_per_s", r.samples_per_s},
          {"avg_ms", r.avg_ms},
          {"p50_ms", r.p50_ms},
          {"p90_ms", r.p90_ms},
          {"p99_ms", r.p99_ms},
          {"max_ms", r.max_ms},
          {"server_queue_ms", r.server_queue_ms},
          {"server_compute_ms", r.server_compute_ms},
          {"client_network_ms", r.client_network_ms},
          {"server_batch", r.server_batch}};
}

std::string csv_header() {
  return "mode,concurrency,offered_rate,ok,failed,requests_per_s,samples_per_s,avg_ms,p50_ms,"
         "p90_ms,p99_ms,max_ms,server_queue_ms,server_compute_ms,client_network_ms,server_batch";
}

std::string to_csv(const StepResult& r) {
  return fmt::format("{},{},{:.1f},{},{},{:.2f},{:.1f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.2f}",
                     r.mode, r.concurrency, r.offered_rate, r.ok, r.failed, r.requests_per_s,
                     r.samples_per_s, r.avg_ms, r.p50_ms, r.p90_ms, r.p99_ms, r.max_ms,
                     r.server_queue_ms, r.server_compute_ms, r.client_network_ms, r.server_batch);
}

}  // namespace recinfer::cli
