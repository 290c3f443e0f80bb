// Resource limits: the sizes and counts a model file or a request decides, checked before
// anything is allocated, started or looped over, so that a malformed or hostile input fails
// with an error naming the limit (and how to raise it) instead of exhausting memory, threads or
// time. The defaults are far beyond any real recommendation model; raise one through
// SessionOptions::limits / EngineOptions::limits, or the CLI flag named in each field.
//
// A plain value type: copy it freely; it is read-only once a Session or Engine is loaded.
#pragma once

#include <cstdint>
#include <string>

namespace recinfer {

struct Limits {
  static constexpr uint64_t kDefaultMaxTensorBytes = uint64_t{64} << 30;  // 64 GiB

  // Bytes of any one tensor: initializers (checked against the declared shape before the data is
  // read), planned and data-dependent intermediates, and inputs the tools build. --max-tensor-bytes
  uint64_t max_tensor_bytes = kDefaultMaxTensorBytes;
  // Bytes of one plan's arena (every planned intermediate of one set of input shapes);
  // 0 = this machine's physical memory. --max-arena-bytes
  uint64_t max_arena_bytes = 0;
  // Iterations of one ONNX Loop (its trip count M, or its condition-only run). --max-loop-iterations
  int64_t max_loop_iterations = int64_t{1} << 31;
  // Intra-op threads of a Session, and threads of all an Engine's instances together;
  // 0 = 4 x the CPUs this process may use. --max-threads
  int max_threads = 0;
  // Rows of a batch the tools build (`recinfer bench/tune --batch`, `--dim NAME=N`). --max-batch
  int64_t max_batch = int64_t{1} << 20;

  // The arena limit in effect (max_arena_bytes, or physical memory when 0).
  uint64_t arena_limit() const;
  // The thread limit in effect (max_threads, or 4 x usable CPUs when 0).
  int thread_limit() const;
  // "8 (4 x 2 usable CPUs; raise with --max-threads)" or "16 (set by --max-threads)".
  std::string describe_thread_limit() const;
};

// Human-readable byte count for limit messages: "64 GiB", "1.5 MiB", "512 bytes".
std::string format_bytes(uint64_t bytes);

// Physical memory of this machine in bytes (0 when unknown), and the CPUs this process may use.
uint64_t physical_memory_bytes();
int usable_cpus();

}  // namespace recinfer
