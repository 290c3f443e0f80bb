#!/usr/bin/env bash
# The idiom suite (models/idioms, built by models/build_idioms.py): every model through
# `recinfer run` on each stored data set + `recinfer compare` with the stored PyTorch references
# (as zoo_e2e.sh), and for models whose manifest entry is `fusible` (a bag or a masked pool) a
# static-plan check: after `recinfer optimize`, no Loop/NonZero/Unique (the pass report's
# "dynamic-shape ops ... A -> B") and no If/Compress (the optimised file's `recinfer inspect`
# op histogram) may remain.
#
#   idioms_e2e.sh RECINFER IDIOMS_DIR [extra `recinfer run` args]
#
# Expectations: IDIOMS_DIR/expectations.json
#   {"run":    {"<dir>": "pass" | {"xfail": "<reason>"}, ...},
#    "static": {"<dir>": "pass" | {"xfail": "<reason>"}, ...}}   (fusible dirs only)
# Strict both ways: an unexpected failure FAILS, and so does an xfail that now passes
# ("now passes: remove the xfail for X") — expectations only ever tighten. A dir without an
# expectation FAILS too. One PASS/XFAIL/FAIL line per model, then "N passed, N failed".
#
# IDIOMS_RECORD=FILE: measure only, never fail; write what happened as an expectations file
# (xfail reasons from recinfer's error lines) to FILE — to fill expectations.json honestly,
# then review and commit it.
# Needs python3 (standard library only) to read the JSON files.
set -u
recinfer=$1
idioms=$2
shift 2
extra=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
record=${IDIOMS_RECORD:-}
py=$(command -v python3 || command -v /usr/bin/python3 || true)
if [[ -z $py ]]; then echo "FAIL: python3 is needed to read $idioms/manifest.json and expectations.json"; exit 1; fi
to=()
command -v timeout >/dev/null && to=(timeout 300)

# dir <TAB> fusible(0/1) <TAB> run expectation <TAB> static expectation; expectation = pass |
# xfail:<reason> | missing
"$py" - "$idioms" >"$tmp/plan" <<'PY' || { echo "FAIL: cannot read $idioms/manifest.json / expectations.json"; exit 1; }
import json, os, sys
root = sys.argv[1]
manifest = {e['dir']: e for e in json.load(open(os.path.join(root, 'manifest.json')))}
path = os.path.join(root, 'expectations.json')
exp = json.load(open(path)) if os.path.exists(path) else {}
def word(v):
    if v is None: return 'missing'
    if v == 'pass': return 'pass'
    if isinstance(v, dict) and 'xfail' in v: return 'xfail:' + ' '.join(str(v['xfail']).split())
    return 'bad:' + json.dumps(v)
for d in sorted(os.listdir(root)):
    if not os.path.isfile(os.path.join(root, d, 'model.onnx')): continue
    fusible = d in manifest and manifest[d].get('fusible')
    print('\t'.join([d, '1' if fusible else '0', word(exp.get('run', {}).get(d)),
                     word(exp.get('static', {}).get(d)) if fusible else '-']))
for kind in ('run', 'static'):   # expectations for directories that no longer exist
    for d in exp.get(kind, {}):
        if not os.path.isfile(os.path.join(root, d, 'model.onnx')):
            print(f'{d}\tstale\t{kind}\t-')
        elif kind == 'static' and not (d in manifest and manifest[d].get('fusible')):
            print(f'{d}\tstale\tstatic (the model is not fusible)\t-')
PY

reason_of() {  # a one-line reason from a recinfer log: the unsupported ops, else its first error
  local r          # line, else its last line
  r=$(grep -oE 'unsupported op [A-Za-z0-9_]+' "$1" | awk '{print $3}' | awk '!seen[$0]++' | paste -sd, - | sed 's/,/, /g')
  if [[ -n $r ]]; then echo "unsupported op$([[ $r == *,* ]] && echo s) $r"; return; fi
  r=$(grep -m1 -iE 'error|unsupported|not supported|mismatch|differ' "$1" | sed 's/^ *//')
  [[ -n $r ]] || r=$(grep -v '^ *$' "$1" | tail -1)
  echo "${r:0:200}"
}

judge() {  # kind ok note expectation; sets verdict, appends to msgs (uses $dir)
  local kind=$1 ok=$2 note=$3 exp=$4
  case "$exp" in
    pass)
      if [[ $ok == 1 ]]; then msgs+=("$kind ok${note:+ ($note)}")
      else verdict=FAIL; msgs+=("$kind FAILED: $note"); fi ;;
    xfail:*)
      if [[ $ok == 1 ]]; then verdict=FAIL; msgs+=("$kind now passes: remove the xfail for $dir (\"${exp#xfail:}\")")
      else
        [[ $verdict == PASS ]] && verdict=XFAIL
        if [[ $note == *"${exp#xfail:}"* ]]; then msgs+=("$kind xfail: $note")
        else msgs+=("$kind xfail (\"${exp#xfail:}\"; today: $note)"); fi
      fi ;;
    missing)
      verdict=FAIL; msgs+=("no '$kind' expectation for $dir in expectations.json (it $([[ $ok == 1 ]] && echo passes || echo "fails: $note"))") ;;
    *)
      verdict=FAIL; msgs+=("unreadable '$kind' expectation for $dir: ${exp#bad:}") ;;
  esac
}

