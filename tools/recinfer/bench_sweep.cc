#include "bench_sweep.h"

#include <sys/prctl.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <latch>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "runtime/engine_placement.h"
#include "tooling/batching.h"

namespace recinfer::cli {

namespace {

using Clock = std::chrono::steady_clock;

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

int engine_cpus(const Engine& engine) {
  const EngineOptions& o = engine.options();
  const int threads = o.instances * o.cores_per_instance;
  const int cpus = static_cast<int>(runtime::allowed_cpus().size());
  return std::max(1, std::min(threads, cpus));
}

struct Driven {
  std::vector<double> latencies;  // ms, per request
  std::vector<double> lags;       // ms, per request: start of run() after its arrival (open loop)
};

// Runs `total` requests from `threads` callers, request i being requests[(first + i) % size]; request i starts no earlier than arrival(i)
// (when given) and its latency counts from max(arrival, previous completion of the caller).
// The lag is how late the caller actually got to run() after the arrival: the wake-up from its
// sleep, or the wait for its previous request (with enough callers, mostly the wake-up).
template <typename Arrival>
Result<Driven> drive(Engine& engine, const RequestSet& requests, size_t first, int threads,
                     int total, Clock::time_point start, Arrival arrival) {
  Driven d;
  d.latencies.assign(static_cast<size_t>(total), 0.0);
  d.lags.assign(static_cast<size_t>(total), 0.0);
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  Status first_error;
  std::mutex error_mutex;
  std::vector<std::thread> callers;
  for (int t = 0; t < threads; ++t) {
    callers.emplace_back([&] {
      // Sleeps end on time rather than up to 50 µs late (the default timer slack).
      prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
      std::vector<Tensor> outputs;
      for (;;) {
        const int i = next.fetch_add(1, std::memory_order_relaxed);
        if (i >= total || failed.load(std::memory_order_relaxed)) return;
        Clock::time_point issued = Clock::now();
        if (auto due = arrival(i, start)) {
          if (*due > issued) std::this_thread::sleep_until(*due);
          d.lags[static_cast<size_t>(i)] = std::max(0.0, ms_between(*due, Clock::now()));
          issued = *due;
        }
        Status st = engine.run(requests[(first + static_cast<size_t>(i)) % requests.size()], outputs);
        d.latencies[static_cast<size_t>(i)] = ms_between(issued, Clock::now());
        if (!st.is_ok()) {
          std::lock_guard<std::mutex> lock(error_mutex);
          if (!failed.exchange(true)) first_error = st;
        }
      }
    });
  }
  for (auto& c : callers) c.join();
  if (failed.load()) return first_error;
  return d;
}

std::optional<Clock::time_point> no_arrival(int, Clock::time_point) { return std::nullopt; }

}  // namespace

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0.0;
  size_t idx = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  idx = std::min(sorted.size() - 1, idx == 0 ? 0 : idx - 1);
  return sorted[idx];
}

std::string EngineConfig::label() const {
  return fmt::format("{} inst x {} core{}, limit {}, batched {}", instances, cores_per_instance,
                     cores_per_instance == 1 ? "" : "s", core_limit.to_string(),
                     batched_input ? "on" : "off");
}

EngineOptions engine_options(const EngineConfig& config, bool pin, bool optimize,
                             const std::vector<std::string>& disabled_passes,
                             const LimitFlags& limits) {
  EngineOptions o;
  o.instances = config.instances;
  o.cores_per_instance = config.cores_per_instance;
  o.core_limit = config.core_limit;
  o.staging = config.batched_input ? InputStaging::kBatched : InputStaging::kPerTensor;
  o.pin = pin;
  o.optimize = optimize;
  o.disabled_passes = disabled_passes;
  o.limits = limits.limits;
  o.allow_external_hardlinks = limits.allow_hardlinks;
  return o;
}

Result<std::vector<Tensor>> make_request(const std::vector<TensorSpec>& specs,
                                         const std::vector<Tensor>& source, int64_t batch,
                                         bool packed, PackedRequest* storage) {
  std::vector<Tensor> inputs = source;
  if (batch > 0) {
    RI_ASSIGN_OR_RETURN(tooling::BatchLayout layout, tooling::detect_batch_layout(specs));
    RI_ASSIGN_OR_RETURN(const int64_t given, tooling::batch_size(layout, source));
    if (batch != given) {
      auto rebatched = tooling::rebatch(layout, source, batch);
      if (!rebatched.is_ok()) return rebatched.status().with_context(fmt::format("--batch {}", batch));
      inputs = std::move(rebatched).value();
    }
  }
  if (!packed) return inputs;
  RI_ASSIGN_OR_RETURN(*storage, PackedRequest::pack(inputs));
  return storage->tensors();
}

