// One function per subcommand; each adds itself to the app and runs when selected.
#pragma once

#include <CLI/CLI.hpp>

namespace recinfer::cli {

void add_run_command(CLI::App& app);
void add_inspect_command(CLI::App& app);
void add_conformance_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_tune_command(CLI::App& app);
void add_compare_command(CLI::App& app);
void add_optimize_command(CLI::App& app);
void add_doctor_command(CLI::App& app);
void add_roofline_command(CLI::App& app);
void add_profile_command(CLI::App& app);
void add_loadgen_command(CLI::App& app);
void add_serve_command(CLI::App& app);

// Exit code of the selected subcommand (set by its callback).
int& exit_code();

}  // namespace recinfer::cli
