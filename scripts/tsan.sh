#!/usr/bin/env bash
# ThreadSanitizer job: builds only the test binary with -DRECINFER_TSAN=ON into build-tsan/ and
# runs the concurrency tests (Engine stress and unit tests, instance scheduler, thread pool,
# Session, the Engine's ragged inputs, reduce kernels on a 3-thread pool, the profiler recording
# a 2-thread session) under TSAN.
# Prints the gtest summary; exits non-zero on a test failure or a TSAN report.
#   scripts/tsan.sh [extra gtest filter patterns, ':'-separated]
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
command -v ninja >/dev/null && [[ ! -f build-tsan/Makefile ]] && generator=(-G Ninja)
# -O1: TSAN finds the same races; the cold build of lib + tests is the slow part on 2 cores.
cmake -S . -B build-tsan "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g -DNDEBUG" -DRECINFER_TSAN=ON \
  >/dev/null
cmake --build build-tsan -j"$(nproc)" --target recinfer_tests
filter="EngineStress*:EngineTest.*:InstanceScheduler*:ThreadPool*:Session*"
filter+=":RaggedInputsTest.Engine*:ReduceThreadedTest.*:ProfilerRecorderTest.ZooModelOnTwoThreads*"
filter+=":ProfilerExportTest.ChromeTrace*${1:+:$1}"
# halt_on_error: the first race fails the run; second_deadlock_stack for readable lock reports.
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
echo "== ThreadSanitizer: recinfer_tests --gtest_filter=$filter"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
./build-tsan/tests/recinfer_tests --gtest_filter="$filter" >"$log" 2>&1 || status=$?
if grep -q "WARNING: ThreadSanitizer" "$log"; then
  grep -A40 "WARNING: ThreadSanitizer" "$log" | head -80
  status=1
fi
# Assertion failures with their messages (the summary below only names the tests).
grep -A12 ": Failure$" "$log" | head -80 || true
# The gtest summary: counts and the failed tests, if any.
sed -n '/^\[==========\] .* ran\./,$p' "$log"
exit "$status"
