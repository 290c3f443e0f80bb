#!/usr/bin/env bash
# Issue 12: every bad input ends in a clear error — a nonzero exit that is not a signal (< 128),
# within 20 s (no hang), with stderr naming the argument / node / value. Malformed models come
# from recinfer_bad_models (the onnx protobuf API, no python); CLI arguments are checked on a zoo
# model. Usage: bad_input_e2e.sh RECINFER BAD_MODELS_TOOL ZOO_DIR
set -u
recinfer=$1
make_models=$2
zoo=$3
dlrm=$zoo/dlrm_small_opset14/model.onnx
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$make_models" "$tmp/models" || { echo "FAIL: cannot write the bad models"; exit 1; }
m=$tmp/models
failed=0

# expect_error NAME PATTERN CMD...: nonzero exit below 128, no timeout, stderr matches PATTERN.
expect_error() {
  local name=$1 pattern=$2
  shift 2
  local err status
  err=$(timeout 20 "$@" 2>&1 >/dev/null)
  status=$?
  if [[ $status -eq 124 ]]; then
    echo "FAIL $name: timed out (hang)"
  elif [[ $status -eq 0 ]]; then
    echo "FAIL $name: exit 0"
  elif [[ $status -ge 128 ]]; then
    echo "FAIL $name: killed by signal $((status - 128))"
  elif ! grep -qE -- "$pattern" <<<"$err"; then
    echo "FAIL $name: exit $status, stderr has no /$pattern/:"
    echo "$err" | head -5
  else
    echo "PASS $name (exit $status)"
    return
  fi
  failed=$((failed + 1))
}

# expect_ok NAME CMD...: the valid neighbour of a bad case still runs.
expect_ok() {
  local name=$1
  shift
  local err
  if err=$(timeout 20 "$@" 2>&1 >/dev/null); then
    echo "PASS $name (exit 0)"
  else
    echo "FAIL $name: exit $?: $(head -3 <<<"$err")"
    failed=$((failed + 1))
  fi
}

# --- crashes ---
expect_error iterations_0 "--iterations: must be at least 1, got 0" "$recinfer" bench "$dlrm" --iterations 0
expect_error iterations_minus_1 "--iterations: must be at least 1, got -1" "$recinfer" bench "$dlrm" --iterations -1
expect_error batch_huge "--batch 99999999999: 99999999999 is more than 1048576 \(the limit; raise with --max-batch\)" \
  "$recinfer" bench "$dlrm" --batch 99999999999 --no-pin
expect_error batch_huge_raised_limit "error" \
  "$recinfer" bench "$dlrm" --batch 99999999999 --max-batch 99999999999 --no-pin --iterations 1

# --- hangs ---
mkfifo "$tmp/fifo.onnx"
expect_error fifo_model "fifo.onnx' is a FIFO" "$recinfer" run "$tmp/fifo.onnx" --random
cp -r "$m/external" "$tmp/external_fifo"
rm "$tmp/external_fifo/weights.bin"
mkfifo "$tmp/external_fifo/weights.bin"
expect_error fifo_external_data "weights.bin' is a FIFO" "$recinfer" run "$tmp/external_fifo/model.onnx" --random
mkdir "$tmp/fifo_inputs"
mkfifo "$tmp/fifo_inputs/input_0.pb"
expect_error fifo_input "input_0.pb' is a FIFO" \
  "$recinfer" run "$m/reduce_axes_ok/model.onnx" --inputs "$tmp/fifo_inputs"
expect_error threads_100000 "--threads 100000: more than the thread limit [0-9]+ \(4 x [0-9]+ usable CPUs; raise with --max-threads\)" \
  "$recinfer" bench "$dlrm" --threads 100000 --iterations 1
expect_error threads_over_raised_limit "--threads 9: more than the thread limit 8 \(set by --max-threads\)" \
  "$recinfer" run "$dlrm" --threads 9 --max-threads 8
expect_error concurrency_100000 "--concurrency 100000: more caller threads than the thread limit" \
  "$recinfer" bench "$dlrm" --concurrency 100000 --iterations 1 --no-pin
