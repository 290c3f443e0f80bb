#!/usr/bin/env bash
# Runs every committed zoo model through `recinfer run` on each stored data set and compares the
# outputs with the stored PyTorch references (checked against ONNX Runtime when the zoo was built)
# using `recinfer compare` (floats within 1e-4 + 1e-3*|ref|, integers exact, TopK ties allowed).
set -u
recinfer=$1
zoo=$2
shift 2
extra=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
for model in "$zoo"/*/model.onnx; do
  dir=$(dirname "$model")
  for set in "$dir"/test_data_set_*; do
    name="$(basename "$dir")/$(basename "$set")"
    out="$tmp/$(basename "$dir")_$(basename "$set")"
    if "$recinfer" run "$model" --inputs "$set" --outputs "$out" "${extra[@]}" >"$tmp/log" 2>&1 &&
       "$recinfer" compare "$out" "$set" >>"$tmp/log" 2>&1; then
      echo "PASS $name: $(tail -1 "$tmp/log")"
      passed=$((passed + 1))
    else
      echo "FAIL $name:"; sed 's/^/    /' "$tmp/log"
      failed=$((failed + 1))
    fi
  done
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
