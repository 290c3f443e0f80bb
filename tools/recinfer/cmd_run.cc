// recinfer run MODEL --inputs DIR --outputs DIR
#include <fmt/format.h>

#include "cli_util.h"
#include "commands.h"

namespace recinfer::cli {

namespace {
struct RunArgs {
  std::string model;
  InputSource source;
  std::string outputs;
  int threads = 1;
  bool reference = false;
  OptimizeFlags optimize;
  LimitFlags limits;
};

int run_command(const RunArgs& args) {
  SessionOptions options;
  options.num_threads = args.threads;
  options.reference_kernels = args.reference;
  args.optimize.apply(options);
  args.limits.apply(options);
  if (Status st = check_threads(args.threads, options.limits); !st.is_ok()) return fail(st);
  Activity loading("loading " + args.model);
  auto session = Session::load(args.model, options);
  if (!session.is_ok()) return fail(session.status());
  Activity reading("building the inputs");
  auto inputs = load_inputs(args.model, **session, args.source, options.limits);
  if (!inputs.is_ok()) return fail(inputs.status());
  Activity running("running " + args.model);
  std::vector<Tensor> outputs;
  Status st = (*session)->run(*inputs, outputs);
  if (!st.is_ok()) return fail(st);
  const auto& specs = (*session)->outputs();
  for (size_t k = 0; k < outputs.size(); ++k) {
    fmt::print("output {} '{}': {} {}\n", k, specs[k].name, dtype_name(outputs[k].dtype()),
               outputs[k].shape().to_string());
  }
  if (!args.outputs.empty()) {
    st = tooling::write_tensor_dir(args.outputs, "output", outputs, specs);
    if (!st.is_ok()) return fail(st);
    fmt::print("wrote {} outputs to {}\n", outputs.size(), args.outputs);
  }
  return 0;
}
}  // namespace

void add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "run one inference and write the outputs");
  add_model_option(*cmd, args->model)->required();
  add_input_options(*cmd, args->source);
  cmd->add_option("--outputs", args->outputs, "folder to write output_<k>.pb to");
  cmd->add_option("--threads", args->threads, "intra-op threads")->check(at_least(1));
  cmd->add_flag("--reference", args->reference, "use the naive reference kernels");
  add_optimize_options(*cmd, args->optimize);
  add_limit_options(*cmd, args->limits);
  cmd->callback([args] { exit_code() = run_command(*args); });
}

}  // namespace recinfer::cli
