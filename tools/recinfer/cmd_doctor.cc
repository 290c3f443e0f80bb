// recinfer doctor MODEL [--inputs DIR] [--threads T] [--iterations N]
//                 [--instances N --cores-per-instance K --batched-input on|off]
// Profiles the model as exported (no graph passes), names what costs time and which pass removes
// it (ranked by the measured time of the ops it removes); with engine options, also measures input
// staging through the multi-instance Engine. Then applies the fixes and measures before/after in
// the same run, with the outputs checked equal — every claim is verified — and closes with the
// optimised model's roofline ("no action: near the roofline", or the gap that remains).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "advisor/advisor.h"
#include "cli_util.h"
#include "commands.h"
#include "doctor_checks.h"
#include "profiler/recorder.h"
#include "tooling/tensor_compare.h"

namespace recinfer::cli {

namespace {

struct DoctorArgs {
  std::string model;
  InputSource source;
  ThreadFlags engine;
  LimitFlags limits;
  int iterations = 100;
  // Engine options (0 / "" = not given; any one given turns the staging check on).
  int instances = 0;
  int cores_per_instance = 0;
  std::string batched_input;
  bool engine_given() const {
    return instances > 0 || cores_per_instance > 0 || !batched_input.empty();
  }
};

struct Timing {
  double p50_ms = 0, avg_ms = 0;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

// Alternating rounds of plain runs (no recorder), so both sessions see the same conditions.
Status time_both(Session& before, Session& after, const std::vector<Tensor>& inputs, int iterations,
                 Timing& t_before, Timing& t_after) {
  std::vector<double> lat[2];
  std::vector<Tensor> outputs;
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    for (int which = 0; which < 2; ++which) {
      Session& s = which == 0 ? before : after;
      for (int i = 0; i < std::max(1, iterations / kRounds); ++i) {
        auto start = std::chrono::steady_clock::now();
        RI_RETURN_IF_ERROR(s.run(inputs, outputs));
        lat[which].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      }
    }
  }
  for (int which = 0; which < 2; ++which) {
    Timing& t = which == 0 ? t_before : t_after;
    t.p50_ms = median(lat[which]);
    double sum = 0;
    for (double x : lat[which]) sum += x;
    t.avg_ms = sum / static_cast<double>(lat[which].size());
  }
  return Status::ok();
}

int doctor_command(const DoctorArgs& args) {
  SessionOptions as_given;
  args.engine.apply(as_given);
  args.limits.apply(as_given);
  as_given.optimize = false;
  if (Status st = check_threads(args.engine.threads, as_given.limits); !st.is_ok()) return fail(st);
  Activity loading("loading " + args.model);
  auto session = Session::load(args.model, as_given);
  if (!session.is_ok()) return fail(session.status());
  Activity reading("building the inputs");
  auto inputs = load_inputs(args.model, **session, args.source, as_given.limits);
  if (!inputs.is_ok()) return fail(inputs.status());

  // 1. Profile the model as exported.
  std::vector<Tensor> outputs;
  profiler::RecorderOptions recorder_options;
  recorder_options.expected_inferences = args.iterations;
  profiler::Recorder recorder(recorder_options);
  const int warmup = warmup_runs(-1, args.iterations);
  for (int i = 0; i < warmup; ++i) {
    Status st = i + 1 < warmup ? (*session)->run(*inputs, outputs)
                               : (*session)->run_profiled(*inputs, outputs, recorder);
    if (!st.is_ok()) return fail(st);
  }
  recorder.reset();
  for (int i = 0; i < args.iterations; ++i) {
    Status st = (*session)->run_profiled(*inputs, outputs, recorder);
    if (!st.is_ok()) return fail(st);
  }
  const profiler::Profile profile = recorder.take();
  const auto rows = profiler::op_rows(profile);
  const profiler::Summary summary = profiler::summarize(profile, rows);
  fmt::print("doctor: {} ({} thread{}, {} profiled inferences, model as exported)\n", args.model,
             args.engine.threads, args.engine.threads == 1 ? "" : "s", args.iterations);
  fmt::print("  latency µs: mean {:.1f}  p50 {:.1f}  p99 {:.1f}; {:.0f} ops/inference, {:.0f} dynamic\n",
             summary.latency_mean_us, summary.latency_p50_us, summary.latency_p99_us,
             summary.ops_per_inference, summary.dynamic_ops_per_inference);
  // Data-dependent roots (their consumers are dynamic only because of them).
  const double n = static_cast<double>(std::max<int64_t>(1, summary.inferences));
  double replan = 0;
  for (const profiler::OpTotal& d : summary.dynamic_ops) replan += d.replan_us / n;
  if (!summary.dynamic_ops.empty()) {
    fmt::print("  {} dynamic-shape ops re-planned every inference ({:.1f} µs/inference); "
               "data-dependent roots:\n", summary.dynamic_ops.size(), replan);
  }
  for (const profiler::OpTotal& d : summary.dynamic_ops) {
    if (d.type != "NonZero" && d.type != "Unique" && d.type != "Loop") continue;
    fmt::print("    node '{}' ({}) {:.1f} µs/inference\n", d.name, d.type, d.total_us / n);
  }

  // 2. Findings, ranked by estimated gain: the measured time of what each pass removes, and
  // with engine options the measured staging time.
  const advisor::OpTimes times = advisor::op_times(profile, rows, summary);
  auto findings = advisor::find_pass_findings(args.model, times);
  if (!findings.is_ok()) return fail(findings.status());
  StagingCheck staging;
  if (args.engine_given()) {
    EngineConfig config;
    config.instances = std::max(1, args.instances);
    config.cores_per_instance = std::max(1, args.cores_per_instance);
    config.batched_input = args.batched_input != "off";
    auto checked = check_staging(args.model, *inputs, config, !args.engine.no_pin,
                                 std::max(200, args.iterations), args.limits);
    if (!checked.is_ok()) return fail(checked.status().with_context(config.label()));
    staging = std::move(checked).value();
    if (staging.finding) findings->push_back(*staging.finding);
    advisor::rank_findings(*findings);
  }
  fmt::print("findings (by estimated gain):\n");
  int rank = 0;
  for (const advisor::Finding& f : *findings) fmt::print("{}", advisor::format_finding(++rank, f));
  if (findings->empty()) fmt::print("  no graph rewrite applies: no action at the graph level\n");
  if (args.engine.threads > 1 && summary.utilisation < 0.6) {
    fmt::print("{:>2}. threads idle: utilisation {:.0f}% with {} threads — fewer threads per "
               "instance and more instances would use them (not verified in this run)\n",
               ++rank, 100.0 * summary.utilisation, args.engine.threads);
  }

  // 3. Apply and verify: same inputs, alternating timed rounds, outputs compared.
  SessionOptions optimized = as_given;
  optimized.optimize = true;
  auto fixed = Session::load(args.model, optimized);
  if (!fixed.is_ok()) return fail(fixed.status());
  std::vector<Tensor> got, want;
  Status st = (*fixed)->run(*inputs, got);
  if (!st.is_ok()) return fail(st);
  for (const Tensor& t : got) want.push_back(*t.clone());
  st = (*session)->run(*inputs, got);
  if (!st.is_ok()) return fail(st);
  const auto same = tooling::compare_outputs(want, got, {});
  Timing before, after;
  st = time_both(**session, **fixed, *inputs, std::max(10, args.iterations), before, after);
  if (!st.is_ok()) return fail(st);
  fmt::print("verified: with the passes ({})\n", optimization_summary(**fixed));
  fmt::print("  before p50 {:.3f} ms avg {:.3f} ms | after p50 {:.3f} ms avg {:.3f} ms | {:.2f}x "
             "faster (p50)\n",
             before.p50_ms, before.avg_ms, after.p50_ms, after.avg_ms,
             after.p50_ms > 0 ? before.p50_ms / after.p50_ms : 0.0);
  fmt::print("  outputs {} (max |err| {:.3g})\n", same.ok ? "equal within tolerance" : "DIFFER: " + same.message,
             same.max_abs_error);
  fmt::print("{}", staging.verification);

  // 4. What is left: the optimised model against this machine's roofline.
  auto work = profile_work(**fixed, *inputs, std::max(10, args.iterations));
  if (!work.is_ok()) return fail(work.status());
  auto peaks = measure_peaks();
  if (!peaks.is_ok()) return fail(peaks.status());
  const advisor::RooflineVerdict verdict = advisor::judge(*work, *peaks, after.p50_ms * 1000.0);
  fmt::print("{}", advisor::format_verdict(*work, *peaks, verdict));
  return same.ok ? 0 : 1;
}

}  // namespace

void add_doctor_command(CLI::App& app) {
  auto args = std::make_shared<DoctorArgs>();
  CLI::App* cmd = app.add_subcommand(
      "doctor", "profile the model as exported, name the bottlenecks and the fix, verify it");
  add_model_option(*cmd, args->model)->required();
  add_input_options(*cmd, args->source);
  add_thread_options(*cmd, args->engine);
  add_limit_options(*cmd, args->limits);
  cmd->add_option("--iterations", args->iterations, "profiled inferences")->check(at_least(1));
  cmd->add_option("--instances", args->instances, "engine instances for the staging check")
      ->check(at_least(1));
  cmd->add_option("--cores-per-instance", args->cores_per_instance, "threads per engine instance")
      ->check(at_least(1));
  cmd->add_option("--batched-input", args->batched_input,
                  "input staging of the engine as given: on (packed, one copy) or off (one copy per tensor)")
      ->check(CLI::IsMember({"on", "off"}));
  cmd->callback([args] { exit_code() = doctor_command(*args); });
}

}  // namespace recinfer::cli
