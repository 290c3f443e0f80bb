#!/usr/bin/env bash
# Fuzzing job: builds the libFuzzer harnesses of fuzz/ (clang-14, ASan + UBSan, -DRECINFER_FUZZ=ON)
# into build-fuzz/ and runs each for SECONDS (default 60) on its seed corpus (built from the zoo
# and the ONNX node tests by fuzz/make_seeds.py) plus the saved crashers in fuzz/regressions/.
#   scripts/fuzz.sh [SECONDS] [TARGET...]      targets: fuzz_model_load fuzz_tensor_proto
#                                              fuzz_external_data fuzz_v2_request (default: all)
# Prints per target the executions, coverage (libFuzzer's cov/ft) and corpus size; exits non-zero
# on any crash, sanitizer report, leak, timeout or OOM, printing the reproducer's path.
# FUZZ_REPLAY_ONLY="TARGET..." replays those targets' seeds and saved crashers without exploring.
# New inputs accumulate in build-fuzz/corpus/<target>/ across runs.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(fuzz_model_load fuzz_tensor_proto fuzz_external_data fuzz_v2_request)

bash scripts/setup.sh --with-fuzz
# Configured as scripts/asan.sh's build-asan/ (see there), so the library comes from ccache when
# both jobs run.
export CCACHE_NOHASHDIR=1 CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
compiler=$(command -v clang++-14)
generator=()
command -v ninja >/dev/null && [[ ! -f build-fuzz/Makefile ]] && generator=(-G Ninja)
# -O1: the usual fuzzing trade-off (fast enough, still readable stacks). No tests, no CLI.
cmake -S . -B build-fuzz "${generator[@]}" -DCMAKE_CXX_COMPILER="$compiler" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g -DNDEBUG" \
  -DRECINFER_ASAN=ON -DRECINFER_FUZZ=ON -DRECINFER_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}"

seeds=build-fuzz/seeds
if [[ ! -f $seeds/.done || fuzz/make_seeds.py -nt $seeds/.done ]]; then
  rm -rf "$seeds"
  recinfer=()  # optimised-model seeds (ai.recinfer ops) need the CLI; test.sh builds it first
  [[ -x build/recinfer ]] && recinfer=(--recinfer build/recinfer)
  /usr/bin/python3 fuzz/make_seeds.py "$seeds" "${recinfer[@]}"
  touch "$seeds/.done"
fi

status=0
for t in "${targets[@]}"; do
  max_len=262144
  [[ $t == fuzz_tensor_proto ]] && max_len=65536
  dict=fuzz/onnx.dict
  [[ $t == fuzz_v2_request ]] && dict=fuzz/v2_request.dict
  mkdir -p "build-fuzz/corpus/$t" "build-fuzz/artifacts/$t" "fuzz/regressions/$t"
  log="build-fuzz/$t.log"
  echo "== $t: ${seconds}s (log: $log)"
  # -len_control=0: seeds are whole models; growing the length limit slowly would truncate them.
  # -timeout: one input; a slow model on a loaded 2-core machine must not be a false alarm.
  # Memory: the harnesses make big allocations fail cleanly (fuzz/fuzz_util.h); rss_limit_mb
  # catches the rest.
  rc=0
  # FUZZ_REPLAY_ONLY="t1 t2": those targets only run every seed and saved crasher once
  # (-runs=0), a regression check that still fails on any finding, without exploring.
  budget=(-max_total_time="$seconds")
  [[ " ${FUZZ_REPLAY_ONLY:-} " == *" $t "* ]] && budget=(-runs=0) && echo "   (replay only)"
  "./build-fuzz/$t" "${budget[@]}" -timeout=60 -rss_limit_mb=3072 \
    -max_len="$max_len" -len_control=0 -dict="$dict" -print_final_stats=1 \
    -artifact_prefix="build-fuzz/artifacts/$t/" \
    "build-fuzz/corpus/$t" "$seeds/$t" "fuzz/regressions/$t" >"$log" 2>&1 || rc=$?
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
  echo "$t: ${execs:-?} execs (${rate:-?}/s), cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}"
  if ((rc != 0)); then
    status=1
    echo "FAIL: $t exited with $rc"
    grep -E 'ERROR: |runtime error:|SUMMARY: |ALARM: |Live Heap|out-of-memory' "$log" | head -5 || true
    grep -A30 -E '^==[0-9]+==ERROR|runtime error:' "$log" | grep -E '^ +#[0-9]+ ' | head -12 || true
    for unit in $(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log"); do
      echo "reproducer: $unit"
      echo "  rerun:    ./build-fuzz/$t $unit"
      echo "  keep it:  cp $unit fuzz/regressions/$t/"
    done
  fi
done
exit "$status"
