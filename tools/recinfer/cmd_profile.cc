// recinfer profile MODEL [--inputs DIR] [--iterations N] [--threads T] [--trace trace.json]
//                        [--summary ops.csv] [--html report.html]
// Warm-up, then N profiled inferences: prints the latency breakdown, staging, bubbles and
// utilisation per thread, dynamic-shape ops and the top ops; writes a Chrome trace, the
// msprof-style op CSV and a self-contained HTML report on request.
#include <fmt/format.h>

#include <chrono>

#include "cli_util.h"
#include "commands.h"
#include "profiler/analysis.h"
#include "profiler/export.h"
#include "profiler/recorder.h"

namespace recinfer::cli {

namespace {

struct ProfileArgs {
  std::string model;
  InputSource source;
  ThreadFlags engine;
  OptimizeFlags optimize;
  int iterations = 100;
  int warmup = -1;
  double bubble_us = 1.0;
  std::string trace;
  std::string summary;
  std::string html;
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
    html.title = fmt::format("recinfer profile: {} ({} thread{})", args.model, args.engine.threads,
                             args.engine.threads == 1 ? "" : "s");
    RI_RETURN_IF_ERROR(profiler::write_html_report(profile, rows, summary, html, args.html));
    fmt::print("wrote {}\n", args.html);
  }
  return Status::ok();
}

int profile_command(const ProfileArgs& args) {
  SessionOptions options;
  args.engine.apply(options);
  args.optimize.apply(options);
  auto session = Session::load(args.model, options);
  if (!session.is_ok()) return fail(session.status());
  auto inputs = load_inputs(args.model, **session, args.source);
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
  cmd->add_option("model", args->model, "ONNX model")->required();
  add_input_options(*cmd, args->source);
  add_thread_options(*cmd, args->engine);
  add_optimize_options(*cmd, args->optimize);
  cmd->add_option("--iterations", args->iterations, "profiled inferences")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--warmup", args->warmup, "warm-up inferences (default: max(3, N/10))");
  cmd->add_option("--bubble-us", args->bubble_us, "idle gaps at least this long count as bubbles");
  cmd->add_option("--trace", args->trace, "write a Chrome trace (JSON) here");
  cmd->add_option("--summary", args->summary, "write the per-op CSV (msprof op_summary) here");
  cmd->add_option("--html", args->html, "write a self-contained HTML report here");
  cmd->callback([args] { exit_code() = profile_command(*args); });
}

}  // namespace recinfer::cli