passed=0 failed=0 xfailed=0
: >"$tmp/record"
while IFS=$'\t' read -r dir fusible run_exp static_exp; do
  if [[ $fusible == stale ]]; then
    if [[ $run_exp == *fusible* ]]; then echo "FAIL $dir: expectations.json has a $run_exp entry"
    else echo "FAIL $dir: expectations.json has a '$run_exp' entry but $idioms/$dir does not exist"; fi
    failed=$((failed + 1)); continue
  fi
  model="$idioms/$dir/model.onnx"
  # -- run + compare on every data set
  run_ok=1 run_note="" sets=0
  for set in "$idioms/$dir"/test_data_set_*; do
    out="$tmp/${dir}_$(basename "$set")"
    if "${to[@]}" "$recinfer" run "$model" --inputs "$set" --outputs "$out" "${extra[@]}" >"$tmp/log" 2>&1 &&
       "${to[@]}" "$recinfer" compare "$out" "$set" >>"$tmp/log" 2>&1; then
      sets=$((sets + 1))
    else
      run_ok=0 run_note="$(basename "$set"): $(reason_of "$tmp/log")"
      cp "$tmp/log" "$tmp/run_log"
      break
    fi
  done
  # -- static-plan check for fusible models
  static_ok=- static_note=""
  if [[ $fusible == 1 ]]; then
    rm -f "$tmp/opt.onnx"
    "${to[@]}" "$recinfer" optimize "$model" -o "$tmp/opt.onnx" --quiet >"$tmp/optlog" 2>&1
    report=$(grep -oE 'dynamic-shape ops \([A-Za-z/]+\) [0-9]+ -> [0-9]+' "$tmp/optlog" | tail -1)
    if [[ -z $report ]]; then
      static_ok=0 static_note="optimize gave no pass report: $(reason_of "$tmp/optlog")"
    else
      after=${report##*-> }
      left=""
      if [[ -f $tmp/opt.onnx ]]; then
        left=$("$recinfer" inspect "$tmp/opt.onnx" 2>/dev/null |
          grep -E '^ +[0-9]+  (Loop|NonZero|Unique|If|Compress)( \(in subgraph\))?$' |
          awk '{c=$1; $1=""; sub(/^ /, ""); printf "%s%s x%s", sep, $0, c; sep=", "}')
      fi
      if [[ $after == 0 && -z $left ]]; then
        static_ok=1 static_note="${report#dynamic-shape ops }"
      else
        static_ok=0 static_note="still dynamic after the passes: ${left:-$after Loop/NonZero/Unique}"
      fi
    fi
  fi
  if [[ -n $record ]]; then
    printf '%s\t%s\t%s\t%s\t%s\n' "$dir" "$run_ok" "$run_note" "$static_ok" "$static_note" >>"$tmp/record"
  fi
  # -- verdicts
  verdict=PASS msgs=()
  judge run "$run_ok" "$([[ $run_ok == 1 ]] && echo "$sets sets" || echo "$run_note")" "$run_exp"
  [[ $fusible == 1 ]] && judge static "$static_ok" "$static_note" "$static_exp"
  [[ -n $record ]] && verdict=${verdict/FAIL/RECORD}
  line="$verdict $dir: $(IFS=';'; echo "${msgs[*]}" | sed 's/;/; /g')"
  echo "$line"
  if [[ $verdict == FAIL && $run_ok == 0 && $run_exp == pass ]]; then sed 's/^/    /' "$tmp/run_log"; fi
  case $verdict in PASS) passed=$((passed + 1)) ;; XFAIL) xfailed=$((xfailed + 1)) ;; FAIL) failed=$((failed + 1)) ;; esac
done <"$tmp/plan"

if [[ -n $record ]]; then
  "$py" - "$tmp/record" "$record" <<'PY'
import json, sys
run, static = {}, {}
for line in open(sys.argv[1]):
    d, run_ok, run_note, static_ok, static_note = line.rstrip('\n').split('\t')
    run[d] = 'pass' if run_ok == '1' else {'xfail': run_note}
    if static_ok != '-':
        static[d] = 'pass' if static_ok == '1' else {'xfail': static_note}
with open(sys.argv[2], 'w') as f:
    json.dump({'run': run, 'static': static}, f, indent=1, ensure_ascii=False)
    f.write('\n')
print(f'recorded {len(run)} run and {len(static)} static expectations in {sys.argv[2]}')
PY
  exit 0
fi
echo "$passed passed, $failed failed ($xfailed expected failures, listed as XFAIL)"
[[ $failed -eq 0 && $((passed + xfailed)) -gt 0 ]]