expect_error instances_100000 "100000 instances x 1 cores per instance = 100000 threads" \
  "$recinfer" bench "$dlrm" --instances 100000 --iterations 1 --no-pin

# --- silent wrong results ---
expect_error attribute_type_mismatch \
  "node 'reduce_rows' \(ReduceSum\): attribute 'axes': declared type GRAPH does not match its payload \(INTS\)" \
  "$recinfer" run "$m/reduce_axes_typed_graph/model.onnx" --random
expect_error attribute_type_undefined \
  "node 'reduce_rows' \(ReduceSum\): attribute 'axes': type is UNDEFINED but it holds a payload \(INTS\)" \
  "$recinfer" run "$m/reduce_axes_untyped/model.onnx" --random
expect_ok attribute_type_ok "$recinfer" run "$m/reduce_axes_ok/model.onnx" --random
expect_error no_graph_outputs "graph 'test' has no outputs" "$recinfer" run "$m/no_outputs/model.onnx" --random
for ref in "" --reference; do
  expect_ok "embedding_bag_offsets_ok$ref" "$recinfer" run "$m/embedding_bag/model.onnx" --inputs "$m/embedding_bag/ok" $ref
  expect_error "embedding_bag_offsets_unsorted$ref" \
    "node 'bags' \(EmbeddingBag\): offsets of group 0 must be non-decreasing: value 1 at position 2 follows 3" \
    "$recinfer" run "$m/embedding_bag/model.onnx" --inputs "$m/embedding_bag/unsorted" $ref
  expect_error "embedding_bag_offsets_negative$ref" \
    "node 'bags' \(EmbeddingBag\): offsets of group 0: value -1 at position 0 is outside \[0, 5\]" \
    "$recinfer" run "$m/embedding_bag/model.onnx" --inputs "$m/embedding_bag/negative" $ref
  expect_error "embedding_bag_offsets_past_end$ref" \
    "node 'bags' \(EmbeddingBag\): offsets of group 0: value 9 at position 1 is outside \[0, 5\]" \
    "$recinfer" run "$m/embedding_bag/model.onnx" --inputs "$m/embedding_bag/past_end" $ref
done

# --- arguments accepted silently ---
for t in 0 -1; do
  expect_error "bench_threads_$t" "--threads: must be at least 1, got $t" "$recinfer" bench "$dlrm" --threads "$t"
  expect_error "run_threads_$t" "--threads: must be at least 1, got $t" "$recinfer" run "$dlrm" --threads "$t"
  expect_error "profile_threads_$t" "--threads: must be at least 1, got $t" "$recinfer" profile "$dlrm" --threads "$t"
  expect_error "doctor_threads_$t" "--threads: must be at least 1, got $t" "$recinfer" doctor "$dlrm" --threads "$t"
  expect_error "rate_$t" "--rate: must be positive, got $t" "$recinfer" bench "$dlrm" --rate "$t"
  expect_error "slo_$t" "--slo-p99-ms: must be positive, got $t" "$recinfer" tune "$dlrm" --slo-p99-ms "$t"
done
expect_error dim_unknown "--dim nosuch=3: the model has no symbolic dim 'nosuch'" \
  "$recinfer" run "$dlrm" --random --dim nosuch=3
expect_error inspect_dim_unknown "--dim nosuch=3: the model has no symbolic dim 'nosuch'" \
  "$recinfer" inspect "$m/embedding_bag/model.onnx" --dim nosuch=3
expect_error dim_zero "--dim bags=0: value must be 1 to 1048576" \
  "$recinfer" run "$m/embedding_bag/model.onnx" --random --dim bags=0
expect_error concurrency_0 "--concurrency: must be at least 1, got 0" "$recinfer" bench "$dlrm" --concurrency 0
expect_error rounds_0 "--rounds: must be at least 1, got 0" "$recinfer" bench "$dlrm" --rounds 0
expect_error batch_0 "--batch expects positive integers separated by commas, got '0'" "$recinfer" bench "$dlrm" --batch 0
expect_error tune_batch_0 "--batch expects positive integers separated by commas, got '0'" \
  "$recinfer" tune "$dlrm" --slo-p99-ms 5 --batch 0