namespace {

// avg/p50/p99/max, throughput and arrival lags from m's raw latencies, lags, iterations and wall.
void summarize_latencies(Measurement& m) {
  m.inferences_per_s = m.iterations / std::max(m.wall_s, 1e-9);
  std::vector<double> sorted = m.latencies_ms;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (double v : sorted) sum += v;
  m.avg_ms = sorted.empty() ? 0 : sum / static_cast<double>(sorted.size());
  m.p50_ms = percentile(sorted, 50);
  m.p99_ms = percentile(sorted, 99);
  m.max_ms = sorted.empty() ? 0 : sorted.back();
  if (!m.lags_ms.empty()) {
    std::vector<double> lags = m.lags_ms;
    std::sort(lags.begin(), lags.end());
    m.arrival_lag_p50_ms = percentile(lags, 50);
    m.arrival_lag_p99_ms = percentile(lags, 99);
  }
}

}  // namespace

Measurement combine_rounds(const std::vector<Measurement>& rounds) {
  if (rounds.size() == 1) return rounds.front();
  Measurement m;
  if (rounds.empty()) return m;
  m.mode = rounds.front().mode;
  m.concurrency = rounds.front().concurrency;
  m.offered_rate = rounds.front().offered_rate;
  double cpu_seconds = 0;
  std::vector<double> staging_p50;
  for (const Measurement& r : rounds) {
    m.iterations += r.iterations;
    m.wall_s += r.wall_s;
    const double n = r.iterations;
    m.copies_per_inference += r.copies_per_inference * n;
    m.staged_bytes_per_inference += r.staged_bytes_per_inference * n;
    m.staging_us_per_inference += r.staging_us_per_inference * n;
    cpu_seconds += r.cpu_utilization * r.wall_s;
    staging_p50.push_back(r.staging_p50_us);
    m.latencies_ms.insert(m.latencies_ms.end(), r.latencies_ms.begin(), r.latencies_ms.end());
    m.lags_ms.insert(m.lags_ms.end(), r.lags_ms.begin(), r.lags_ms.end());
  }
  const double n = std::max(1, m.iterations);
  m.copies_per_inference /= n;
  m.staged_bytes_per_inference /= n;
  m.staging_us_per_inference /= n;
  m.cpu_utilization = cpu_seconds / std::max(m.wall_s, 1e-9);
  std::sort(staging_p50.begin(), staging_p50.end());
  m.staging_p50_us = staging_p50[staging_p50.size() / 2];
  summarize_latencies(m);
  return m;
}

Result<Measurement> measure(Engine& engine, const RequestSet& requests, const LoadSpec& load) {
  if (requests.empty()) return invalid_argument("no request to measure");
  const EngineOptions& options = engine.options();
  const bool open = load.rate > 0;
  int threads = load.concurrency > 0 ? load.concurrency : options.instances;
  // Open loop: enough clients that arrivals are rarely held back by busy clients (latency is
  // counted from the scheduled arrival either way).
  if (open && load.concurrency <= 0) threads = std::max(8, 4 * options.instances);
  const int warmup = load.warmup >= 0 ? load.warmup : std::max(3, load.iterations / 10);
  RI_RETURN_IF_ERROR(engine.prepare(requests.front()));
  if (warmup > 0) {
    auto warm = drive(engine, requests, 0, std::min(threads, options.instances), warmup, Clock::now(),
                      no_arrival);
    if (!warm.is_ok()) return warm.status();
  }
  engine.reset_stats();

  std::vector<Clock::duration> arrivals;
  if (open) {
    std::mt19937_64 rng(load.seed);
    std::exponential_distribution<double> gap(load.rate);
    double t = 0;
    for (int i = 0; i < load.iterations; ++i) {
      t += gap(rng);
      arrivals.push_back(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(t)));
    }
  }
  const double cpu0 = process_cpu_seconds();
  const Clock::time_point start = Clock::now();
  Result<Driven> driven =
      open ? drive(engine, requests, static_cast<size_t>(warmup), threads, load.iterations, start,
                   [&](int i, Clock::time_point s) -> std::optional<Clock::time_point> {
                     return s + arrivals[static_cast<size_t>(i)];
                   })
           : drive(engine, requests, static_cast<size_t>(warmup), threads, load.iterations, start, no_arrival);
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = process_cpu_seconds() - cpu0;
  if (!driven.is_ok()) return driven.status();

  Measurement m;
  m.mode = open ? "open" : "closed";
  m.concurrency = threads;
  m.offered_rate = load.rate;
  m.iterations = load.iterations;
  m.wall_s = wall;
  m.latencies_ms = std::move(driven->latencies);
  if (open) m.lags_ms = std::move(driven->lags);
  const EngineStats stats = engine.stats();
  m.copies_per_inference = stats.copies_per_inference();
  m.staged_bytes_per_inference = stats.staged_bytes_per_inference();
  m.staging_us_per_inference = stats.staging_us_per_inference();
  m.staging_p50_us = stats.staging_p50_ns / 1e3;
  m.cpu_utilization = cpu / (wall * engine_cpus(engine));
  summarize_latencies(m);
  return m;
}

