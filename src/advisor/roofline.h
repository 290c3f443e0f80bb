// "No action: near the roofline" — the doctor's check of what is left after the passes. From a
// profile of the optimised model it counts the work one inference must do (GEMM-class FLOPs from
// the op shapes, embedding bytes gathered, split by whether the table fits in the cache) and
// divides it by this machine's measured peaks, the same roofline as bench/peers.py:
// max(FLOPs / GEMM peak, gathered bytes / gather bandwidth).
#pragma once

#include <string>
#include <vector>

#include "profiler/analysis.h"

namespace recinfer::advisor {

struct Work {
  double flops = 0;          // per inference: Gemm, FusedGemm, MatMul, DotInteraction
  double dram_bytes = 0;     // gathered from tables larger than kCachedTableBytes
  double cached_bytes = 0;   // gathered from tables that fit in the cache
  double gemm_us = 0, gather_us = 0, other_us = 0;  // measured time per op class, per inference
};

// Tables up to this size are assumed cache-resident (gathered at the cached bandwidth).
inline constexpr double kCachedTableBytes = 16.0 * (1 << 20);

Work count_work(const std::vector<profiler::OpRow>& rows, int64_t inferences);

struct Peaks {
  double gemm_gflops = 0;
  double dram_gather_gbps = 0;    // random 256-byte rows from a table far beyond the cache
  double cached_gather_gbps = 0;  // the same from a cache-resident table
};

struct RooflineVerdict {
  double roofline_us = 0;  // the limit for one inference
  double measured_us = 0;  // median latency
  double fraction = 0;     // roofline / measured (1 = at the limit)
  bool near = false;       // fraction >= kNearFraction
  std::string bound;       // "GEMM" or "gather": which limit is the larger
};

inline constexpr double kNearFraction = 0.5;  // the aim: half of the roofline

RooflineVerdict judge(const Work& work, const Peaks& peaks, double measured_us);

// The doctor's lines for the verdict (the finding "no action" or the remaining gap by op class).
std::string format_verdict(const Work& work, const Peaks& peaks, const RooflineVerdict& verdict);

}  // namespace recinfer::advisor
