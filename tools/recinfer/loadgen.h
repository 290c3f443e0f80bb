// `recinfer loadgen`: drives a running v2 inference server (recinfer serve, or any KServe v2
// server) the way perf_analyzer does: closed-loop concurrency steps, open-loop Poisson rate
// steps (latency counted from the scheduled arrival: no coordinated omission), and a
// latency-bounded search for the highest rate whose p99 stays under an SLO. Each step reports
// throughput, latency percentiles and where the time went: server queue and compute (the server's
// own timings, returned with each response) and the rest (client + network).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "serve/client/http_transport.h"

namespace recinfer::cli {

struct LoadStep {
  int concurrency = 0;  // closed loop: clients; open loop: client threads
  double rate = 0;      // open loop: offered requests/s; 0 = closed loop
  double seconds = 5;   // length of the step
  int warmup = 20;      // untimed requests first (closed loop)
};

struct StepResult {
  std::string mode;  // "closed" or "open"
  int concurrency = 0;
  double offered_rate = 0;
  double wall_s = 0;
  int ok = 0;
  int failed = 0;
  std::map<int, int> failures;  // by HTTP status (0 = connection failure)
  std::string first_error;
  double requests_per_s = 0;    // successful responses per second
  double samples_per_s = 0;     // x rows per request
  double avg_ms = 0, p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  // Means over successful requests: server queue, server compute, and the rest.
  double server_queue_ms = 0, server_compute_ms = 0, client_network_ms = 0;
  double server_batch = 0;  // mean batch the server ran them in
};

using TransportFactory =
    std::function<Result<std::unique_ptr<serve::client::HttpTransport>>()>;

struct LoadTarget {
  TransportFactory connect;
  std::string model;
  std::vector<serve::client::EncodedRequest> requests;  // cycled through
  int64_t rows_per_request = 1;
};

Result<StepResult> run_load_step(const LoadTarget& target, const LoadStep& step);

struct SloSearch {
  double slo_ms = 0;
  double best_rate = 0;  // 0: no probed rate met the SLO
  StepResult best;
  std::vector<StepResult> probes;
};
// Binary search over open-loop rates in (0, 0.95 x closed-loop throughput at `concurrency`].
Result<SloSearch> search_rate_under_slo(const LoadTarget& target, double slo_ms, int concurrency,
                                        double seconds, int probes = 7);

nlohmann::json to_json(const StepResult& r);
std::string csv_header();
std::string to_csv(const StepResult& r);

}  // namespace recinfer::cli
