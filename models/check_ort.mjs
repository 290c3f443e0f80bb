#!/usr/bin/env node
// Runs every zoo model in ONNX Runtime (onnxruntime-node 1.30, default session options) on its
// stored inputs and compares with the stored PyTorch outputs.
//
//   node models/check_ort.mjs                     # every models/zoo/*_opset*/
//   node models/check_ort.mjs --generated         # also models/generated/*/ (dlrm_bench)
//   node models/check_ort.mjs --idioms            # the idiom suite, models/idioms/*_opset*/
//   node models/check_ort.mjs DIR...              # just these model directories
//   options: --runs N (timed runs per model, default 5), --python PATH (default /usr/bin/python3)
//
// Tolerance: floats |ort - ref| <= 1e-4 + 1e-3·|ref|; ints and bools exact; TopK indices may
// differ where the reference values tie (within the float tolerance). Exits 1 on any mismatch.
// One-time setup: cd models/ort && npm install --ignore-scripts   (onnxruntime-node@1.30.0)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
let ort;
try {
  ort = createRequire(path.join(HERE, 'ort', 'package.json'))('onnxruntime-node');
} catch (err) {
  console.error(`cannot load onnxruntime-node (${err.message.split('\n')[0]});\n` +
    `install it once with: cd ${path.join(HERE, 'ort')} && npm install --ignore-scripts`);
  process.exit(2);
}
// Quiet ORT's per-Loop "implicit input name" warnings; logging is not a performance option.
ort.env.logLevel = 'error';
const ATOL = 1e-4;
const RTOL = 1e-3;

const TYPED = {
  float32: Float32Array, float64: Float64Array, int64: BigInt64Array, int32: Int32Array,
  int16: Int16Array, int8: Int8Array, uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array,
  uint64: BigUint64Array, bool: Uint8Array,
};
const FLOATS = new Set(['float32', 'float64']);

function parseArgs(argv) {
  const opts = { dirs: [], generated: false, idioms: false, runs: 5, python: '/usr/bin/python3' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--generated') opts.generated = true;
    else if (a === '--idioms') opts.idioms = true;
    else if (a === '--runs') opts.runs = Math.max(1, parseInt(argv[++i], 10));
    else if (a === '--python') opts.python = argv[++i];
    else if (a === '-h' || a === '--help') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport')[0]);
      process.exit(0);
    } else opts.dirs.push(path.resolve(a));
  }
  return opts;
}

function modelDirs(root) {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).sort()
    .map((d) => path.join(root, d))
    .filter((d) => fs.existsSync(path.join(d, 'model.onnx')));
}

function readTensor(dir, item) {
  const buf = fs.readFileSync(path.join(dir, item.file));
  const Ctor = TYPED[item.dtype];
  if (!Ctor) throw new Error(`${item.name}: dtype ${item.dtype} not handled by the checker`);
  const copy = new ArrayBuffer(buf.length); // typed arrays need aligned storage
  new Uint8Array(copy).set(buf);
  return new Ctor(copy);
}

const num = (v) => (typeof v === 'bigint' ? Number(v) : v);

// Float comparison; returns {ok, maxAbs, worst (err/tol), firstBad}.
function compareFloats(got, ref) {
  let maxAbs = 0;
  let worst = 0;
  let firstBad = -1;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i];
    const g = got[i];
    if (Number.isNaN(r) || Number.isNaN(g)) {
      if (!(Number.isNaN(r) && Number.isNaN(g)) && firstBad < 0) firstBad = i;
      continue;
    }
    if (!Number.isFinite(r) || !Number.isFinite(g)) {
      if (r !== g && firstBad < 0) firstBad = i;
      continue;
    }
    const err = Math.abs(g - r);
    const ratio = err / (ATOL + RTOL * Math.abs(r));
    maxAbs = Math.max(maxAbs, err);
    worst = Math.max(worst, ratio);
    if (ratio > 1 && firstBad < 0) firstBad = i;
  }
  return { ok: firstBad < 0, maxAbs, worst, firstBad };
}

function compareExact(got, ref) {
  for (let i = 0; i < ref.length; i++) if (got[i] !== ref[i]) return { ok: false, firstBad: i };
  return { ok: true, firstBad: -1 };
}

// TopK indices along the last axis: within a run of tied reference values (consecutive values
// within tolerance) the set of indices must match; a tied run that reaches the k boundary may
// hold any indices (the tie may extend past k), as long as each row's indices are distinct.
function compareTopkIndices(got, ref, refValues, dims, axis) {
  const rank = dims.length;
  if (rank === 0 || ((axis % rank) + rank) % rank !== rank - 1) return { ...compareExact(got, ref), ties: 0 };
  const k = dims[rank - 1];
  const rows = k === 0 ? 0 : ref.length / k;
  const close = (a, b) => Math.abs(a - b) <= ATOL + RTOL * Math.abs(b);
  let ties = 0;
  for (let row = 0; row < rows; row++) {
    const base = row * k;
    const seen = new Set();
    for (let j = 0; j < k; j++) {
      const g = got[base + j];
      if (seen.has(g)) return { ok: false, firstBad: base + j, ties };
      seen.add(g);
    }
    let start = 0;
    while (start < k) {
      let end = start + 1;
      while (end < k && close(num(refValues[base + end]), num(refValues[base + end - 1]))) end++;
      const refSet = new Set();
      const gotSet = new Set();
      let differs = false;
      for (let j = start; j < end; j++) {
        refSet.add(ref[base + j]);
        gotSet.add(got[base + j]);
        if (ref[base + j] !== got[base + j]) differs = true;
      }
      if (differs) {
        if (end - start === 1) return { ok: false, firstBad: base + start, ties };
        if (end < k) {
          for (const v of refSet) if (!gotSet.has(v)) return { ok: false, firstBad: base + start, ties };
        }
        ties++;
      }
      start = end;
    }
  }
  return { ok: true, firstBad: -1, ties };
}

