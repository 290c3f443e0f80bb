// recinfer loadgen --model NAME --model-file PATH [--url http://HOST:PORT] [--concurrency LIST]
//   [--rate LIST] [--slo-p99-ms X] [--seconds S] [--batch N] [--ids ...] [--bag-length ...]
//   [--binary on|off] [--json] [--csv FILE]
// Load generator for a v2 (KServe / Open Inference Protocol) HTTP endpoint; see loadgen.h.
// Requests are drawn before the run from the model file (its inputs and the tables its ids
// index): fresh Zipf ids per request by default, a pool of up to --pool requests cycled.
#include <fstream>

#include <fmt/format.h>

#include "cli_util.h"
#include "commands.h"
#include "loadgen.h"
#include "request_pool.h"
#include "bench_sweep.h"
#include "tooling/batching.h"
#include "tooling/id_ranges.h"

namespace recinfer::cli {
namespace {

struct LoadgenArgs {
  std::string url = "http://127.0.0.1:8000";
  std::string model;
  std::string model_file;
  InputSource source;
  TrafficFlags traffic{"zipf:1.05", ""};
  int64_t batch = 0;
  std::string binary = "on";
  std::string concurrency = "1";
  std::string rate;
  double slo_p99_ms = 0;
  double seconds = 5;
  int pool = 1000;
  bool json = false;
  std::string csv;
  LimitFlags limits;
};

void print_table(const std::vector<StepResult>& steps) {
  fmt::print("| load | req/s | samples/s | avg ms | p50 ms | p90 ms | p99 ms | server queue ms | "
             "server compute ms | client+network ms | server batch | failed |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const StepResult& r : steps) {
    const std::string load = r.mode == "open" ? fmt::format("{:.0f} req/s offered", r.offered_rate)
                                              : fmt::format("{} clients", r.concurrency);
    fmt::print("| {} | {:.1f} | {:.0f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | "
               "{:.3f} | {:.1f} | {} |\n",
               load, r.requests_per_s, r.samples_per_s, r.avg_ms, r.p50_ms, r.p90_ms, r.p99_ms,
               r.server_queue_ms, r.server_compute_ms, r.client_network_ms, r.server_batch,
               r.failed);
  }
  for (const StepResult& r : steps) {
    if (!r.first_error.empty()) fmt::print(stderr, "first failure: {}\n", r.first_error);
  }
}

int loadgen_command(const LoadgenArgs& args) {
  const bool binary = args.binary == "on";
  if (!binary && args.binary != "off") {
    return fail(invalid_argument("--binary expects on or off, got '{}'", args.binary));
  }
  Activity reading("reading " + args.model_file);
  auto id_inputs = tooling::find_id_inputs(args.model_file, args.limits.limits);
  if (!id_inputs.is_ok()) return fail(id_inputs.status());
  std::string drawn;
  auto pool = fresh_requests(args.model_file, id_inputs->specs, args.traffic, args.source,
                             args.batch, args.pool, args.limits.limits, false, nullptr, &drawn);
  if (!pool.is_ok()) return fail(pool.status());

  LoadTarget target;
  target.model = args.model;
  target.connect = [url = args.url] { return serve::client::HttpTransport::connect(url); };
  auto layout = tooling::detect_batch_layout(id_inputs->specs);
  if (layout.is_ok()) {
    auto rows = tooling::batch_size(*layout, pool->front());
    if (rows.is_ok()) target.rows_per_request = *rows;
  }
  for (const std::vector<Tensor>& request : *pool) {
    std::vector<serve::NamedTensor> named;
    for (size_t i = 0; i < request.size(); ++i) named.push_back({id_inputs->specs[i].name, request[i]});
    auto encoded = serve::client::encode_request(named, binary);
    if (!encoded.is_ok()) return fail(encoded.status());
    target.requests.push_back(std::move(encoded).value());
  }
  if (!args.json) {
    fmt::print("loadgen {} model {} ({} rows per request, {} body, {})\n", args.url, args.model,
               target.rows_per_request, binary ? "binary" : "JSON", drawn);
    fmt::print("machine: {}\n", machine_load());
  }

  std::vector<StepResult> steps;
  auto concurrency = parse_int_list(args.concurrency, "--concurrency", 4096);
  if (!concurrency.is_ok()) return fail(concurrency.status());
  if (args.rate.empty()) {
    for (int64_t c : *concurrency) {
      LoadStep step;
      step.concurrency = static_cast<int>(c);
      step.seconds = args.seconds;
      Activity running(fmt::format("running {} clients", c));
      auto r = run_load_step(target, step);
      if (!r.is_ok()) return fail(r.status());
      steps.push_back(*r);
    }
  } else {
    std::vector<double> rates;
    for (const std::string& part : CLI::detail::split(args.rate, ',')) {
      double rate = 0;
      if (!CLI::detail::lexical_cast(part, rate) || rate <= 0) {
        return fail(invalid_argument("--rate expects positive numbers, got '{}'", part));
      }
      rates.push_back(rate);
    }
    for (double rate : rates) {
      LoadStep step;
      step.rate = rate;
      step.concurrency = std::max<int>(16, static_cast<int>(concurrency->front()));
      step.seconds = args.seconds;
      step.warmup = 0;
      auto r = run_load_step(target, step);
      if (!r.is_ok()) return fail(r.status());
      steps.push_back(*r);
    }
  }
  std::optional<SloSearch> slo;
  if (args.slo_p99_ms > 0) {
    auto s = search_rate_under_slo(target, args.slo_p99_ms,
                                   static_cast<int>(concurrency->back()), args.seconds);
    if (!s.is_ok()) return fail(s.status());
    slo = *s;
  }

  if (!args.csv.empty()) {
    std::ofstream csv(args.csv);
    csv << csv_header() << "\n";
    for (const StepResult& r : steps) csv << to_csv(r) << "\n";
    if (slo) for (const StepResult& r : slo->probes) csv << to_csv(r) << "\n";
    if (!csv) return fail(io_error("cannot write {}", args.csv));
  }
  if (args.json) {
    nlohmann::json j = {{"url", args.url}, {"model", args.model}, {"requests", drawn},
                        {"rows_per_request", target.rows_per_request},
                        {"binary", binary}, {"machine", machine_load()}};
    for (const StepResult& r : steps) j["steps"].push_back(to_json(r));
    if (slo) {
      j["slo"] = {{"slo_p99_ms", slo->slo_ms}, {"best_rate", slo->best_rate},
                  {"best", to_json(slo->best)}};
    }
    fmt::print("{}\n", j.dump());
  } else {
    print_table(steps);
    if (slo) {
      fmt::print("\nSLO p99 <= {} ms: ", slo->slo_ms);
      if (slo->best_rate > 0) {
        fmt::print("{:.0f} req/s ({:.0f} samples/s), p99 {:.3f} ms\n", slo->best.requests_per_s,
                   slo->best.samples_per_s, slo->best.p99_ms);
      } else {
        fmt::print("no probed rate met it\n");
      }
    }
  }
  int failed = 0;
  for (const StepResult& r : steps) failed += r.failed;
  return failed > 0 && args.rate.empty() ? 2 : 0;
}

}  // namespace

void add_loadgen_command(CLI::App& app) {
  auto args = std::make_shared<LoadgenArgs>();
  CLI::App* cmd = app.add_subcommand(
      "loadgen", "drive a v2 inference server: concurrency and request-rate sweeps, SLO search");
  cmd->add_option("--url", args->url, "server, http://HOST:PORT (default http://127.0.0.1:8000)");
  cmd->add_option("--model", args->model, "model name on the server")->required();
  cmd->add_option("--model-file", args->model_file,
                  "the model's ONNX file: its inputs and tables shape the requests")
      ->required();
  cmd->add_option("--dim", args->source.dims, "symbolic dim values, e.g. --dim batch=16");
  cmd->add_option("--seed", args->source.seed, "seed for the non-id inputs");
  cmd->add_option("--batch", args->batch, "rows per request (sets the batch dim)")
      ->check(at_least(1));
  add_traffic_options(*cmd, args->traffic);
  cmd->add_option("--binary", args->binary,
                  "on: tensors in the binary data extension (default); off: JSON data arrays");
  cmd->add_option("--concurrency", args->concurrency,
                  "closed loop: clients per step, e.g. 1,2,4,8 (default 1)");
  cmd->add_option("--rate", args->rate, "open loop: Poisson request rates per step, e.g. 500,1000");
  cmd->add_option("--slo-p99-ms", args->slo_p99_ms,
                  "also search the highest rate with p99 under this")
      ->check(positive_number());
  cmd->add_option("--seconds", args->seconds, "length of each step (default 5)")
      ->check(positive_number());
  cmd->add_option("--pool", args->pool, "fresh requests drawn before the run (default 1000)")
      ->check(at_least(1));
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->add_option("--csv", args->csv, "also write the steps as CSV to this file");
  add_limit_options(*cmd, args->limits);
  cmd->callback([args] { exit_code() = loadgen_command(*args); });
}

}  // namespace recinfer::cli
