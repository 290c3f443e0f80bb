#!/usr/bin/env node
// ONNX Runtime side of the peer benchmark (bench/peers.py drives it): loads one model directory
// in onnxruntime-node 1.30 with graphOptimizationLevel 'all', intraOpNumThreads T,
// interOpNumThreads 1 and sequential execution, feeds test_data_set_0 and times session.run.
//
//   node bench/ort_runner.mjs MODEL_DIR --threads T --iterations M [--warmup W]   # one round
//   node bench/ort_runner.mjs MODEL_DIR --threads T --serve                       # many rounds
//   options: --raw DIR (output of models/zoo_tensors.py to-raw; converted here when absent),
//            --python PATH (for zoo_tensors.py, default /usr/bin/python3)
//
// Output: JSON lines. First {"ready": true, "engine", "version", "load_ms", "options",
// "dispatch_us"}, where dispatch_us is the median cost of the setImmediate hop that
// onnxruntime-node's async run() adds (included in every latency, as for any node caller).
// One round: {"latencies_ms": [...]} after W warm-up runs. With --serve, each stdin line
// {"warmup": W, "iterations": M} runs one round and prints its result; EOF ends the process.
// Errors: {"error": "..."} and exit status 1.
// Pin the process from outside (taskset); the inputs are read the way models/check_ort.mjs does.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MODELS = path.join(HERE, '..', 'models');

export const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
export function die(message) {
  emit({ error: message });
  process.exit(1);
}

// Command line: MODEL_DIR plus options. `opts` holds the defaults, keyed by option name without
// dashes; a number default takes an integer, a boolean one is a flag, others take a string.
// --raw DIR and --python PATH are always accepted; -h prints the header comment of `script`.
export function parseCommandLine(argv, opts, script) {
  opts = { dir: null, raw: null, python: '/usr/bin/python3', ...opts };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const key = a.startsWith('--') ? a.slice(2) : null;
    if (key && key !== 'dir' && key in opts) {
      const d = opts[key];
      opts[key] = typeof d === 'boolean' ? true : typeof d === 'number' ? parseInt(argv[++i], 10) : argv[++i];
    } else if (a === '-h' || a === '--help') {
      console.log(fs.readFileSync(fileURLToPath(script), 'utf8').split('\nimport')[0]);
      process.exit(0);
    } else if (!opts.dir) opts.dir = path.resolve(a);
    else die(`unexpected argument ${a}`);
  }
  return opts;
}

function parseArgs(argv) {
  const opts = parseCommandLine(argv, { threads: 1, iterations: 0, warmup: -1, serve: false },
    import.meta.url);
  if (!opts.dir) die('usage: ort_runner.mjs MODEL_DIR --threads T (--iterations M | --serve)');
  if (!opts.serve && !(opts.iterations > 0)) die('give --iterations M (> 0) or --serve');
  return opts;
}

// Raw little-endian tensors + manifest written by models/zoo_tensors.py (node cannot read .pb).
// Also used by bench/ort_engine_runner.mjs (opts: {dir, raw, python}).
export function rawManifest(opts) {
  const name = path.basename(opts.dir);
  let root = opts.raw;
  let tmp = null;
  if (!root) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recinfer-ort-runner-'));
    const conv = spawnSync(opts.python, [path.join(MODELS, 'zoo_tensors.py'), 'to-raw', tmp, opts.dir],
      { encoding: 'utf8' });
    if (conv.status !== 0) die(`zoo_tensors.py failed: ${(conv.stderr || '').trim().split('\n').pop()}`);
    root = tmp;
  }
  const dir = path.join(root, name);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  return { manifest, dir, tmp };
}

const TYPED = {
  float32: Float32Array, float64: Float64Array, int64: BigInt64Array, int32: Int32Array,
  int8: Int8Array, uint8: Uint8Array, bool: Uint8Array,
};

export function makeFeeds(ort, dir, set) {
  const feeds = {};
  for (const item of set.inputs) {
    const Ctor = TYPED[item.dtype];
    if (!Ctor) die(`${item.name}: dtype ${item.dtype} not handled`);
    const bytes = fs.readFileSync(path.join(dir, item.file));
    const aligned = new Uint8Array(bytes.length); // typed arrays need aligned storage
    aligned.set(bytes);
    feeds[item.name] = new ort.Tensor(item.dtype, new Ctor(aligned.buffer), item.dims);
  }
  return feeds;
}

const now = () => process.hrtime.bigint();
const ms = (t0, t1) => Number(t1 - t0) / 1e6;

async function round(session, feeds, warmup, iterations) {
  for (let i = 0; i < warmup; i++) await session.run(feeds);
  const latencies = new Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const t0 = now();
    await session.run(feeds);
    latencies[i] = ms(t0, now());
  }
  return latencies;
}

async function dispatchMicros() {
  const samples = [];
  for (let i = 0; i < 201; i++) {
    const t0 = now();
    await new Promise((resolve) => setImmediate(resolve));
    samples.push(ms(t0, now()) * 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[100];
}

export function loadOrt() {
  let ort;
  try {
    ort = createRequire(path.join(MODELS, 'ort', 'package.json'))('onnxruntime-node');
  } catch (err) {
    die(`cannot load onnxruntime-node (${err.message.split('\n')[0]}); ` +
      'install it with: cd models/ort && npm install --ignore-scripts');
  }
  ort.env.logLevel = 'error'; // the per-Loop "implicit input" warnings are noise here
  return ort;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const ort = loadOrt();
  const { manifest, dir, tmp } = rawManifest(opts);
  const options = {
    graphOptimizationLevel: 'all', intraOpNumThreads: opts.threads, interOpNumThreads: 1,
    executionMode: 'sequential',
  };
  const t0 = now();
  const session = await ort.InferenceSession.create(manifest.model, options);
  const loadMs = ms(t0, now());
  const feeds = makeFeeds(ort, dir, manifest.sets[0]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  await session.run(feeds); // first run: allocations, kernel selection
  const header = { ready: true, engine: 'onnxruntime-node', version: ort.env.versions.node,
    load_ms: loadMs, options, dispatch_us: await dispatchMicros() };
  if (!opts.serve) {
    const warmup = opts.warmup >= 0 ? opts.warmup : Math.max(3, Math.floor(opts.iterations / 10));
    emit({ ...header, latencies_ms: await round(session, feeds, warmup, opts.iterations) });
    return;
  }
  emit(header);
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const req = JSON.parse(line);
    emit({ latencies_ms: await round(session, feeds, req.warmup ?? 0, req.iterations) });
  }
}

// Run only as a script, not when imported for its helpers.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => die(`${err.message || err}`.split('\n')[0]));
}
