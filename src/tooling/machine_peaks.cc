#include "tooling/machine_peaks.h"

#include <omp.h>
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <random>
#include <vector>

#include <oneapi/dnnl/dnnl.h>

namespace recinfer::tooling {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Anonymous mapping so the huge-page policy can be chosen per table (malloc would decide for us).
class MappedTable {
 public:
  MappedTable(size_t bytes, bool huge_pages) : bytes_(bytes) {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;
    data_ = static_cast<float*>(p);
    madvise(p, bytes, huge_pages ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
  }
  ~MappedTable() {
    if (data_ != nullptr) munmap(data_, bytes_);
  }
  MappedTable(const MappedTable&) = delete;
  MappedTable& operator=(const MappedTable&) = delete;
  float* data() const { return data_; }

 private:
  size_t bytes_;
  float* data_ = nullptr;
};

// Restores the OpenMP thread count on every exit path.
class OmpThreadsScope {
 public:
  explicit OmpThreadsScope(int threads) : saved_(omp_get_max_threads()) { omp_set_num_threads(threads); }
  ~OmpThreadsScope() { omp_set_num_threads(saved_); }
  OmpThreadsScope(const OmpThreadsScope&) = delete;
  OmpThreadsScope& operator=(const OmpThreadsScope&) = delete;

 private:
  int saved_;
};

}  // namespace

Result<GemmPeak> measure_gemm_peak(const GemmPeakOptions& options) {
  const int64_t n = options.size;
  if (n <= 0 || n > 8192 || options.runs <= 0) {
    return invalid_argument("GEMM peak: size {} must be in [1, 8192] and runs {} positive", n, options.runs);
  }
  const size_t elems = static_cast<size_t>(n * n);
  std::vector<float> a(elems), b(elems), c(elems, 0.0f);
  for (size_t i = 0; i < elems; ++i) {
    a[i] = static_cast<float>(i % 97) * 0.01f;
    b[i] = static_cast<float>(i % 89) * 0.01f;
  }
  OmpThreadsScope single_thread(1);
  GemmPeak peak;
  peak.size = n;
  peak.runs = options.runs;
  peak.best_seconds = 1e300;
  for (int run = -1; run < options.runs; ++run) {  // run -1 warms up (oneDNN JIT, page faults)
    auto start = std::chrono::steady_clock::now();
    dnnl_status_t st = dnnl_sgemm('N', 'N', n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
    const double s = seconds_since(start);
    if (st != dnnl_success) return internal_error("dnnl_sgemm {}x{}x{} failed with status {}", n, n, n, static_cast<int>(st));
    if (run >= 0) peak.best_seconds = std::min(peak.best_seconds, s);
  }
  peak.gflops = 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n) /
                peak.best_seconds / 1e9;
  return peak;
}

// Prefetch distances tried (ids ahead whose rows are prefetched; 0 = none). The best depends on
// the memory system: how many misses it keeps in flight, and the latency it has to hide.
constexpr size_t kPrefetchDistances[] = {0, 8, 16, 32, 64};

Result<GatherPeak> measure_gather_bandwidth(const GatherPeakOptions& options) {
  constexpr int64_t row = kGatherRowFloats;
  if (options.gathers <= 0 || options.runs <= 0) {
    return invalid_argument("gather peak: gathers {} and runs {} must be positive", options.gathers, options.runs);
  }
  constexpr size_t row_bytes = static_cast<size_t>(row) * sizeof(float);
  const int64_t rows = static_cast<int64_t>(options.table_bytes / row_bytes);
  if (rows < 1) return invalid_argument("gather peak: table of {} bytes holds no {}-byte row", options.table_bytes, row_bytes);
  const size_t bytes = static_cast<size_t>(rows) * row_bytes;
  MappedTable table(bytes, options.huge_pages);
  if (table.data() == nullptr) return io_error("gather peak: cannot map a {}-byte table", bytes);
  // Touch every page with distinct values so no page is the shared zero page.
  float* data = table.data();
  const size_t floats = bytes / sizeof(float);
  for (size_t i = 0; i < floats; ++i) data[i] = static_cast<float>(i & 1023) * (1.0f / 1024.0f);

  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<int64_t> pick(0, rows - 1);
  // One slice of ids per timed run plus one for the warm-up run.
  const size_t per_run = static_cast<size_t>(options.gathers);
  std::vector<int64_t> ids(per_run * static_cast<size_t>(options.runs + 1));
  for (int64_t& id : ids) id = pick(rng);

  GatherPeak peak;
  peak.table_bytes = bytes;
  peak.gathers = options.gathers;
  peak.runs = options.runs;
  peak.huge_pages = options.huge_pages;
  peak.best_seconds = 1e300;
  for (size_t distance : kPrefetchDistances) {
    for (int run = -1; run < options.runs; ++run) {  // run -1 (the last slice) warms up
      // Half-row accumulator: 8 SSE registers, so nothing spills to the stack with baseline x86-64.
      float acc[row / 2] = {};
      const int64_t* slice = ids.data() + per_run * static_cast<size_t>(run < 0 ? options.runs : run);
      auto start = std::chrono::steady_clock::now();
      for (size_t i = 0; i < per_run; ++i) {
        // Rows `distance` ids ahead are prefetched, as the embedding kernels do: the peak is what
        // a gather with many misses in flight reaches, not one bounded by the out-of-order window.
        if (distance > 0 && i + distance < per_run) {
          const char* ahead = reinterpret_cast<const char*>(data + slice[i + distance] * row);
          for (size_t line = 0; line < row_bytes; line += 64) __builtin_prefetch(ahead + line, 0, 1);
        }
        const float* __restrict src = data + slice[i] * row;
        for (int64_t j = 0; j < row / 2; ++j) acc[j] += src[j] + src[j + row / 2];
      }
      const double s = seconds_since(start);
      if (run >= 0 && s < peak.best_seconds) {
        peak.best_seconds = s;
        peak.prefetch_distance = static_cast<int>(distance);
      }
      double sum = 0;
      for (float v : acc) sum += v;
      peak.checksum = sum;
    }
  }
  peak.bytes_per_second = static_cast<double>(options.gathers) * static_cast<double>(row_bytes) / peak.best_seconds;
  return peak;
}

}  // namespace recinfer::tooling
