#!/usr/bin/env node
// ONNX Runtime counterpart of a multi-instance recinfer Engine: N onnxruntime-node sessions,
// each with intraOpNumThreads T (interOpNumThreads 1, sequential, graphOptimizationLevel 'all'),
// each in its own worker thread (onnxruntime-node runs a session synchronously on the JS thread
// that calls it, so N sessions need N threads to run at once), driven as a closed loop: every
// session sends its next request as soon as the previous one returns, until M requests in all
// are done. Feeds test_data_set_0 of MODEL_DIR (bench/engine_vs_ort.py passes re-batched data).
//
//   node bench/ort_engine_runner.mjs MODEL_DIR --sessions N --threads T --iterations M
//        [--warmup W] [--latencies] [--raw DIR] [--python PATH]
//
// Output: one JSON line {"engine", "version", "sessions", "threads", "load_ms", "iterations",
// "wall_s", "inferences_per_s", "avg_ms", "p50_ms", "p99_ms", "max_ms"[, "latencies_ms"]}.
// Each session loads its own copy of the weights (no sharing across sessions here). Pin the
// process from outside (taskset -c 0-(N*T-1)); ORT threads cannot be pinned from node.
import path from 'node:path';
import fs from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

import { die, emit, loadOrt, makeFeeds, parseCommandLine, rawManifest } from './ort_runner.mjs';

const now = () => process.hrtime.bigint();
const ms = (t0, t1) => Number(t1 - t0) / 1e6;

function parseArgs(argv) {
  const opts = parseCommandLine(argv,
    { sessions: 1, threads: 1, iterations: 0, warmup: -1, latencies: false }, import.meta.url);
  if (!opts.dir || !(opts.sessions > 0) || !(opts.threads > 0) || !(opts.iterations > 0)) {
    die('usage: ort_engine_runner.mjs MODEL_DIR --sessions N --threads T --iterations M');
  }
  return opts;
}

// Worker: one session; waits for "go", then takes request numbers from the shared counter.
async function worker() {
  const { manifestModel, dir, set, threads, warmup, total, counter } = workerData;
  const ort = loadOrt();
  const t0 = now();
  const session = await ort.InferenceSession.create(manifestModel, {
    graphOptimizationLevel: 'all', intraOpNumThreads: threads, interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  const loadMs = ms(t0, now());
  const feeds = makeFeeds(ort, dir, set);
  for (let i = 0; i < Math.max(1, warmup); i++) await session.run(feeds);
  parentPort.postMessage({ ready: true, loadMs, version: ort.env.versions.node });
  await new Promise((resolve) => parentPort.once('message', resolve));
  const next = new Int32Array(counter);
  const latencies = [];
  for (;;) {
    const i = Atomics.add(next, 0, 1);
    if (i >= total) break;
    const s = now();
    await session.run(feeds);
    latencies.push(ms(s, now()));
  }
  parentPort.postMessage({ latencies, end: Number(now()) });
}

function percentile(sorted, p) {
  if (!sorted.length) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { manifest, dir, tmp } = rawManifest(opts);
  const counter = new SharedArrayBuffer(4);
  const warmup = opts.warmup >= 0 ? opts.warmup
    : Math.max(3, Math.floor(opts.iterations / 10 / opts.sessions));
  const workers = [];
  const ready = [];
  for (let s = 0; s < opts.sessions; s++) {
    const w = new Worker(fileURLToPath(import.meta.url), {
      workerData: { manifestModel: manifest.model, dir, set: manifest.sets[0], threads: opts.threads,
        warmup, total: opts.iterations, counter },
      stdout: false,
    });
    w.on('error', (err) => die(`session ${s}: ${err.message || err}`));
    workers.push(w);
    ready.push(new Promise((resolve) => w.once('message', resolve)));
  }
  const hello = await Promise.all(ready);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  const done = workers.map((w) => new Promise((resolve) => w.once('message', resolve)));
  const start = now();
  for (const w of workers) w.postMessage('go');
  const results = await Promise.all(done);
  const end = results.reduce((m, r) => Math.max(m, r.end), 0);
  const wallS = (end - Number(start)) / 1e9;
  const all = results.flatMap((r) => r.latencies);
  const sorted = [...all].sort((a, b) => a - b);
  const avg = all.reduce((a, b) => a + b, 0) / Math.max(1, all.length);
  const out = {
    engine: 'onnxruntime-node', version: hello[0].version, sessions: opts.sessions,
    threads: opts.threads, load_ms: Math.max(...hello.map((h) => h.loadMs)),
    iterations: all.length, wall_s: wallS, inferences_per_s: all.length / wallS, avg_ms: avg,
    p50_ms: percentile(sorted, 50), p99_ms: percentile(sorted, 99), max_ms: sorted[sorted.length - 1],
  };
  if (opts.latencies) out.latencies_ms = all;
  emit(out);
  await Promise.all(workers.map((w) => w.terminate()));
}

if (isMainThread) {
  main().catch((err) => die(`${err.message || err}`.split('\n')[0]));
} else {
  worker().catch((err) => { throw err; });
}