for cmd in profile doctor tune; do
  extra=()
  [[ $cmd == tune ]] && extra=(--slo-p99-ms 5)
  expect_error "${cmd}_iterations_0" "--iterations: must be at least 1, got 0" \
    "$recinfer" "$cmd" "$dlrm" --iterations 0 "${extra[@]}"
done
expect_error warmup_minus_1 "--warmup: must be at least 0, got -1" "$recinfer" bench "$dlrm" --warmup -1
expect_error roofline_gemm_size_0 "--gemm-size" "$recinfer" roofline --gemm-size 0
expect_error roofline_table_huge "--table-mib 99999999999 / --cached-kib 1024: the table must fit" \
  "$recinfer" roofline --table-mib 99999999999

# --- opsets and Gemm flags ---
expect_error opset_0 "opset_import of the default domain has version 0; ONNX opsets are 1 to 22" \
  "$recinfer" run "$m/opset_0/model.onnx" --random
expect_error opset_minus_1 "opset_import of the default domain has version -1" \
  "$recinfer" run "$m/opset_minus_1/model.onnx" --random
expect_error opset_2_pow_32 "opset_import of the default domain has version 4294967296" \
  "$recinfer" run "$m/opset_2_pow_32/model.onnx" --random
for opt in "" --no-optimize; do
  expect_error "gemm_transb_3$opt" "node 'dense' \(Gemm\): attribute transB must be 0 or 1, got 3" \
    "$recinfer" run "$m/gemm_transb_3/model.onnx" --random $opt
done

# --- hard links out of the model folder ---
cp -r "$m/external" "$tmp/external_link"
mv "$tmp/external_link/weights.bin" "$tmp/outside.bin"
ln "$tmp/outside.bin" "$tmp/external_link/weights.bin"
expect_error hardlink_refused "external data 'weights.bin' has 2 hard links.*--allow-hardlinks" \
  "$recinfer" run "$tmp/external_link/model.onnx" --random
expect_ok hardlink_allowed "$recinfer" run "$tmp/external_link/model.onnx" --random --allow-hardlinks
expect_ok external_plain "$recinfer" run "$m/external/model.onnx" --random

# --- limits ---
expect_error loop_trip_count \
  "node 'counting_loop' \(Loop\): trip count M = 1099511627776 is more than the Loop iteration limit 2147483648" \
  "$recinfer" run "$m/loop_2_pow_40/model.onnx" --random
expect_error loop_trip_count_lowered "trip count M = 100 is more than the Loop iteration limit 10 \(raise with --max-loop-iterations\)" \
  "$recinfer" run "$m/loop_100/model.onnx" --random --max-loop-iterations 10
expect_ok loop_trip_count_ok "$recinfer" run "$m/loop_100/model.onnx" --random
expect_error initializer_limit "tensor 'w' declares shape \(4,4\) of float32 \(64 bytes\), more than the tensor limit 16 bytes" \
  "$recinfer" run "$m/initializer_4x4/model.onnx" --random --max-tensor-bytes 16
expect_error planned_tensor_limit "node 'big_expand' \(Expand\): output 'y' .* more than the tensor limit 64 GiB" \
  "$recinfer" run "$m/expand_4_tib/model.onnx" --random
expect_error planned_tensor_lowered "node 'big_expand' \(Expand\): output 'y' .* is 4 MiB, more than the tensor limit 1 MiB" \
  "$recinfer" run "$m/expand_4_mib/model.onnx" --random --max-tensor-bytes 1MiB
expect_error arena_limit "needs an arena of 4 MiB, more than the arena limit 1 KiB" \
  "$recinfer" run "$m/expand_4_mib/model.onnx" --random --max-arena-bytes 1KiB
expect_ok expand_4_mib_ok "$recinfer" run "$m/expand_4_mib/model.onnx" --random

echo "$failed failed"
exit $((failed > 0))
