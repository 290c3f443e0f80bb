// recinfer profile MODEL [--inputs DIR] [--iterations N] [--threads T] [--trace trace.json]
//                        [--summary ops.csv] [--html report.html]
//                        [--instances N --cores-per-instance K --core-limit M|V --batched-input on|off]
// Warm-up, then N profiled inferences: prints the latency breakdown, staging, bubbles and
// utilisation per thread, dynamic-shape ops and the top ops; writes a Chrome trace, the
// msprof-style op CSV and a self-contained HTML report on request. With engine options the
// requests go through the multi-instance Engine (one closed-loop caller per instance) and the
// profile has every instance's threads, its staging copies and the requests' queue waits.
#include <fmt/format.h>

#include <chrono>

#include "cli_util.h"
#include "commands.h"
#include "profiler/analysis.h"
#include "bench_sweep.h"
#include "profiler/export.h"
#include "profiler/merge.h"
#include "profiler/recorder.h"

namespace recinfer::cli {

namespace {

struct ProfileArgs {
  std::string model;
  InputSource source;
  ThreadFlags engine;
  OptimizeFlags optimize;
  LimitFlags limits;
  int iterations = 100;
  int warmup = -1;
  double bubble_us = 1.0;
  std::string trace;
  std::string summary;
  std::string html;
  // Engine mode (any given): 0 / "" = not given.
  int instances = 0;
  int cores_per_instance = 0;
  std::string core_limit;
  std::string batched_input;
  bool engine_mode() const {
    return instances > 0 || cores_per_instance > 0 || !core_limit.empty() || !batched_input.empty();
  }
};

Status write_outputs(const ProfileArgs& args, const profiler::Profile& profile,
                     const std::vector<profiler::OpRow>& rows, const profiler::Summary& summary) {
  if (!args.trace.empty()) {
    RI_RETURN_IF_ERROR(profiler::write_chrome_trace(profile, rows, args.trace));
    fmt::print("wrote {} (Chrome trace: Perfetto or chrome://tracing)\n", args.trace);
  }
  if (!args.summary.empty()) {
    RI_RETURN_IF_ERROR(profiler::write_op_csv(rows, summary.types, args.summary));
    fmt::print("wrote {} ({} op rows, {} op types)\n", args.summary, rows.size(),
               summary.types.size());
  }
  if (!args.html.empty()) {
    profiler::HtmlOptions html;
    const int instances = profile.threads_per_instance > 0
                              ? profile.num_threads / profile.threads_per_instance : 1;
    html.title = instances > 1
                     ? fmt::format("recinfer profile: {} ({} instances x {} thread{})", args.model,
                                   instances, profile.threads_per_instance,
                                   profile.threads_per_instance == 1 ? "" : "s")
                     : fmt::format("recinfer profile: {} ({} thread{})", args.model,
                                   profile.num_threads, profile.num_threads == 1 ? "" : "s");
    RI_RETURN_IF_ERROR(profiler::write_html_report(profile, rows, summary, html, args.html));
    fmt::print("wrote {}\n", args.html);
  }
  return Status::ok();
}

void report(const ProfileArgs& args, const profiler::Profile& profile, const std::string& header,
            double inferences_per_s, int* exit) {
  const std::vector<profiler::OpRow> rows = profiler::op_rows(profile);
  profiler::SummaryOptions summary_options;
  summary_options.bubble_threshold_us = args.bubble_us;
  const profiler::Summary summary = profiler::summarize(profile, rows, summary_options);
  fmt::print("{}", header);
  fmt::print("profiled runs: {:.1f} inferences/s with recording on (compare `recinfer bench`)\n",
             inferences_per_s);
  fmt::print("{}", profiler::format_summary(summary));
  Status written = write_outputs(args, profile, rows, summary);
  *exit = written.is_ok() ? 0 : fail(written);
}

// Engine mode: the requests reach instances through the Engine, as in `recinfer bench`.
int profile_engine(const ProfileArgs& args) {
  EngineConfig config;
  config.instances = std::max(1, args.instances);
  config.cores_per_instance = std::max(1, args.cores_per_instance > 0 ? args.cores_per_instance
                                                                      : args.engine.threads);
  if (!args.core_limit.empty()) {
    auto limit = CoreLimit::parse(args.core_limit);
    if (!limit.is_ok()) return fail(limit.status());
    config.core_limit = *limit;
  }
  config.batched_input = args.batched_input != "off";
  Activity loading("loading " + args.model);
  auto engine = Engine::load(args.model, engine_options(config, !args.engine.no_pin,
                                                        !args.optimize.no_optimize,
                                                        args.optimize.disabled, args.limits));
  if (!engine.is_ok()) return fail(engine.status());
  Activity reading("building the inputs");
  auto inputs = load_inputs(args.model, (*engine)->inputs(), args.source, args.limits.limits);
  if (!inputs.is_ok()) return fail(inputs.status());
  PackedRequest packed;
  auto request = make_request((*engine)->inputs(), *inputs, 0, config.batched_input, &packed);
  if (!request.is_ok()) return fail(request.status());

  std::vector<std::unique_ptr<profiler::Recorder>> recorders;
  std::vector<profiler::Recorder*> attached;
  profiler::RecorderOptions recorder_options;
  recorder_options.expected_inferences = args.iterations;
  for (int i = 0; i < config.instances; ++i) {
    recorders.push_back(std::make_unique<profiler::Recorder>(recorder_options));
    attached.push_back(recorders.back().get());
  }
  // Warm-up with recording on sizes every recorder's buffers; then the measured run.
  Status st = (*engine)->set_recorders(attached);
  LoadSpec load;
  load.iterations = std::max(config.instances, warmup_runs(args.warmup, args.iterations));
  load.warmup = 0;
  if (st.is_ok()) st = measure(**engine, RequestSet{*request}, load).status();
  if (!st.is_ok()) return fail(st);
  for (auto& r : recorders) r->reset();
  (*engine)->reset_stats();
  load.iterations = args.iterations;
  auto measured = measure(**engine, RequestSet{*request}, load);
  (void)(*engine)->set_recorders({});
  if (!measured.is_ok()) return fail(measured.status());
  std::vector<profiler::Profile> parts;
  for (auto& r : recorders) parts.push_back(r->take());
  const profiler::Profile profile =
      profiler::merge_instance_profiles(std::move(parts), config.cores_per_instance);
  const EngineStats stats = (*engine)->stats();
  const std::string header = fmt::format(
      "model {}  engine {}  iterations {} (closed loop, one caller per instance)\n"
      "{}graph passes: {}\n"
      "engine: {:.1f} staging copies and {:.1f} KiB staged per inference, staging p50 {:.1f} µs; "
      "{} plan(s) built\n",
      args.model, config.label(), args.iterations,
      (*engine)->placement().note.empty() ? "" : (*engine)->placement().note + "\n",
      (*engine)->optimization_report().empty() ? "passes off" : "on (see `recinfer optimize`)",
      stats.copies_per_inference(),
      stats.inferences ? static_cast<double>(stats.staged_bytes) / 1024.0 / static_cast<double>(stats.inferences) : 0.0,
      stats.staging_p50_ns / 1e3, stats.plans_built);
  int exit = 0;
  report(args, profile, header, measured->inferences_per_s, &exit);
  return exit;
}

int profile_command(const ProfileArgs& args) {
  if (args.engine_mode()) return profile_engine(args);
  SessionOptions options;
  args.engine.apply(options);
  args.optimize.apply(options);
  args.limits.apply(options);
  if (Status st = check_threads(args.engine.threads, options.limits); !st.is_ok()) return fail(st);
  Activity loading("loading " + args.model);
  auto session = Session::load(args.model, options);
  if (!session.is_ok()) return fail(session.status());
  Activity reading("building the inputs");
  auto inputs = load_inputs(args.model, **session, args.source, options.limits);
  if (!inputs.is_ok()) return fail(inputs.status());
  const int64_t batch = !inputs->empty() && (*inputs)[0].rank() > 0 ? (*inputs)[0].shape()[0] : 1;

  std::vector<Tensor> outputs;
  const int warmup = warmup_runs(args.warmup, args.iterations);
  profiler::RecorderOptions recorder_options;
  recorder_options.expected_inferences = args.iterations;
  profiler::Recorder recorder(recorder_options);
  for (int i = 0; i < warmup; ++i) {
    // The last warm-up run sizes the recorder's buffers, so measured runs never drop events.
    Status st = i + 1 < warmup ? (*session)->run(*inputs, outputs)
                               : (*session)->run_profiled(*inputs, outputs, recorder);
    if (!st.is_ok()) return fail(st);
  }
  recorder.reset();
  const auto wall_start = std::chrono::steady_clock::now();
  for (int i = 0; i < args.iterations; ++i) {
    Status st = (*session)->run_profiled(*inputs, outputs, recorder);
    if (!st.is_ok()) return fail(st);
  }
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const profiler::Profile profile = recorder.take();
  const std::vector<profiler::OpRow> rows = profiler::op_rows(profile);
  profiler::SummaryOptions summary_options;
  summary_options.bubble_threshold_us = args.bubble_us;
  const profiler::Summary summary = profiler::summarize(profile, rows, summary_options);

  fmt::print("model {}  threads {}  batch {}  iterations {} (+{} warm-up)\n", args.model,
             args.engine.threads, batch, args.iterations, warmup);
  fmt::print("graph passes: {}\n", optimization_summary(**session));
  fmt::print("profiled runs: {:.1f} inferences/s with recording on (compare `recinfer bench`)\n",
             args.iterations / wall_s);
  fmt::print("{}", profiler::format_summary(summary));
  Status written = write_outputs(args, profile, rows, summary);
  return written.is_ok() ? 0 : fail(written);
}

}  // namespace

void add_profile_command(CLI::App& app) {
  auto args = std::make_shared<ProfileArgs>();
  CLI::App* cmd = app.add_subcommand("profile", "per-op trace, bubbles and utilisation");
  add_model_option(*cmd, args->model)->required();
  add_input_options(*cmd, args->source);
  add_thread_options(*cmd, args->engine);
  add_optimize_options(*cmd, args->optimize);
  add_limit_options(*cmd, args->limits);
  cmd->add_option("--iterations", args->iterations, "profiled inferences")->check(at_least(1));
  cmd->add_option("--warmup", args->warmup, "warm-up inferences (default: max(3, N/10))")
      ->check(at_least(0));
  cmd->add_option("--bubble-us", args->bubble_us, "idle gaps at least this long count as bubbles")
      ->check(non_negative_number());
  cmd->add_option("--trace", args->trace, "write a Chrome trace (JSON) here");
  cmd->add_option("--summary", args->summary, "write the per-op CSV (msprof op_summary) here");
  cmd->add_option("--html", args->html, "write a self-contained HTML report here");
  cmd->add_option("--instances", args->instances, "engine mode: instances")->check(at_least(1));
  cmd->add_option("--cores-per-instance", args->cores_per_instance, "engine mode: threads per instance")
      ->check(at_least(1));
  cmd->add_option("--core-limit", args->core_limit, "engine mode: thread caps 'M|V' (quote the |)");
  cmd->add_option("--batched-input", args->batched_input, "engine mode: input staging on or off")
      ->check(CLI::IsMember({"on", "off"}));
  cmd->callback([args] { exit_code() = profile_command(*args); });
}

}  // namespace recinfer::cli
