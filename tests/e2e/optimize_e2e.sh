#!/usr/bin/env bash
# `recinfer optimize` on every committed zoo model: the written file (fused ai.recinfer ops,
# external data) must load back as it is (--no-optimize) and still match the stored references
# on every data set.
set -u
recinfer=$1
zoo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
for model in "$zoo"/*/model.onnx; do
  dir=$(dirname "$model")
  name=$(basename "$dir")
  if ! "$recinfer" optimize "$model" -o "$tmp/$name.onnx" --quiet >"$tmp/log" 2>&1; then
    echo "FAIL $name: optimize"; sed 's/^/    /' "$tmp/log"; failed=$((failed + 1)); continue
  fi
  for set in "$dir"/test_data_set_*; do
    out="$tmp/${name}_$(basename "$set")"
    if "$recinfer" run "$tmp/$name.onnx" --no-optimize --inputs "$set" --outputs "$out" >"$tmp/log" 2>&1 &&
       "$recinfer" compare "$out" "$set" >>"$tmp/log" 2>&1; then
      echo "PASS $name/$(basename "$set") (optimised file): $(tail -1 "$tmp/log")"
      passed=$((passed + 1))
    else
      echo "FAIL $name/$(basename "$set") (optimised file):"; sed 's/^/    /' "$tmp/log"
      failed=$((failed + 1))
    fi
  done
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
