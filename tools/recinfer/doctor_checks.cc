#include "doctor_checks.h"

#include <fmt/format.h>

#include <algorithm>

#include "profiler/recorder.h"
#include "tooling/machine_peaks.h"

namespace recinfer::cli {
namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

struct Medians {
  double copies = 0, kib = 0, staging_p50_us = 0, avg_ms = 0, p99_ms = 0, tps = 0;
};

Medians medians_of(const std::vector<Measurement>& runs, int64_t batch_rows) {
  std::vector<double> copies, kib, staging, avg, p99, tps;
  for (const Measurement& m : runs) {
    copies.push_back(m.copies_per_inference);
    kib.push_back(m.staged_bytes_per_inference / 1024.0);
    staging.push_back(m.staging_p50_us);
    avg.push_back(m.avg_ms);
    p99.push_back(m.p99_ms);
    tps.push_back(m.inferences_per_s * static_cast<double>(batch_rows));
  }
  return {median(copies), median(kib), median(staging), median(avg), median(p99), median(tps)};
}

}  // namespace

Result<StagingCheck> check_staging(const std::string& model, const std::vector<Tensor>& inputs,
                                   const EngineConfig& config, bool pin, int iterations,
                                   const LimitFlags& limits) {
  EngineConfig fixed = config;
  fixed.batched_input = true;
  const bool compare = !config.batched_input;
  std::vector<std::unique_ptr<Engine>> engines;
  std::vector<std::vector<Tensor>> requests(2);
  std::vector<PackedRequest> packed(2);
  for (int which = 0; which < (compare ? 2 : 1); ++which) {
    const EngineConfig& c = which == 0 ? config : fixed;
    RI_ASSIGN_OR_RETURN(auto engine, Engine::load(model, engine_options(c, pin, true, {}, limits)));
    RI_ASSIGN_OR_RETURN(requests[which], make_request(engine->inputs(), inputs, 0, c.batched_input,
                                                      &packed[which]));
    engines.push_back(std::move(engine));
  }
  LoadSpec load;
  load.iterations = iterations;
  constexpr int kRounds = 3;
  std::vector<Measurement> runs[2];
  for (int round = 0; round < kRounds; ++round) {
    for (size_t which = 0; which < engines.size(); ++which) {
      RI_ASSIGN_OR_RETURN(Measurement m, measure(*engines[which], RequestSet{requests[which]}, load));
      runs[which].push_back(m);
    }
  }
  // Samples per request: the first input's leading dim is the batch in every zoo model; TPS
  // here is only compared between the two configurations, so requests/s would do as well.
  const int64_t rows = inputs.empty() || inputs[0].rank() == 0 ? 1 : inputs[0].shape()[0];
  const Medians given = medians_of(runs[0], rows);
  advisor::StagingObservation obs;
  obs.inputs = static_cast<int>(inputs.size());
  obs.copies_per_inference = given.copies;
  obs.staged_kib_per_inference = given.kib;
  obs.staging_p50_us = given.staging_p50_us;
  obs.latency_avg_us = given.avg_ms * 1000.0;
  StagingCheck check;
  check.finding = advisor::staging_finding(obs);
  if (!compare) {
    check.verification = fmt::format(
        "verified staging ({}): {:.0f} copy per inference, {:.1f} µs p50 — nothing to fix\n",
        config.label(), given.copies, given.staging_p50_us);
    return check;
  }
  const Medians after = medians_of(runs[1], rows);
  check.verification = fmt::format(
      "verified staging ({} vs batched on; {} alternating rounds of {} requests, medians):\n"
      "  copies/inference {:.0f} -> {:.0f}, staged {:.1f} -> {:.1f} KiB, staging p50 {:.1f} -> "
      "{:.1f} µs/inference ({:.0f}% less)\n"
      "  request latency avg {:.3f} -> {:.3f} ms, p99 {:.3f} -> {:.3f} ms, throughput {:.0f} -> "
      "{:.0f} requests x batch/s\n",
      config.label(), kRounds, iterations, given.copies, after.copies, given.kib, after.kib,
      given.staging_p50_us, after.staging_p50_us,
      given.staging_p50_us > 0 ? 100.0 * (1.0 - after.staging_p50_us / given.staging_p50_us) : 0.0,
      given.avg_ms, after.avg_ms, given.p99_ms, after.p99_ms, given.tps, after.tps);
  return check;
}

Result<advisor::Peaks> measure_peaks() {
  advisor::Peaks peaks;
  tooling::GemmPeakOptions gemm;
  gemm.size = 512;
  gemm.runs = 8;
  RI_ASSIGN_OR_RETURN(tooling::GemmPeak g, tooling::measure_gemm_peak(gemm));
  peaks.gemm_gflops = g.gflops;
  tooling::GatherPeakOptions dram;
  dram.table_bytes = size_t{256} << 20;  // far beyond the cache; big tables load onto huge pages
  dram.huge_pages = true;
  dram.runs = 16;
  RI_ASSIGN_OR_RETURN(tooling::GatherPeak d, tooling::measure_gather_bandwidth(dram));
  peaks.dram_gather_gbps = d.bytes_per_second / 1e9;
  tooling::GatherPeakOptions cached = dram;
  cached.table_bytes = size_t{1} << 20;
  cached.huge_pages = false;
  RI_ASSIGN_OR_RETURN(tooling::GatherPeak c, tooling::measure_gather_bandwidth(cached));
  peaks.cached_gather_gbps = c.bytes_per_second / 1e9;
  return peaks;
}

Result<advisor::Work> profile_work(Session& session, const std::vector<Tensor>& inputs, int iterations) {
  profiler::RecorderOptions options;
  options.expected_inferences = iterations;
  profiler::Recorder recorder(options);
  std::vector<Tensor> outputs;
  for (int i = 0; i < iterations; ++i) RI_RETURN_IF_ERROR(session.run_profiled(inputs, outputs, recorder));
  const profiler::Profile profile = recorder.take();
  const auto rows = profiler::op_rows(profile);
  return advisor::count_work(rows, static_cast<int64_t>(profile.inferences.size()));
}

}  // namespace recinfer::cli