function fmt(x) {
  return x === 0 ? '0' : x.toExponential(1);
}

async function checkModel(rawDir, runs) {
  const manifest = JSON.parse(fs.readFileSync(path.join(rawDir, 'manifest.json'), 'utf8'));
  const session = await ort.InferenceSession.create(manifest.model);
  const problems = [];
  let maxAbs = 0;
  let worst = 0;
  let ties = 0;
  let timeMs = NaN;
  for (const set of manifest.sets) {
    const expectedOut = set.outputs.map((o) => o.name);
    if (JSON.stringify(session.outputNames) !== JSON.stringify(expectedOut)) {
      problems.push(`outputs ${session.outputNames} != stored ${expectedOut}`);
    }
    const feeds = {};
    for (const item of set.inputs) {
      feeds[item.name] = new ort.Tensor(item.dtype, readTensor(rawDir, item), item.dims);
    }
    const results = await session.run(feeds);
    if (set === manifest.sets[0]) { // time the canonical set only
      const times = [];
      for (let r = 0; r < runs; r++) {
        const t0 = process.hrtime.bigint();
        await session.run(feeds);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      times.sort((a, b) => a - b);
      timeMs = times[Math.floor(times.length / 2)];
    }

    const refs = set.outputs.map((item) => readTensor(rawDir, item));
    set.outputs.forEach((item, idx) => {
      const out = results[item.name];
      const where = `${set.name}/${item.name}`;
      if (!out) {
        problems.push(`${where}: missing from ORT results`);
        return;
      }
      if (JSON.stringify(out.dims.map(Number)) !== JSON.stringify(item.dims)) {
        problems.push(`${where}: shape [${out.dims}] != reference [${item.dims}]`);
        return;
      }
      const outType = out.type === 'bool' ? 'bool' : out.type;
      if (outType !== item.dtype) {
        problems.push(`${where}: dtype ${out.type} != reference ${item.dtype}`);
        return;
      }
      const ref = refs[idx];
      let res;
      if (FLOATS.has(item.dtype)) {
        res = compareFloats(out.data, ref);
        maxAbs = Math.max(maxAbs, res.maxAbs);
        worst = Math.max(worst, res.worst);
      } else if (item.topk && item.topk.values_output >= 0) {
        res = compareTopkIndices(out.data, ref, refs[item.topk.values_output], item.dims, item.topk.axis);
        ties += res.ties;
      } else {
        res = compareExact(out.data, ref);
      }
      if (!res.ok) {
        const i = res.firstBad;
        problems.push(`${where}: element ${i}: ort ${out.data[i]} vs reference ${ref[i]}`);
      }
    });
  }
  return {
    name: manifest.name, ok: problems.length === 0, problems, maxAbs, worst, ties, timeMs,
    sets: manifest.sets.length,
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let dirs = opts.dirs;
  if (opts.idioms) dirs = dirs.concat(modelDirs(path.join(HERE, 'idioms')));
  if (dirs.length === 0) {
    dirs = modelDirs(path.join(HERE, 'zoo'));
    if (opts.generated) dirs = dirs.concat(modelDirs(path.join(HERE, 'generated')));
  }
  if (dirs.length === 0) {
    console.error('no model directories found (build them with models/build_zoo.py)');
    process.exit(2);
  }
  const missing = dirs.filter((d) => !fs.existsSync(path.join(d, 'model.onnx')));
  if (missing.length) {
    console.error(`no model.onnx in: ${missing.join(', ')}`);
    process.exit(2);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recinfer-zoo-'));
  try {
    const conv = spawnSync(opts.python, [path.join(HERE, 'zoo_tensors.py'), 'to-raw', tmp, ...dirs],
      { stdio: 'inherit' });
    if (conv.status !== 0) {
      console.error(`zoo_tensors.py failed (status ${conv.status})`);
      process.exit(2);
    }
    console.log(`onnxruntime-node ${ort.env.versions.node}, default session options, ` +
      `tolerance ${ATOL} + ${RTOL}·|ref|, time = median of ${opts.runs} runs on test_data_set_0`);
    let failed = 0;
    for (const dir of dirs) {
      const name = path.basename(dir);
      let r;
      try {
        r = await checkModel(path.join(tmp, name), opts.runs);
      } catch (err) {
        r = { name, ok: false, problems: [`ORT error: ${err.message.split('\n')[0]}`] };
      }
      if (!r.ok) failed++;
      const stats = r.problems.length && r.maxAbs === undefined ? ''
        : `sets ${r.sets}  max|err| ${fmt(r.maxAbs)}  err/tol ${r.worst.toFixed(3)}  ` +
          `topk-ties ${r.ties}  ort ${r.timeMs.toFixed(2)} ms (set 0)`;
      console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(32)} ${stats}`);
      for (const p of r.problems) console.log(`      ${p}`);
    }
    console.log(`summary: ${dirs.length - failed}/${dirs.length} models match PyTorch in ONNX Runtime` +
      (failed ? `, ${failed} FAILED` : ''));
    process.exitCode = failed ? 1 : 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
