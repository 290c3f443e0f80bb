// Load generation and measurement for `recinfer bench` sweeps and `recinfer tune`, on an Engine:
//  - closed loop: C caller threads, each sends its next request when the previous one returns;
//  - open loop: requests arrive as a Poisson process at a given rate, independent of
//    completions; latency counts from the scheduled arrival, so queueing is included (no
//    coordinated omission);
//  - SLO search: the highest arrival rate whose p99 stays under the SLO (latency-bounded
//    throughput, as in MLPerf's server scenario and DeepRecSys).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli_util.h"
#include "recinfer/engine.h"
#include "request_pool.h"

namespace recinfer::cli {

// `recinfer bench` options that switch it to an Engine sweep (comma-separated lists).
struct SweepArgs {
  std::string batch;           // "128,256"; "" = the batch of the given inputs
  std::string instances;       // "1,2,4"
  std::string cores;           // --cores-per-instance "1,2"
  std::string core_limit;      // "none,2|1"
  std::string batched_input;   // "on,off"
  int concurrency = 0;
  double rate = 0;
  double slo_p99_ms = 0;
  std::string save_inputs;     // DIR: write each batch's inputs as an ONNX test-data model dir
  // Rounds: every configuration runs iterations/rounds requests per round, configurations taking
  // turns, so load drift on a shared machine spreads over all of them instead of the last ones.
  int rounds = 1;
  bool given() const;
};
void add_sweep_options(CLI::App& cmd, SweepArgs& args);

// What a sweep shares with the single-configuration bench.
struct BenchCommon {
  std::string model;
  InputSource source;
  ThreadFlags threads;  // --threads: cores per instance when --cores-per-instance is not given
  int iterations = 100;
  int warmup = -1;
  bool json = false;
  OptimizeFlags optimize;
  LimitFlags limits;
  TrafficFlags traffic;
};
int bench_sweep_command(const BenchCommon& common, const SweepArgs& sweep);

// Comma-separated lists of integers in [1, max] ("--batch 0" or a batch past the limit: an
// error naming the option and the value).
Result<std::vector<int64_t>> parse_int_list(const std::string& text, const std::string& option,
                                            int64_t max = INT32_MAX,
                                            const char* limit_flag = nullptr);
Result<std::vector<CoreLimit>> parse_core_limits(const std::string& text);
Result<std::vector<bool>> parse_on_off(const std::string& text, const std::string& option);

struct EngineConfig {
  int instances = 1;
  int cores_per_instance = 1;
  CoreLimit core_limit;
  bool batched_input = true;

  std::string label() const;  // "2 inst x 1 core, limit none, batched on"
};

struct LoadSpec {
  int concurrency = 0;  // closed loop: callers (0 = one per instance); open loop: client threads
  double rate = 0;      // requests/s; 0 = closed loop
  int iterations = 1000;
  int warmup = -1;      // -1: max(3, iterations/10)
  uint64_t seed = 1;
};

struct Measurement {
  std::string mode;  // "closed" or "open"
  int concurrency = 0;
  double offered_rate = 0;  // open loop
  int iterations = 0;
  double wall_s = 0;
  double inferences_per_s = 0;
  double avg_ms = 0, p50_ms = 0, p99_ms = 0, max_ms = 0;
  double copies_per_inference = 0;
  double staged_bytes_per_inference = 0;
  double staging_us_per_inference = 0;  // mean
  double staging_p50_us = 0;            // median, robust to preemption
  double cpu_utilization = 0;  // process CPU time / (wall x CPUs the engine uses)
  // Open loop: how late callers got to run() after the scheduled arrival (included in the
  // latencies). On a VM, waking a sleeping thread can take milliseconds: then this, not the
  // engine, sets the tail.
  double arrival_lag_p50_ms = 0, arrival_lag_p99_ms = 0;
  std::vector<double> latencies_ms;  // every timed request, in completion-slot order
  std::vector<double> lags_ms;       // open loop: per request, see arrival_lag_*
};

// One measurement from several rounds of the same configuration: latency percentiles over all
// requests pooled, throughput = all requests / summed wall time, per-inference counters weighted by
// requests, the staging median as the median of the rounds'.
Measurement combine_rounds(const std::vector<Measurement>& rounds);

// Runs warm-up then the timed load; request i (warm-up and timed counted separately) is
// requests[i % size]: one request reused, or fresh ones (--ids).
Result<Measurement> measure(Engine& engine, const RequestSet& requests, const LoadSpec& load);

struct SloResult {
  double slo_ms = 0;
  double max_rate = 0;     // closed-loop throughput, the search's upper bound
  double best_rate = 0;    // highest offered rate with p99 <= SLO (0: none)
  Measurement best;        // the measurement at best_rate
  int probes = 0;
};

// Binary search over open-loop rates in (0, 0.95 x closed-loop throughput], 7 probes; each
// probe runs ~3 s of arrivals (at least 200 requests, at most `load.iterations`).
Result<SloResult> search_slo(Engine& engine, const RequestSet& requests, double slo_ms,
                             const LoadSpec& load);

// Engine options for a configuration (pinned; passes and limits as given).
EngineOptions engine_options(const EngineConfig& config, bool pin, bool optimize,
                             const std::vector<std::string>& disabled_passes,
                             const LimitFlags& limits = {});

// A request for the engine: the inputs re-batched to `batch` rows, packed into one buffer when
// the configuration stages batched (so it moves with one copy), separate tensors otherwise.
Result<std::vector<Tensor>> make_request(const std::vector<TensorSpec>& specs,
                                         const std::vector<Tensor>& source, int64_t batch,
                                         bool packed, PackedRequest* storage);

// Nearest-rank percentile (p in 0..100) of sorted values; 0 when empty.
double percentile(const std::vector<double>& sorted, double p);

std::string machine_load();  // "load average 1.2 0.9 0.8, 2 CPUs"

nlohmann::json to_json(const Measurement& m);

}  // namespace recinfer::cli
