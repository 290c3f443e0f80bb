// Shared by the harnesses: sanitizer defaults baked into every binary (so a reproducer run by hand
// behaves like scripts/fuzz.sh) and a per-process scratch folder.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "recinfer/status.h"

// Legitimate models may declare huge tensors. Tensor::allocate fails cleanly on a null malloc, so
// allocations above 256 MiB return null instead of exhausting the machine; a plain `new` of that
// size still aborts, which is a real finding (an uncaught bad_alloc on a model-reachable path).
extern "C" const char* __asan_default_options() {
  return "allocator_may_return_null=1:max_allocation_size_mb=256:detect_leaks=1";
}
extern "C" const char* __ubsan_default_options() {
  return "print_stacktrace=1:halt_on_error=1";
}

namespace recinfer::fuzz {

// A fresh folder per process (on tmpfs when there is one: the model is rewritten every input),
// removed at exit. The name lives in a plain array: it must outlive static destructors.
inline const char* scratch_dir() {
  static char dir[64] = "";
  if (dir[0] == '\0') {
    const bool shm = std::filesystem::is_directory("/dev/shm");
    std::snprintf(dir, sizeof dir, "%s/recinfer_fuzz_XXXXXX", shm ? "/dev/shm" : "/tmp");
    if (mkdtemp(dir) == nullptr) std::abort();
    std::atexit([] { std::error_code ec; std::filesystem::remove_all(dir, ec); });
  }
  return dir;
}

// RECINFER_FUZZ_VERBOSE=1: print how far each input got (to see whether seeds reach the code
// under test, or why a reproducer stops where it does).
inline void report(const char* stage, const recinfer::Status& status) {
  static const bool verbose = std::getenv("RECINFER_FUZZ_VERBOSE") != nullptr;
  if (!verbose) return;
  std::fprintf(stderr, "%s: %s\n", stage, status.is_ok() ? "ok" : status.to_string().c_str());
}

inline void write_file(const std::filesystem::path& path, const void* data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) std::abort();  // the harness's own failure, not the engine's
}

}  // namespace recinfer::fuzz
