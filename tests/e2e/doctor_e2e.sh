#!/usr/bin/env bash
# `recinfer doctor` names the exporter structures the issue asks for, with evidence, and verifies
# its fix in the same run (exit 0 only when the optimised outputs equal the originals):
#   coarse_rank: the NonZero and the int64 Equal broadcast counted by ReduceSum;
#   dlrm_small:  the Loop-based EmbeddingBags; with --instances 2 --batched-input off, the
#                per-tensor staging (53 inputs), verified against batched staging;
# and every run ends with the optimised model's roofline verdict.
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
check dlrm_small "$out" "roofline: .* measured p50 .* of the limit"
check dlrm_small "$out" "no action: near the roofline|remaining gap: .*GEMM-class"
out=$("$recinfer" doctor "$zoo/dlrm_small_opset14/model.onnx" --iterations 20 --instances 2 --batched-input off 2>&1) || { echo "$out"; failed=$((failed + 1)); }
check staging "$out" "per-tensor input staging .* est. gain up to"
check staging "$out" "evidence: 53 staging copies per inference for 53 input tensors"
check staging "$out" "fix: --batched-input on"
check staging "$out" "copies/inference 53 -> 1, .* staging p50 .* µs/inference"
echo "$((13 - failed)) passed, $failed failed"
[[ $failed -eq 0 ]]
