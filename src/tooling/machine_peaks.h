// Measured single-thread peaks of this machine, the denominators of the roofline
// (`recinfer roofline`, bench/peers.py): dense GEMM throughput through the same oneDNN sgemm the
// dense kernels use, and the bandwidth of random embedding-row gathers from a table far larger
// than the last-level cache. Both run on the calling thread only (pin it first); not thread-safe
// with respect to other oneDNN users that change the OpenMP thread count concurrently.
#pragma once

#include <cstddef>
#include <cstdint>

#include "recinfer/status.h"

namespace recinfer::tooling {

struct GemmPeakOptions {
  int64_t size = 1024;  // M = N = K
  int runs = 16;        // best of
};

struct GemmPeak {
  int64_t size = 0;
  int runs = 0;
  double best_seconds = 0;
  double gflops = 0;  // 2·M·N·K / best_seconds / 1e9
};

// dnnl_sgemm on size×size×size float32 row-major matrices, one OpenMP thread; best of `runs`
// timed calls after one warm-up call.
Result<GemmPeak> measure_gemm_peak(const GemmPeakOptions& options);

// One embedding row: 64 float32 = 256 bytes. A compile-time width keeps the accumulator in
// registers, so the loop measures the loads and not a store-to-load chain through memory.
inline constexpr int64_t kGatherRowFloats = 64;

struct GatherPeakOptions {
  size_t table_bytes = size_t{1} << 30;  // >= 1 GiB: far beyond any L3
  // Many short runs (~1 ms each, within one scheduler slice), best kept: on a shared machine the
  // best run is the one nobody preempted. Every run reads its own ids, so no run finds the rows
  // an earlier run left in the cache.
  int64_t gathers = 32768;  // random rows per run (8 MiB of rows)
  int runs = 64;
  bool huge_pages = false;               // madvise(MADV_HUGEPAGE) vs MADV_NOHUGEPAGE on the table
  uint64_t seed = 1;
};

struct GatherPeak {
  size_t table_bytes = 0;
  int64_t row_floats = kGatherRowFloats;
  int64_t gathers = 0;
  int runs = 0;
  bool huge_pages = false;
  double best_seconds = 0;
  double bytes_per_second = 0;  // gathers · 256 / best_seconds
  int prefetch_distance = 0;    // of the best run: ids ahead whose rows were prefetched
  double checksum = 0;          // sum of the gathered rows (keeps the loads observable)
};

// Sums `gathers` uniformly random 64-float rows of a `table_bytes` float32 table into one row-sized
// accumulator per run, the access pattern of an EmbeddingBag(sum). Row ids are drawn before timing
// and read sequentially, as an engine reads its id tensor. Runs are repeated with rows prefetched
// 0, 8, 16, 32 and 64 ids ahead; the best run of all is the peak.
Result<GatherPeak> measure_gather_bandwidth(const GatherPeakOptions& options);

}  // namespace recinfer::tooling
