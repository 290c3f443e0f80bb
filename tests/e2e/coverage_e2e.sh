#!/usr/bin/env bash
# Issue 10: `recinfer inspect` prints an op coverage line (also for a model that does not load,
# then exits non-zero), MODEL may be a folder holding model.onnx, and `recinfer conformance`
# names the kind of every skip. Uses Debian's ONNX node tests.
# Usage: coverage_e2e.sh RECINFER NODE_TEST_DIR
set -u
recinfer=$1
node=$2
failed=0

check() {  # check NAME EXPECTED_STATUS(0|nonzero) PATTERN CMD...
  local name=$1 want=$2 pattern=$3
  shift 3
  local out status
  out=$("$@" 2>&1)
  status=$?
  if [[ $want == 0 && $status -ne 0 ]] || [[ $want != 0 && ( $status -eq 0 || $status -ge 128 ) ]]; then
    echo "FAIL $name: exit $status"; echo "$out" | head -5; failed=$((failed + 1))
  elif ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: no /$pattern/ in:"; echo "$out" | head -8; failed=$((failed + 1))
  else
    echo "PASS $name"
  fi
}

check inspect_supported 0 '^coverage: 1 of 1 op types supported$' "$recinfer" inspect "$node/test_abs"
check inspect_folder_is_model 0 "^model $node/test_abs/model.onnx" "$recinfer" inspect "$node/test_abs"
check inspect_unsupported nonzero "^coverage: [0-9]+ of [0-9]+ op types supported; unsupported: Scan \(1 node, first 'Scan_0'\)" \
  "$recinfer" inspect "$node/test_scan_sum"
check inspect_unsupported_histogram nonzero '^ +1  Scan$' "$recinfer" inspect "$node/test_scan_sum"
check run_folder 0 'output' "$recinfer" run "$node/test_abs"
check skip_training 0 '^SKIP test_adam: \(training-only op' "$recinfer" conformance "$node/test_adam"
check skip_training_mode 0 '^SKIP test_training_dropout: \(training-only op' "$recinfer" conformance "$node/test_training_dropout"
check skip_random 0 '^SKIP test_bernoulli: \(random output\)' "$recinfer" conformance "$node/test_bernoulli"
check skip_string 0 '^SKIP test_strnormalizer_nostopwords_nochangecase: \(string op' \
  "$recinfer" conformance "$node/test_strnormalizer_nostopwords_nochangecase"
check skip_string_cast 0 '^SKIP test_cast_FLOAT_to_STRING: \(string op' "$recinfer" conformance "$node/test_cast_FLOAT_to_STRING"
check skip_sequence 0 '^SKIP test_identity_sequence: \(sequence/optional type' "$recinfer" conformance "$node/test_identity_sequence"
check skip_unsupported 0 '^SKIP test_scan_sum: \(unsupported\)' "$recinfer" conformance "$node/test_scan_sum"
check summary_kinds 0 '^1 passed, 0 failed, 2 skipped \(1 random output, 1 unsupported\)$' \
  "$recinfer" conformance --quiet "$node/test_abs" "$node/test_bernoulli" "$node/test_scan_sum"

[[ $failed -eq 0 ]] || { echo "$failed coverage check(s) failed"; exit 1; }
echo "all coverage checks passed"
