// recinfer optimize MODEL -o OUT.onnx [--disable-pass NAME]... [--list]
// Runs the graph passes, prints what matched where, writes the optimised graph (fused ops in the
// ai.recinfer domain, docs/ai_recinfer_ops.md) and checks that recinfer loads it back.
#include <fmt/format.h>

#include "cli_util.h"
#include "commands.h"
#include "ir/verifier.h"
#include "onnx/model_loader.h"
#include "onnx/model_writer.h"
#include "passes/pipeline.h"

namespace recinfer::cli {

namespace {

struct OptimizeArgs {
  std::string model;
  std::string output;
  std::vector<std::string> disabled;
  bool list = false;
  bool quiet = false;
  LimitFlags limits;
};

int list_passes() {
  fmt::print("graph passes, in the order they run:\n");
  for (const passes::PassInfo& p : passes::list_passes()) {
    fmt::print("  {:<24} {}\n", p.name, p.summary);
  }
  return 0;
}

int optimize_command(const OptimizeArgs& args) {
  if (args.list) return list_passes();
  if (args.model.empty() || args.output.empty()) {
    return fail(invalid_argument("optimize needs MODEL and -o OUT.onnx (or --list)"));
  }
  onnx_io::LoadOptions load;
  load.limits = args.limits.limits;
  load.allow_external_hardlinks = args.limits.allow_hardlinks;
  auto model = onnx_io::load_model(args.model, load);
  if (!model.is_ok()) return fail(model.status());
  Status verified = ir::verify_graph(*model->graph);
  if (!verified.is_ok()) return fail(verified);
  passes::PipelineOptions options;
  options.disabled = args.disabled;
  auto report = passes::optimize_graph(*model->graph, options);
  if (!report.is_ok()) return fail(report.status());
  fmt::print("{}: passes\n{}", args.model, report->to_string(!args.quiet));
  Status saved = onnx_io::save_model(*model->graph, args.output);
  if (!saved.is_ok()) return fail(saved);
  // The written file must load and compile as it is (no second optimisation).
  SessionOptions reload;
  args.limits.apply(reload);
  reload.optimize = false;
  auto session = Session::load(args.output, reload);
  if (!session.is_ok()) return fail(session.status().with_context("reloading the optimised model"));
  fmt::print("wrote {} (reloads: {} inputs, {} outputs)\n", args.output,
             (*session)->inputs().size(), (*session)->outputs().size());
  return 0;
}

}  // namespace

void add_optimize_command(CLI::App& app) {
  auto args = std::make_shared<OptimizeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "optimize", "run the graph passes, print the pass report and write the optimised model");
  add_model_option(*cmd, args->model);
  cmd->add_option("-o,--output", args->output, "where to write the optimised .onnx");
  cmd->add_option("--disable-pass", args->disabled, "skip a pass by name (repeatable)");
  cmd->add_flag("--list", args->list, "list the passes in pipeline order and exit");
  cmd->add_flag("--quiet", args->quiet, "per-pass match counts only, no match sites");
  add_limit_options(*cmd, args->limits);
  cmd->callback([args] { exit_code() = optimize_command(*args); });
}

}  // namespace recinfer::cli
