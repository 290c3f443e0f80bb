// recinfer: run, inspect, benchmark and check ONNX recommendation models on the CPU.
#include <cstdio>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"recinfer: a CPU inference engine for recommendation models"};
  app.require_subcommand(1);
  recinfer::cli::add_run_command(app);
  recinfer::cli::add_inspect_command(app);
  recinfer::cli::add_conformance_command(app);
  recinfer::cli::add_bench_command(app);
  recinfer::cli::add_tune_command(app);
  recinfer::cli::add_compare_command(app);
  recinfer::cli::add_optimize_command(app);
  recinfer::cli::add_doctor_command(app);
  recinfer::cli::add_roofline_command(app);
  recinfer::cli::add_profile_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return recinfer::cli::exit_code();
}
