#!/usr/bin/env bash
# AddressSanitizer + UBSan job: builds the unit tests and the CLI with ASan + UBSan (clang-14,
# -O1 -g) into build-asan/ and runs ctest there: every unit test and the end-to-end tests (which
# run the instrumented `recinfer` CLI). Any sanitizer report fails the job, including one from a
# CLI call that a test expected to fail: every report also goes to build-asan/sanitizer/,
# checked at the end.
#   scripts/asan.sh [extra ctest arguments, e.g. -R Session]
# Why clang: it compiles this code base about twice as fast as gcc under ASan, and gcc 12's
# UBSan ignores log_path when halt_on_error is set. Why -DRECINFER_FUZZ=ON: the library is then
# compiled exactly as in scripts/fuzz.sh's build-fuzz/ (plus coverage counters, which cost the
# tests little), so whichever job runs second takes the library from ccache.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-fuzz
# ccache: the same objects in build-asan/ and build-fuzz/ (the build dir is not hashed; paths are
# relative to the checkout).
export CCACHE_NOHASHDIR=1 CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
compiler=$(command -v clang++-14)
cache=build-asan/CMakeCache.txt
if [[ -f $cache ]] && ! grep -q "^CMAKE_CXX_COMPILER:[A-Z]*=$compiler$" "$cache"; then
  rm -rf build-asan  # configured with another compiler (CMake cannot switch in place)
fi
generator=()
command -v ninja >/dev/null && [[ ! -f build-asan/Makefile ]] && generator=(-G Ninja)
cmake -S . -B build-asan "${generator[@]}" -DCMAKE_CXX_COMPILER="$compiler" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g -DNDEBUG" \
  -DRECINFER_ASAN=ON -DRECINFER_FUZZ=ON >/dev/null
cmake --build build-asan -j"$(nproc)" --target recinfer_tests recinfer

reports="$PWD/build-asan/sanitizer"
rm -rf "$reports"
mkdir -p "$reports"
# halt_on_error: the first finding ends the process (a failed test); log_path: reports go to files
# (printed below instead of in the test's output), so that a finding inside a CLI call that a
# test expected to fail still fails the job.
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=0:log_path=$reports/asan:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan:${UBSAN_OPTIONS:-}"
# Left out (see README "Fuzzing and sanitizers"): the timing-driven e2e tests, which measure
# rounds of benchmarks and are slow under ASan without covering code the others do not.
exclude='^(doctor_names_the_bottlenecks|bench_sweep_rounds_and_staging)$'
status=0
ctest --test-dir build-asan --output-on-failure -j"$(nproc)" --timeout 1500 -E "$exclude" "$@" ||
  status=$?
if compgen -G "$reports/*" >/dev/null; then
  echo "== sanitizer reports:"
  for f in "$reports"/*; do
    echo "-- $f"
    head -60 "$f"
  done
  status=1
fi
exit "$status"
