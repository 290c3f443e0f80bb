// recinfer roofline [--json] [--gemm-size N] [--table-mib MiB] [--cached-kib KiB] [--runs N] [--no-pin]
// Measures this machine's single-thread peaks for the roofline: float32 GEMM GFLOP/s through
// dnnl_sgemm, and the bandwidth of random 64-float embedding-row gathers from a table much larger
// than L3, with 4 KiB pages (how mmap'ed weights are backed) and with transparent huge pages, plus
// the same gathers from a small table that stays in L2 (the ceiling for small models' tables).
// bench/peers.py divides FLOPs and gathered bytes per inference by these figures.

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_util.h"
#include "commands.h"
#include "runtime/cpu_affinity.h"
#include "tooling/machine_peaks.h"

namespace recinfer::cli {

namespace {

struct RooflineArgs {
  int64_t gemm_size = 1024;
  int64_t table_mib = 1024;
  int64_t cached_kib = 1024;
  int64_t gathers = 32768;
  int runs = 64;
  bool json = false;
  bool no_pin = false;
};

nlohmann::json gather_json(const tooling::GatherPeak& g) {
  return {{"bytes_per_s", g.bytes_per_second}, {"gb_per_s", g.bytes_per_second / 1e9},
          {"table_bytes", g.table_bytes},      {"row_floats", g.row_floats},
          {"gathers", g.gathers},              {"runs", g.runs},
          {"huge_pages", g.huge_pages},        {"best_seconds", g.best_seconds},
          {"prefetch_distance", g.prefetch_distance}};
}

// Both tables and the gathers' ids are touched in full: more than physical memory would only
// end in the OOM killer.
Status check_memory(const RooflineArgs& args) {
  const uint64_t memory = physical_memory_bytes();
  if (memory == 0) return Status::ok();
  const uint64_t mib = memory >> 20;
  if (static_cast<uint64_t>(args.table_mib) > mib ||
      static_cast<uint64_t>(args.cached_kib) > mib << 10) {
    return invalid_argument("--table-mib {} / --cached-kib {}: the table must fit this machine's "
                            "memory ({})",
                            args.table_mib, args.cached_kib, format_bytes(memory));
  }
  const double id_bytes = 8.0 * static_cast<double>(args.gathers) * (args.runs + 1.0);
  if (id_bytes > static_cast<double>(memory) / 2) {
    return invalid_argument("--gathers {} x --runs {}: the random ids ({:.0f} bytes) must fit in "
                            "half of this machine's memory ({})",
                            args.gathers, args.runs, id_bytes, format_bytes(memory));
  }
  return Status::ok();
}

int roofline_command(const RooflineArgs& args) {
  if (Status st = check_memory(args); !st.is_ok()) return fail(st);
  if (!args.no_pin) {
    runtime::pin_current_thread(0);
  }
  tooling::GemmPeakOptions gemm_options;
  gemm_options.size = args.gemm_size;
  gemm_options.runs = std::max(3, args.runs / 4);  // a 1024³ GEMM is ~20x longer than a gather run
  auto gemm = tooling::measure_gemm_peak(gemm_options);
  if (!gemm.is_ok()) return fail(gemm.status());

  tooling::GatherPeakOptions gather_options;
  gather_options.table_bytes = static_cast<size_t>(std::max<int64_t>(args.table_mib, 1)) << 20;
  gather_options.gathers = args.gathers;
  gather_options.runs = args.runs;
  gather_options.huge_pages = false;
  auto small_pages = tooling::measure_gather_bandwidth(gather_options);
  if (!small_pages.is_ok()) return fail(small_pages.status());
  gather_options.huge_pages = true;
  auto huge_pages = tooling::measure_gather_bandwidth(gather_options);
  if (!huge_pages.is_ok()) return fail(huge_pages.status());

  gather_options.huge_pages = false;
  gather_options.table_bytes = static_cast<size_t>(std::max<int64_t>(args.cached_kib, 1)) << 10;
  auto cached = tooling::measure_gather_bandwidth(gather_options);
  if (!cached.is_ok()) return fail(cached.status());

  const double best_gather = std::max(small_pages->bytes_per_second, huge_pages->bytes_per_second);
  if (args.json) {
    nlohmann::json j = {
        {"threads", 1},
        {"gemm", {{"gflops", gemm->gflops}, {"size", gemm->size}, {"runs", gemm->runs},
                  {"best_seconds", gemm->best_seconds}}},
        {"gather_4k_pages", gather_json(*small_pages)},
        {"gather_huge_pages", gather_json(*huge_pages)},
        {"gather_cached", gather_json(*cached)},
        {"gather_bytes_per_s", best_gather}};
    fmt::print("{}\n", j.dump());
  } else {
    fmt::print("single-thread peaks{}\n", args.no_pin ? "" : " (pinned to CPU 0)");
    fmt::print("GEMM   dnnl_sgemm {0}x{0}x{0}: {1:.1f} GFLOP/s (best of {2})\n", gemm->size,
               gemm->gflops, gemm->runs);
    for (const auto* g : {&*small_pages, &*huge_pages, &*cached}) {
      const double kib = static_cast<double>(g->table_bytes) / 1024;
      fmt::print("gather {} random {}-float rows from a {:.0f} {} table, {}: {:.2f} GB/s (best of {} "
                 "runs per prefetch distance; best with rows prefetched {} ids ahead)\n",
                 g->gathers, g->row_floats, kib >= 1024 ? kib / 1024 : kib, kib >= 1024 ? "MiB" : "KiB",
                 g == &*cached ? "cache-resident" : g->huge_pages ? "huge pages" : "4 KiB pages",
                 g->bytes_per_second / 1e9, g->runs, g->prefetch_distance);
    }
  }
  return 0;
}

}  // namespace

void add_roofline_command(CLI::App& app) {
  auto args = std::make_shared<RooflineArgs>();
  CLI::App* cmd = app.add_subcommand("roofline", "measure single-thread GEMM and gather peaks");
  cmd->add_option("--gemm-size", args->gemm_size, "M = N = K of the GEMM (default 1024)")
      ->check(CLI::Range(int64_t{1}, int64_t{8192}));
  cmd->add_option("--table-mib", args->table_mib, "gather table size in MiB (default 1024)")
      ->check(at_least(1));
  cmd->add_option("--cached-kib", args->cached_kib, "cache-resident gather table in KiB (default 1024)")
      ->check(at_least(1));
  cmd->add_option("--gathers", args->gathers, "random rows per gather run (default 32768)")
      ->check(at_least(1));
  cmd->add_option("--runs", args->runs, "timed gather runs, best kept (default 64; GEMM: a quarter)")
      ->check(at_least(1));
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->add_flag("--no-pin", args->no_pin, "do not pin to CPU 0");
  cmd->callback([args] { exit_code() = roofline_command(*args); });
}

}  // namespace recinfer::cli