Result<SloResult> search_slo(Engine& engine, const RequestSet& requests, double slo_ms,
                             const LoadSpec& load) {
  if (!(slo_ms > 0)) return invalid_argument("--slo-p99-ms must be positive, got {}", slo_ms);
  SloResult result;
  result.slo_ms = slo_ms;
  LoadSpec closed = load;
  closed.rate = 0;
  closed.concurrency = 0;
  RI_ASSIGN_OR_RETURN(Measurement peak, measure(engine, requests, closed));
  result.max_rate = peak.inferences_per_s;
  double lo = 0, hi = result.max_rate;
  // A probe runs ~3 s of arrivals, at least 200 requests so its p99 is not one outlier (on a VM
  // an idle vCPU can take milliseconds to wake), at most --iterations.
  constexpr int kProbes = 7;
  constexpr double kProbeSeconds = 3.0;
  constexpr double kMinProbeRequests = 200;
  for (int p = 0; p < kProbes; ++p) {
    const double rate = p == 0 ? hi * 0.95 : (lo + hi) / 2;
    LoadSpec open = load;
    open.rate = rate;
    open.warmup = 0;
    open.seed = load.seed + static_cast<uint64_t>(p);
    open.iterations = static_cast<int>(std::clamp(
        rate * kProbeSeconds, kMinProbeRequests,
        std::max(kMinProbeRequests, static_cast<double>(load.iterations))));
    RI_ASSIGN_OR_RETURN(Measurement m, measure(engine, requests, open));
    ++result.probes;
    if (m.p99_ms <= slo_ms) {
      if (rate > result.best_rate) {
        result.best_rate = rate;
        result.best = m;
      }
      lo = rate;
      if (p == 0) break;  // 95% of the closed-loop peak already meets the SLO
    } else {
      hi = rate;
    }
  }
  return result;
}

std::string machine_load() {
  std::ifstream in("/proc/loadavg");
  double a = 0, b = 0, c = 0;
  in >> a >> b >> c;
  return fmt::format("load average {:.2f} {:.2f} {:.2f}, {} CPUs available", a, b, c,
                     runtime::allowed_cpus().size());
}

nlohmann::json to_json(const Measurement& m) {
  nlohmann::json j = {{"mode", m.mode},
                      {"concurrency", m.concurrency},
                      {"iterations", m.iterations},
                      {"wall_s", m.wall_s},
                      {"inferences_per_s", m.inferences_per_s},
                      {"avg_ms", m.avg_ms},
                      {"p50_ms", m.p50_ms},
                      {"p99_ms", m.p99_ms},
                      {"max_ms", m.max_ms},
                      {"copies_per_inference", m.copies_per_inference},
                      {"staged_bytes_per_inference", m.staged_bytes_per_inference},
                      {"staging_us_per_inference", m.staging_us_per_inference},
                      {"staging_p50_us", m.staging_p50_us},
                      {"cpu_utilization", m.cpu_utilization}};
  if (m.mode == "open") {
    j["offered_rate"] = m.offered_rate;
    j["arrival_lag_p50_ms"] = m.arrival_lag_p50_ms;
    j["arrival_lag_p99_ms"] = m.arrival_lag_p99_ms;
  }
  return j;
}

}  // namespace recinfer::cli
