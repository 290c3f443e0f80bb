#!/usr/bin/env bash
# `recinfer bench` sweeps: every configuration x batch gets one result, --rounds splits the
# iterations into alternating rounds whose requests all count (iterations = the total asked for),
# batched staging makes 1 copy per inference and per-tensor staging one per input (53 for
# dlrm_small), open loop reports the arrival lag, and bad arguments get clear errors.
set -u
recinfer=$1
zoo=$2
model=$zoo/dlrm_small_opset14/model.onnx
failed=0
check() {  # check NAME OUTPUT PATTERN
  if grep -qE -- "$3" <<<"$2"; then echo "PASS $1: /$3/"; else echo "FAIL $1: no /$3/"; failed=$((failed + 1)); fi
}
count() {  # count PATTERN TEXT
  grep -oE -- "$1" <<<"$2" | wc -l
}
out=$("$recinfer" bench "$model" --iterations 90 --batch 8,16 --instances 1,2 --batched-input on,off \
      --rounds 3 --no-pin --json 2>&1) || { echo "$out"; failed=$((failed + 1)); }
n=$(count '"instances":' "$out")
[[ $n -eq 8 ]] && echo "PASS rounds: 8 results" || { echo "FAIL rounds: $n results, want 8"; failed=$((failed + 1)); }
n=$(count '"iterations":90,' "$out")
[[ $n -eq 8 ]] && echo "PASS rounds: all 90 requests of each result counted" ||
  { echo "FAIL rounds: $n results with 90 iterations"; failed=$((failed + 1)); }
check staging "$out" '"batched_input":"on"'
n=$(count '"copies_per_inference":1\.0,' "$out")
[[ $n -eq 4 ]] && echo "PASS staging: 1 copy per inference batched" ||
  { echo "FAIL staging: $n batched results with 1 copy"; failed=$((failed + 1)); }
n=$(count '"copies_per_inference":53\.0,' "$out")
[[ $n -eq 4 ]] && echo "PASS staging: 53 copies per inference per tensor" ||
  { echo "FAIL staging: $n per-tensor results with 53 copies"; failed=$((failed + 1)); }
out=$("$recinfer" bench "$model" --iterations 40 --instances 1 --rate 2000 --rounds 2 --no-pin 2>&1) ||
  { echo "$out"; failed=$((failed + 1)); }
check open_loop "$out" "callers reached run\(\) late after arrival by p50 [0-9.]+ / p99 [0-9.]+ ms"
check open_loop "$out" "in 2 alternating rounds of 20"
out=$("$recinfer" bench "$model" --instances 1 --rounds 0 2>&1)
check errors "$out" "--rounds: must be at least 1, got 0"
out=$("$recinfer" bench "$model" --instances 1 --rounds 2 --slo-p99-ms 1 2>&1)
check errors "$out" "--rounds with --slo-p99-ms"
out=$("$recinfer" bench "$model" --batched-input maybe 2>&1)
check errors "$out" "--batched-input expects on, off or on,off"
# Fresh ids per request (--ids): drawn over each table's rows, bags of the asked length.
out=$("$recinfer" bench "$model" --iterations 60 --batch 16 --ids zipf:1.05,3 --bag-length fixed:4 \
      --no-pin 2>&1) || { echo "$out"; failed=$((failed + 1)); }
check fresh_ids "$out" "batch 16: 66 fresh requests \(zipf s=1.05 seed 3 over [0-9]+ id inputs"
out=$("$recinfer" bench "$model" --ids zipf:-1 2>&1)
check errors "$out" "--ids zipf:S\[,SEED\] needs a skew S >= 0, got 'zipf:-1'"
out=$("$recinfer" bench "$model" --ids zipf:1 --bag-length uniform:5,2 2>&1)
check errors "$out" "--bag-length 'uniform:5,2': expected fixed:N"
out=$("$recinfer" bench "$model" --bag-length fixed:3 2>&1)
check errors "$out" "--bag-length needs --ids"
echo "$failed failed"
exit $((failed > 0))
