// recinfer tune MODEL [--inputs DIR] --slo-p99-ms X [--batch 128,256] [--iterations N]
// Searches instances x cores-per-instance x core limit x batch for the highest latency-bounded
// throughput (samples/s at the highest Poisson request rate whose p99 stays under the SLO) and
// prints the winner as a ready-to-use `recinfer bench` command line and a JSON config.
// Candidates use every CPU at most once (instances x cores <= CPUs); core limits: none, and for
// cores >= 2 also K|1 (vector ops single-threaded) and 1|K (GEMMs single-threaded).
#include <fstream>

#include <fmt/format.h>

#include "bench_sweep.h"
#include "commands.h"
#include "runtime/engine_placement.h"
#include "tooling/batching.h"

namespace recinfer::cli {

namespace {

struct TuneArgs {
  BenchCommon common;
  double slo_p99_ms = 0;
  std::string batch;
  int max_instances = 0;
  std::string save_config;
};

struct Candidate {
  EngineConfig config;
  int64_t batch = 0;
  SloResult slo;
  double slo_tps() const { return slo.best_rate * static_cast<double>(batch); }
};

std::vector<EngineConfig> candidates(int cpus, int max_instances) {
  std::vector<EngineConfig> out;
  for (int k = 1; k <= cpus; ++k) {
    for (int n = 1; n * k <= cpus && (max_instances <= 0 || n <= max_instances); ++n) {
      out.push_back({n, k, CoreLimit{}, true});
      if (k >= 2) {
        out.push_back({n, k, CoreLimit{k, 1}, true});
        out.push_back({n, k, CoreLimit{1, k}, true});
      }
    }
  }
  return out;
}

std::string command_line(const TuneArgs& args, const Candidate& best) {
  std::string cmd = fmt::format("recinfer bench {}", args.common.model);
  if (!args.common.source.dir.empty()) cmd += fmt::format(" --inputs {}", args.common.source.dir);
  cmd += fmt::format(" --instances {} --cores-per-instance {} --core-limit '{}' --batched-input on "
                     "--batch {} --rate {:.0f} --iterations {}",
                     best.config.instances, best.config.cores_per_instance,
                     best.config.core_limit.to_string(), best.batch, best.slo.best_rate,
                     args.common.iterations);
  if (args.common.optimize.no_optimize) cmd += " --no-optimize";
  return cmd;
}

nlohmann::json config_json(const TuneArgs& args, const Candidate& best) {
  return {{"model", args.common.model},
          {"instances", best.config.instances},
          {"cores_per_instance", best.config.cores_per_instance},
          {"core_limit", best.config.core_limit.to_string()},
          {"batched_input", "on"},
          {"batch", best.batch},
          {"pin", !args.common.threads.no_pin},
          {"optimize", !args.common.optimize.no_optimize},
          {"slo_p99_ms", args.slo_p99_ms},
          {"max_rate", best.slo.best_rate},
          {"tps", best.slo_tps()},
          {"p99_ms", best.slo.best.p99_ms}};
}

int tune_command(const TuneArgs& args) {
  if (!(args.slo_p99_ms > 0)) return fail(invalid_argument("--slo-p99-ms must be positive"));
  Result<std::vector<int64_t>> batches = std::vector<int64_t>{};
  if (!args.batch.empty()) {
    batches =
        parse_int_list(args.batch, "--batch", args.common.limits.limits.max_batch, "--max-batch");
  }
  if (!batches.is_ok()) return fail(batches.status());
  const int cpus = static_cast<int>(runtime::allowed_cpus().size());
  LoadSpec load;
  load.iterations = args.common.iterations;
  load.warmup = args.common.warmup;

  std::vector<Tensor> source;
  std::vector<Candidate> results;
  if (!args.common.json) {
    fmt::print("tune {}  SLO p99 <= {} ms  ({})\n", args.common.model, args.slo_p99_ms,
               machine_load());
  }
  for (const EngineConfig& config : candidates(cpus, args.max_instances)) {
    Activity loading(fmt::format("loading {} ({})", args.common.model, config.label()));
    auto engine = Engine::load(args.common.model,
                               engine_options(config, !args.common.threads.no_pin,
                                              !args.common.optimize.no_optimize,
                                              args.common.optimize.disabled, args.common.limits));
    if (!engine.is_ok()) return fail(engine.status().with_context(config.label()));
    if (source.empty()) {
      auto loaded = load_inputs(args.common.model, (*engine)->inputs(), args.common.source,
                                args.common.limits.limits);
      if (!loaded.is_ok()) return fail(loaded.status());
      source = std::move(loaded).value();
      if (batches->empty()) {
        auto layout = tooling::detect_batch_layout((*engine)->inputs());
        if (!layout.is_ok()) return fail(layout.status());
        auto given = tooling::batch_size(*layout, source);
        if (!given.is_ok()) return fail(given.status());
        batches->push_back(*given);
      }
    }
    for (int64_t batch : *batches) {
      PackedRequest packed;
      Activity building(fmt::format("building the inputs of batch {}", batch));
      auto request = make_request((*engine)->inputs(), source, batch, true, &packed);
      if (!request.is_ok()) return fail(request.status());
      auto slo = search_slo(**engine, RequestSet{*request}, args.slo_p99_ms, load);
      if (!slo.is_ok()) return fail(slo.status().with_context(config.label()));
      Candidate c{config, batch, *slo};
      if (!args.common.json) {
        const std::string within =
            slo->best_rate > 0 ? fmt::format("SLO {:>10.0f} TPS (p99 {:.3f} ms, arrival lag p99 {:.3f} ms)",
                                             c.slo_tps(), slo->best.p99_ms, slo->best.arrival_lag_p99_ms)
                               : std::string("SLO: no rate tried kept p99 under the bound");
        fmt::print("  {:<42} batch {:>5}: closed loop {:>10.0f} TPS, {}\n", config.label(), batch,
                   slo->max_rate * static_cast<double>(batch), within);
      }
      results.push_back(std::move(c));
    }
  }
  const Candidate* best = nullptr;
  for (const Candidate& c : results) {
    if (c.slo.best_rate > 0 && (best == nullptr || c.slo_tps() > best->slo_tps())) best = &c;
  }
  if (best == nullptr) {
    return fail(invalid_argument("no configuration keeps p99 under {} ms at any rate tried",
                                 args.slo_p99_ms));
  }
  const nlohmann::json config = config_json(args, *best);
  if (!args.save_config.empty()) {
    std::ofstream out(args.save_config);
    out << config.dump(1) << "\n";
    if (!out) return fail(io_error("cannot write {}", args.save_config));
  }
  if (args.common.json) {
    nlohmann::json all = nlohmann::json::array();
    for (const Candidate& c : results) {
      all.push_back({{"instances", c.config.instances},
                     {"cores_per_instance", c.config.cores_per_instance},
                     {"core_limit", c.config.core_limit.to_string()},
                     {"batch", c.batch},
                     {"closed_loop_tps", c.slo.max_rate * static_cast<double>(c.batch)},
                     {"slo_tps", c.slo_tps()},
                     {"slo_rate", c.slo.best_rate},
                     {"p99_ms", c.slo.best.p99_ms}});
    }
    fmt::print("{}\n", nlohmann::json{{"best", config}, {"candidates", all}, {"machine", machine_load()}}.dump());
    return 0;
  }
  fmt::print("\nbest: {}, batch {}: {:.0f} TPS (samples/s) at {:.0f} req/s, p99 {:.3f} ms <= {} ms\n",
             best->config.label(), best->batch, best->slo_tps(), best->slo.best_rate,
             best->slo.best.p99_ms, args.slo_p99_ms);
  fmt::print("command line:\n  {}\n", command_line(args, *best));
  fmt::print("config{}:\n{}\n", args.save_config.empty() ? "" : " (written to " + args.save_config + ")",
             config.dump(1));
  return 0;
}

}  // namespace

void add_tune_command(CLI::App& app) {
  auto args = std::make_shared<TuneArgs>();
  CLI::App* cmd = app.add_subcommand(
      "tune", "search instances x cores x core limit x batch for the best latency-bounded throughput");
  add_model_option(*cmd, args->common.model)->required();
  add_input_options(*cmd, args->common.source);
  cmd->add_option("--slo-p99-ms", args->slo_p99_ms, "p99 latency bound (ms)")
      ->required()
      ->check(positive_number());
  cmd->add_option("--batch", args->batch, "batch sizes to try, e.g. 128,256 (default: the inputs')");
  cmd->add_option("--iterations", args->common.iterations,
                  "requests per measurement (closed loop and each open-loop probe)")
      ->default_val(1000)
      ->check(at_least(1));
  cmd->add_option("--warmup", args->common.warmup, "warm-up requests (default: max(3, N/10))")
      ->check(at_least(0));
  cmd->add_option("--max-instances", args->max_instances, "try at most this many instances")
      ->check(at_least(1));
  cmd->add_option("--save-config", args->save_config, "write the winning configuration (JSON)");
  cmd->add_flag("--no-pin", args->common.threads.no_pin, "do not pin instance threads to CPUs");
  cmd->add_flag("--json", args->common.json, "print one JSON object");
  add_optimize_options(*cmd, args->common.optimize);
  add_limit_options(*cmd, args->common.limits);
  cmd->callback([args] { exit_code() = tune_command(*args); });
}

}  // namespace recinfer::cli
