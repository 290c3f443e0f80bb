// `recinfer bench` with any of --batch/--instances/--cores-per-instance/--core-limit/
// --batched-input/--concurrency/--rate/--slo-p99-ms: runs every combination on an Engine and
// prints the seed's table (configuration x batch -> TPS / average latency), then details.
// TPS counts samples per second (requests/s x batch), as the seed's table does.
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "bench_sweep.h"
#include "commands.h"
#include "tooling/batching.h"
#include "tooling/test_data.h"

namespace recinfer::cli {

namespace {

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) parts.push_back(part);
  return parts;
}

struct Row {
  EngineConfig config;
  int64_t batch = 0;
  Measurement m;
  std::optional<SloResult> slo;
};

std::string fmt_tps(double v) {
  std::string digits = fmt::format("{:.0f}", v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// Writes DIR/batch_<B>/ as a model directory (links to the model's files) with the inputs and
// recinfer's outputs in test_data_set_0, for peers (bench/engine_vs_ort.py).
Status save_batch(const std::string& dir, const std::string& model, int64_t batch,
                  Engine& engine, const std::vector<Tensor>& inputs) {
  namespace fs = std::filesystem;
  const fs::path target = fs::path(dir) / fmt::format("batch_{}", batch);
  std::error_code ec;
  fs::create_directories(target / "test_data_set_0", ec);
  if (ec) return io_error("cannot create {}: {}", target.string(), ec.message());
  const fs::path model_dir = fs::absolute(model).parent_path();
  for (const auto& entry : fs::directory_iterator(model_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("test_data_set_", 0) == 0 || fs::exists(target / name)) continue;
    fs::create_symlink(entry.path(), target / name, ec);
    if (ec) return io_error("cannot link {}: {}", (target / name).string(), ec.message());
  }
  std::vector<Tensor> outputs;
  RI_RETURN_IF_ERROR(engine.run(inputs, outputs));
  const std::string data = (target / "test_data_set_0").string();
  RI_RETURN_IF_ERROR(tooling::write_tensor_dir(data, "input", inputs, engine.inputs()));
  return tooling::write_tensor_dir(data, "output", outputs, engine.outputs());
}

void print_tables(const std::vector<Row>& rows, const std::vector<int64_t>& batches, bool slo) {
  std::vector<std::string> labels;
  std::map<std::pair<std::string, int64_t>, const Row*> cell;
  for (const Row& r : rows) {
    const std::string label = r.config.label();
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
    cell[{label, r.batch}] = &r;
  }
  fmt::print("\n| configuration |");
  for (int64_t b : batches) fmt::print(" batch {} |", b);
  fmt::print("\n|---|");
  for (size_t i = 0; i < batches.size(); ++i) fmt::print("---|");
  fmt::print("\n");
  for (const std::string& label : labels) {
    fmt::print("| {} |", label);
    for (int64_t b : batches) {
      auto it = cell.find({label, b});
      if (it == cell.end()) {
        fmt::print(" - |");
        continue;
      }
      const Measurement& m = it->second->m;
      fmt::print(" {} TPS / {:.3f} ms |", fmt_tps(m.inferences_per_s * static_cast<double>(b)), m.avg_ms);
    }
    fmt::print("\n");
  }
  fmt::print("\nTPS = samples/s (requests/s x batch), average latency per request.\n\n");
  fmt::print("| configuration | batch | TPS | req/s | avg ms | p50 ms | p99 ms | copies/inf | "
             "staged KiB/inf | staging us p50 | CPU util |{}\n",
             slo ? " SLO TPS | at p99 ms |" : "");
  fmt::print("|---|---|---|---|---|---|---|---|---|---|---|{}\n", slo ? "---|---|" : "");
  for (const Row& r : rows) {
    const Measurement& m = r.m;
    fmt::print("| {} | {} | {} | {:.1f} | {:.3f} | {:.3f} | {:.3f} | {:.1f} | {:.1f} | {:.2f} | {:.0f}% |",
               r.config.label(), r.batch, fmt_tps(m.inferences_per_s * static_cast<double>(r.batch)),
               m.inferences_per_s, m.avg_ms, m.p50_ms, m.p99_ms, m.copies_per_inference,
               m.staged_bytes_per_inference / 1024.0, m.staging_p50_us,
               100.0 * m.cpu_utilization);
    if (r.slo) {
      fmt::print(" {} | {:.3f} |", fmt_tps(r.slo->best_rate * static_cast<double>(r.batch)),
                 r.slo->best.p99_ms);
    }
    fmt::print("\n");
  }
}

}  // namespace

bool SweepArgs::given() const {
  return !batch.empty() || !instances.empty() || !cores.empty() || !core_limit.empty() ||
         !batched_input.empty() || concurrency > 0 || rate > 0 || slo_p99_ms > 0 ||
         !save_inputs.empty() || rounds > 1;
}

void add_sweep_options(CLI::App& cmd, SweepArgs& args) {
  cmd.add_option("--batch", args.batch,
                 "batch sizes, e.g. 128,256 (inputs re-batched along the batch dim; EmbeddingBag "
                 "offsets/indices by whole bags)");
  cmd.add_option("--instances", args.instances, "engine instances, e.g. 1,2,4");
  cmd.add_option("--cores-per-instance", args.cores, "threads per instance, e.g. 1,2");
  cmd.add_option("--core-limit", args.core_limit,
                 "thread caps 'M|V' for GEMM-class | vector-class ops, e.g. 'none,2|1' (quote the |)");
  cmd.add_option("--batched-input", args.batched_input,
                 "input staging: on (packed, one copy), off (one copy per tensor), or on,off");
  cmd.add_option("--concurrency", args.concurrency,
                 "closed loop: caller threads (default: one per instance); open loop: clients")
      ->check(at_least(1));
  cmd.add_option("--rate", args.rate, "open loop: Poisson arrivals at this many requests/s")
      ->check(positive_number());
  cmd.add_option("--slo-p99-ms", args.slo_p99_ms,
                 "also search the highest request rate with p99 under this (latency-bounded TPS)")
      ->check(positive_number());
  cmd.add_option("--rounds", args.rounds,
                 "split --iterations into this many rounds, configurations taking turns (load drift "
                 "on a shared machine then hits all of them alike); default 1")
      ->check(at_least(1));
  cmd.add_option("--save-inputs", args.save_inputs,
                 "write each batch's inputs (and outputs) as DIR/batch_<B>/test_data_set_0");
}

Result<std::vector<int64_t>> parse_int_list(const std::string& text, const std::string& option,
                                            int64_t max, const char* limit_flag) {
  std::vector<int64_t> values;
  for (const std::string& part : split_commas(text)) {
    size_t used = 0;
    int64_t v = 0;
    try {
      v = std::stoll(part, &used);
    } catch (...) {
      used = 0;
    }
    if (used == 0 || used != part.size() || v < 1) {
      return invalid_argument("{} expects positive integers separated by commas, got '{}'", option,
                              text);
    }
    if (v > max) {
      return invalid_argument("{} {}: {} is more than {}{}", option, text, v, max,
                              limit_flag != nullptr
                                  ? fmt::format(" (the limit; raise with {})", limit_flag)
                                  : std::string());
    }
    values.push_back(v);
  }
  if (values.empty()) return invalid_argument("{} is empty", option);
  return values;
}

Result<std::vector<CoreLimit>> parse_core_limits(const std::string& text) {
  std::vector<CoreLimit> limits;
  for (const std::string& part : split_commas(text)) {
    auto limit = CoreLimit::parse(part);
    if (!limit.is_ok()) return limit.status().with_context("--core-limit");
    limits.push_back(*limit);
  }
  if (limits.empty()) limits.push_back({});
  return limits;
}

Result<std::vector<bool>> parse_on_off(const std::string& text, const std::string& option) {
  std::vector<bool> values;
  for (const std::string& part : split_commas(text)) {
    if (part != "on" && part != "off") {
      return invalid_argument("{} expects on, off or on,off; got '{}'", option, text);
    }
    values.push_back(part == "on");
  }
  if (values.empty()) return invalid_argument("{} is empty", option);
  return values;
}

int bench_sweep_command(const BenchCommon& common, const SweepArgs& sweep) {
  auto instances = parse_int_list(sweep.instances.empty() ? "1" : sweep.instances, "--instances");
  auto cores = parse_int_list(sweep.cores.empty() ? std::to_string(common.threads.threads) : sweep.cores,
                              "--cores-per-instance");
  auto limits = parse_core_limits(sweep.core_limit);
  auto batched = parse_on_off(sweep.batched_input.empty() ? "on" : sweep.batched_input,
                              "--batched-input");
  Result<std::vector<int64_t>> batch_list = std::vector<int64_t>{0};
  if (!sweep.batch.empty()) {
    batch_list =
        parse_int_list(sweep.batch, "--batch", common.limits.limits.max_batch, "--max-batch");
  }
  for (const Status& st : {instances.status(), cores.status(), limits.status(), batched.status(),
                           batch_list.status()}) {
    if (!st.is_ok()) return fail(st);
  }
  if (common.iterations < 1) return fail(invalid_argument("--iterations must be at least 1"));
  // Callers are threads too: 100000 of them would only thrash (or fail to start).
  if (sweep.concurrency > common.limits.limits.thread_limit()) {
    return fail(invalid_argument("--concurrency {}: more caller threads than the thread limit {}",
                                 sweep.concurrency, common.limits.limits.describe_thread_limit()));
  }

  // A cap at or above an instance's threads changes nothing: such limits run once, as "none".
  std::vector<EngineConfig> configs;
  std::set<std::string> seen;
  for (bool b : *batched) {
    for (int64_t n : *instances) {
      for (int64_t k : *cores) {
        for (CoreLimit l : *limits) {
          if ((l.matmul == 0 || l.matmul >= k) && (l.vector == 0 || l.vector >= k)) l = CoreLimit{};
          EngineConfig config{static_cast<int>(n), static_cast<int>(k), l, b};
          if (seen.insert(config.label()).second) configs.push_back(config);
        }
      }
    }
  }

  if (sweep.rounds < 1) return fail(invalid_argument("--rounds must be at least 1, got {}", sweep.rounds));
  if (sweep.rounds > 1 && sweep.slo_p99_ms > 0) {
    return fail(invalid_argument("--rounds with --slo-p99-ms: the SLO search runs its own probes; "
                                 "use one round"));
  }
  LoadSpec load;
  load.concurrency = sweep.concurrency;
  load.rate = sweep.rate;
  load.iterations = (common.iterations + sweep.rounds - 1) / sweep.rounds;  // per round
  load.warmup = common.warmup;

  std::vector<Tensor> source;
  std::vector<int64_t> batches;
  std::vector<Row> rows;                         // one per configuration x batch, in order
  std::vector<std::vector<Measurement>> measured;  // per row, one per round
  std::set<int64_t> saved;
  for (int round = 0; round < sweep.rounds; ++round) {
    size_t row = 0;
    LoadSpec round_load = load;
    round_load.seed = load.seed + static_cast<uint64_t>(round);
    for (const EngineConfig& config : configs) {
      Activity loading(fmt::format("loading {} ({})", common.model, config.label()));
      auto engine = Engine::load(common.model, engine_options(config, !common.threads.no_pin,
                                                              !common.optimize.no_optimize,
                                                              common.optimize.disabled,
                                                              common.limits));
      if (!engine.is_ok()) return fail(engine.status().with_context(config.label()));
      if (round == 0 && !(*engine)->placement().note.empty()) {
        fmt::print(stderr, "note: {}\n", (*engine)->placement().note);
      }
      if (source.empty()) {
        Activity reading("reading the inputs");
        auto loaded = load_inputs(common.model, (*engine)->inputs(), common.source,
                                  common.limits.limits);
        if (!loaded.is_ok()) return fail(loaded.status());
        source = std::move(loaded).value();
        for (int64_t b : *batch_list) {
          if (b > 0) {
            batches.push_back(b);
            continue;
          }
          auto layout = tooling::detect_batch_layout((*engine)->inputs());
          auto given = layout.is_ok() ? tooling::batch_size(*layout, source) : Result<int64_t>(layout.status());
          batches.push_back(given.is_ok() ? *given : 1);
        }
        if (!common.json) {
          fmt::print("model {}  iterations {} (+{} warm-up){}  {}\nmachine: {}\n", common.model,
                     load.iterations * sweep.rounds,
                     load.warmup >= 0 ? load.warmup : std::max(3, load.iterations / 10),
                     sweep.rounds > 1 ? fmt::format(" per configuration, in {} alternating rounds of {}",
                                                    sweep.rounds, load.iterations)
                                      : std::string(),
                     load.rate > 0 ? fmt::format("open loop, Poisson arrivals at {:.1f} req/s", load.rate)
                                   : load.concurrency > 0 ? fmt::format("closed loop, {} callers", load.concurrency)
                                                          : "closed loop, one caller per instance",
                     machine_load());
        }
      }
      for (int64_t batch : batches) {
        PackedRequest packed;
        std::vector<PackedRequest> packed_pool;
        Activity building(fmt::format("building the inputs of batch {}", batch));
        RequestSet requests;
        if (common.traffic.given()) {
          std::string drawn;
          const int warmup = load.warmup >= 0 ? load.warmup : std::max(3, load.iterations / 10);
          auto pool = fresh_requests(common.model, (*engine)->inputs(), common.traffic,
                                     common.source, batch, warmup + load.iterations,
                                     common.limits.limits, config.batched_input, &packed_pool,
                                     &drawn);
          if (!pool.is_ok()) return fail(pool.status());
          requests = std::move(pool).value();
          if (round == 0 && !common.json) fmt::print(stderr, "  batch {}: {}\n", batch, drawn);
        } else {
          auto request = make_request((*engine)->inputs(), source, sweep.batch.empty() ? 0 : batch,
                                      config.batched_input, &packed);
          if (!request.is_ok()) return fail(request.status());
          requests.push_back(std::move(request).value());
        }
        if (!sweep.save_inputs.empty() && saved.insert(batch).second) {
          Status st = save_batch(sweep.save_inputs, common.model, batch, **engine, requests.front());
          if (!st.is_ok()) return fail(st);
        }
        Activity measuring(fmt::format("measuring {}, batch {}", config.label(), batch));
        auto m = measure(**engine, requests, round_load);
        if (!m.is_ok()) return fail(m.status().with_context(fmt::format("{}, batch {}", config.label(), batch)));
        if (round == 0) {
          rows.push_back(Row{config, batch, {}, std::nullopt});
          measured.emplace_back();
          if (sweep.slo_p99_ms > 0) {
            auto slo = search_slo(**engine, requests, sweep.slo_p99_ms, load);
            if (!slo.is_ok()) return fail(slo.status());
            rows.back().slo = *slo;
          }
        }
        if (!common.json) {
          fmt::print(stderr, "  {}{} batch {}: {} TPS, avg {:.3f} ms, p99 {:.3f} ms{}\n",
                     sweep.rounds > 1 ? fmt::format("round {}/{}: ", round + 1, sweep.rounds) : "",
                     config.label(), batch, fmt_tps(m->inferences_per_s * static_cast<double>(batch)),
                     m->avg_ms, m->p99_ms,
                     m->mode == "open" ? fmt::format(" (callers reached run() late after arrival by p50 "
                                                     "{:.3f} / p99 {:.3f} ms)",
                                                     m->arrival_lag_p50_ms, m->arrival_lag_p99_ms)
                                       : std::string());
        }
        measured[row++].push_back(std::move(m).value());
      }
    }
  }
  for (size_t i = 0; i < rows.size(); ++i) rows[i].m = combine_rounds(measured[i]);

  if (common.json) {
    nlohmann::json results = nlohmann::json::array();
    for (const Row& r : rows) {
      nlohmann::json j = to_json(r.m);
      j["instances"] = r.config.instances;
      j["cores_per_instance"] = r.config.cores_per_instance;
      j["core_limit"] = r.config.core_limit.to_string();
      j["batch"] = r.batch;
      j["batched_input"] = r.config.batched_input ? "on" : "off";
      j["tps"] = r.m.inferences_per_s * static_cast<double>(r.batch);
      if (r.slo) {
        j["slo"] = {{"p99_ms", r.slo->slo_ms},
                    {"max_rate", r.slo->max_rate},
                    {"best_rate", r.slo->best_rate},
                    {"tps", r.slo->best_rate * static_cast<double>(r.batch)},
                    {"probes", r.slo->probes},
                    {"at_best", to_json(r.slo->best)}};
      }
      results.push_back(std::move(j));
    }
    nlohmann::json out = {{"model", common.model},
                          {"machine", machine_load()},
                          {"tps_unit", "samples/s"},
                          {"results", results}};
    fmt::print("{}\n", out.dump());
  } else {
    print_tables(rows, batches, sweep.slo_p99_ms > 0);
  }
  return 0;
}

}  // namespace recinfer::cli
