// recinfer bench MODEL [--inputs DIR] --threads T --iterations N [--json [--latencies]]
// Warm-up, then N timed inferences on the same inputs; reports average, p50, p99 latency and
// throughput. Threads are pinned to CPUs 0..T-1 (the calling thread to CPU 0). In this
// single-configuration form `tps` in the JSON is inferences/s (bench/peers.py relies on it).
//
// With any of --batch, --instances, --cores-per-instance, --core-limit, --batched-input,
// --concurrency, --rate, --slo-p99-ms, --save-inputs, --ids it runs a multi-instance Engine sweep
// instead (cmd_bench_sweep.cc), where TPS is samples/s as in the seed's table.
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench_sweep.h"
#include "cli_util.h"
#include "commands.h"

namespace recinfer::cli {

namespace {

struct BenchArgs {
  std::string model;
  InputSource source;
  ThreadFlags engine;
  int iterations = 100;
  int warmup = -1;
  bool json = false;
  bool latencies = false;
  OptimizeFlags optimize;
  LimitFlags limits;
  SweepArgs sweep;
  TrafficFlags traffic;
};

int bench_sweep(const BenchArgs& args) {
  if (!args.traffic.bag_length.empty() && !args.traffic.given()) {
    return fail(invalid_argument("--bag-length needs --ids (it shapes fresh requests)"));
  }
  BenchCommon common;
  common.model = args.model;
  common.source = args.source;
  common.threads = args.engine;
  common.iterations = args.iterations;
  common.warmup = args.warmup;
  common.json = args.json;
  common.optimize = args.optimize;
  common.limits = args.limits;
  common.traffic = args.traffic;
  return bench_sweep_command(common, args.sweep);
}

int bench_command(const BenchArgs& args) {
  SessionOptions options;
  args.engine.apply(options);
  args.optimize.apply(options);
  args.limits.apply(options);
  auto load_start = std::chrono::steady_clock::now();
  if (Status st = check_threads(args.engine.threads, options.limits); !st.is_ok()) return fail(st);
  Activity loading("loading " + args.model);
  auto session = Session::load(args.model, options);
  if (!session.is_ok()) return fail(session.status());
  double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - load_start).count();
  Activity reading("building the inputs");
  auto inputs = load_inputs(args.model, **session, args.source, options.limits);
  if (!inputs.is_ok()) return fail(inputs.status());
  Activity running("running " + args.model);
  const int64_t batch = !inputs->empty() && (*inputs)[0].rank() > 0 ? (*inputs)[0].shape()[0] : 1;

  std::vector<Tensor> outputs;
  const int warmup = warmup_runs(args.warmup, args.iterations);
  for (int i = 0; i < warmup; ++i) {
    Status st = (*session)->run(*inputs, outputs);
    if (!st.is_ok()) return fail(st);
  }
  std::vector<double> ms(static_cast<size_t>(args.iterations));
  auto wall_start = std::chrono::steady_clock::now();
  for (int i = 0; i < args.iterations; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    Status st = (*session)->run(*inputs, outputs);
    auto t1 = std::chrono::steady_clock::now();
    if (!st.is_ok()) return fail(st);
    ms[static_cast<size_t>(i)] = std::chrono::duration<double, std::milli>(t1 - t0).count();
  }
  double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  double avg = 0;
  for (double v : ms) avg += v;
  avg /= std::max(1, args.iterations);
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  const double p50 = percentile(sorted, 50), p99 = percentile(sorted, 99);
  const double tps = args.iterations / wall_s;
  SessionStats stats = (*session)->stats();
  if (args.json) {
    nlohmann::json j = {{"model", args.model},       {"threads", args.engine.threads},
                        {"iterations", args.iterations}, {"batch", batch},
                        {"avg_ms", avg},             {"p50_ms", p50},
                        {"p99_ms", p99},             {"tps", tps},
                        {"samples_per_s", tps * static_cast<double>(batch)},
                        {"load_ms", load_ms},        {"arena_bytes", stats.arena_bytes},
                        {"static_steps", stats.static_steps}, {"dynamic_steps", stats.dynamic_steps},
                        {"optimized", args.optimize.no_optimize ? "off" : optimization_summary(**session)}};
    if (args.latencies) j["latencies_ms"] = ms;
    fmt::print("{}\n", j.dump());
  } else {
    fmt::print("model {}  threads {}  batch {}  iterations {} (+{} warm-up)\n", args.model,
               args.engine.threads, batch, args.iterations, warmup);
    fmt::print("plan: {} static steps, {} dynamic steps, {} folded nodes, arena {:.1f} KiB; load {:.0f} ms\n",
               stats.static_steps, stats.dynamic_steps, stats.folded_nodes,
               static_cast<double>(stats.arena_bytes) / 1024.0, load_ms);
    fmt::print("graph passes: {}\n", optimization_summary(**session));
    fmt::print("latency ms: avg {:.3f}  p50 {:.3f}  p99 {:.3f}  min {:.3f}  max {:.3f}\n", avg, p50,
               p99, sorted.front(), sorted.back());
    fmt::print("throughput: {:.1f} inferences/s, {:.0f} samples/s\n", tps,
               tps * static_cast<double>(batch));
  }
  return 0;
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = app.add_subcommand("bench", "measure latency and throughput");
  add_model_option(*cmd, args->model)->required();
  add_input_options(*cmd, args->source);
  add_thread_options(*cmd, args->engine);
  cmd->add_option("--iterations", args->iterations, "timed inferences")->check(at_least(1));
  cmd->add_option("--warmup", args->warmup, "warm-up inferences (default: max(3, N/10))")
      ->check(at_least(0));
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->add_flag("--latencies", args->latencies, "with --json: add every timed latency (ms) as latencies_ms");
  add_optimize_options(*cmd, args->optimize);
  add_limit_options(*cmd, args->limits);
  add_sweep_options(*cmd, args->sweep);
  add_traffic_options(*cmd, args->traffic);
  cmd->callback([args] {
    const bool engine = args->sweep.given() || args->traffic.given() || !args->traffic.bag_length.empty();
    exit_code() = engine ? bench_sweep(*args) : bench_command(*args);
  });
}

}  // namespace recinfer::cli
