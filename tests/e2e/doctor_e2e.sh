#!/usr/bin/env bash
# `recinfer doctor` names the exporter structures the issue asks for, with evidence, and verifies
# its fix in the same run (exit 0 only when the optimised outputs equal the originals):
#   coarse_rank: the NonZero and the int64 Equal broadcast counted by ReduceSum;
#   dlrm_small:  the Loop-based EmbeddingBags.
set -u
recinfer=$1
zoo=$2
failed=0
check() {  # check NAME OUTPUT PATTERN
  if grep -qE "$3" <<<"$2"; then echo "PASS $1: /$3/"; else echo "FAIL $1: no /$3/"; failed=$((failed + 1)); fi
}
out=$("$recinfer" doctor "$zoo/coarse_rank_opset14/model.onnx" --iterations 20 2>&1) || { echo "$out"; failed=$((failed + 1)); }
check coarse_rank "$out" "node '/NonZero' \(NonZero\)"
check coarse_rank "$out" "node '/Equal' \(Equal\).*int64 \(400,1\) x int64 \(1,4000\)"
check coarse_rank "$out" "compare-count-fusion"
check coarse_rank "$out" "outputs equal within tolerance"
out=$("$recinfer" doctor "$zoo/dlrm_small_opset14/model.onnx" --iterations 20 2>&1) || { echo "$out"; failed=$((failed + 1)); }
check dlrm_small "$out" "^ 1\. Loop-based EmbeddingBag .* 26 matches"
check dlrm_small "$out" "removes .*Loop×26"
check dlrm_small "$out" "outputs equal within tolerance"
echo "$((7 - failed)) passed, $failed failed"
[[ $failed -eq 0 ]]
