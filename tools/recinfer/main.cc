// recinfer: run, inspect, benchmark and check ONNX recommendation models on the CPU.
#include <cstdio>
#include <exception>
#include <new>

#include <fmt/format.h>

#include "cli_util.h"
#include "commands.h"

namespace {

// Subcommands report errors as Status; this is the last resort for an exception that escaped
// anyway (std::bad_alloc from a container, say): an error line and exit 1, never a SIGABRT.
int last_resort(const char* what, bool out_of_memory) {
  const std::string& activity = recinfer::cli::current_activity();
  const std::string context = activity.empty() ? "" : " while " + activity;
  if (out_of_memory) {
    fmt::print(stderr, "recinfer: error: out of memory{}\n", context);
  } else {
    fmt::print(stderr, "recinfer: error: {}{}\n", what, context);
  }
  return 1;
}

}  // namespace

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
  recinfer::cli::add_loadgen_command(app);
  recinfer::cli::add_serve_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::bad_alloc&) {
    return last_resort("", true);
  } catch (const std::exception& e) {
    return last_resort(e.what(), false);
  } catch (...) {
    return last_resort("unknown exception", false);
  }
  return recinfer::cli::exit_code();
}
