#!/usr/bin/python3
"""recinfer's multi-instance Engine vs ONNX Runtime with the same number of sessions and
threads, on the same inputs, in the same run (alternating rounds). Standard library only.

  /usr/bin/python3 bench/engine_vs_ort.py MODEL_DIR [--batch B] [--sessions 2] [--threads 1]
      [--iterations 2000] [--rounds 3] [--recinfer build/recinfer] [--json]

MODEL_DIR holds model.onnx and test_data_set_0. With --batch, the inputs are first re-batched by
`recinfer bench --batch B --save-inputs` (batch rows sliced/replicated, EmbeddingBag bags
repeated whole; see src/tooling/batching.h) and both engines read that same data.
Each round runs, pinned with `taskset -c 0-(N*T-1)` (the CPUs both get):
  recinfer bench MODEL --inputs DATA --instances N --cores-per-instance T --batched-input on
      --iterations M --json        (closed loop, one caller per instance, threads pinned)
  node bench/ort_engine_runner.mjs DIR --sessions N --threads T --iterations M
      (closed loop, one worker thread per session; ORT threads are not pinned individually)
Reported: per engine the median over rounds of TPS (samples/s), average, p50 and p99 latency;
ratios recinfer/ORT (throughput > 1 and p99 < 1 mean recinfer is ahead); the load average.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('model_dir')
    p.add_argument('--batch', type=int, default=0, help='re-batch the inputs to B rows')
    p.add_argument('--sessions', type=int, default=2, help='recinfer instances = ORT sessions')
    p.add_argument('--threads', type=int, default=1, help='threads per instance / session')
    p.add_argument('--iterations', type=int, default=2000, help='requests per round and engine')
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--recinfer', default=os.path.join(ROOT, 'build', 'recinfer'))
    p.add_argument('--node', default='node')
    p.add_argument('--python', default='/usr/bin/python3', help='for models/zoo_tensors.py')
    p.add_argument('--json', action='store_true', help='print one JSON object')
    return p.parse_args()


def run_json(cmd, timeout=3600):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    lines = [l for l in proc.stdout.splitlines() if l.strip().startswith('{')]
    if proc.returncode != 0 or not lines:
        sys.exit(f'failed: {" ".join(cmd)}\n{proc.stderr.strip()[-2000:]}{proc.stdout.strip()[-500:]}')
    return json.loads(lines[-1])


def load_average():
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


def main():
    args = parse_args()
    model_dir = os.path.abspath(args.model_dir)
    tmp = tempfile.mkdtemp(prefix='recinfer-engine-vs-ort-')
    if args.batch:
        run_json([args.recinfer, 'bench', os.path.join(model_dir, 'model.onnx'), '--inputs',
                  os.path.join(model_dir, 'test_data_set_0'), '--batch', str(args.batch),
                  '--save-inputs', tmp, '--iterations', '1', '--warmup', '0', '--json'])
        model_dir = os.path.join(tmp, f'batch_{args.batch}')
    raw = os.path.join(tmp, 'raw')
    conv = subprocess.run([args.python, os.path.join(ROOT, 'models', 'zoo_tensors.py'), 'to-raw',
                           raw, model_dir], capture_output=True, text=True)
    if conv.returncode != 0:
        sys.exit(f'zoo_tensors.py failed: {conv.stderr.strip()[-1000:]}')
    cpus = args.sessions * args.threads
    pin = ['taskset', '-c', f'0-{cpus - 1}' if cpus > 1 else '0']
    recinfer_cmd = pin + [args.recinfer, 'bench', os.path.join(model_dir, 'model.onnx'), '--inputs',
                          os.path.join(model_dir, 'test_data_set_0'), '--instances',
                          str(args.sessions), '--cores-per-instance', str(args.threads),
                          '--batched-input', 'on', '--iterations', str(args.iterations), '--json']
    ort_cmd = pin + [args.node, os.path.join(ROOT, 'bench', 'ort_engine_runner.mjs'), model_dir,
                     '--sessions', str(args.sessions), '--threads', str(args.threads),
                     '--iterations', str(args.iterations), '--raw', raw]
    loads = [load_average()]
    rounds = {'recinfer': [], 'onnxruntime': []}
    batch = None
    for r in range(args.rounds):
        rec = run_json(recinfer_cmd)['results'][0]
        batch = rec['batch']
        rounds['recinfer'].append({'tps': rec['tps'], 'avg_ms': rec['avg_ms'],
                                   'p50_ms': rec['p50_ms'], 'p99_ms': rec['p99_ms']})
        ort = run_json(ort_cmd)
        rounds['onnxruntime'].append({'tps': ort['inferences_per_s'] * batch,
                                      'avg_ms': ort['avg_ms'], 'p50_ms': ort['p50_ms'],
                                      'p99_ms': ort['p99_ms']})
        loads.append(load_average())
        print(f'round {r + 1}: recinfer {rounds["recinfer"][-1]["tps"]:.0f} TPS '
              f'p99 {rec["p99_ms"]:.2f} ms | ORT {rounds["onnxruntime"][-1]["tps"]:.0f} TPS '
              f'p99 {ort["p99_ms"]:.2f} ms', file=sys.stderr)
    summary = {engine: {k: statistics.median(r[k] for r in rs) for k in ('tps', 'avg_ms', 'p50_ms', 'p99_ms')}
               for engine, rs in rounds.items()}
    ratio = {'tps': summary['recinfer']['tps'] / summary['onnxruntime']['tps'],
             'p99': summary['recinfer']['p99_ms'] / summary['onnxruntime']['p99_ms']}
    report = {'model': args.model_dir, 'batch': batch, 'sessions': args.sessions,
              'threads': args.threads, 'iterations': args.iterations, 'rounds': rounds,
              'median': summary, 'ratio_recinfer_over_ort': ratio, 'load_average': loads}
    if args.json:
        print(json.dumps(report))
    else:
        print(f'{args.model_dir}, batch {batch}: {args.sessions} sessions x {args.threads} thread(s), '
              f'{args.iterations} requests x {args.rounds} rounds, closed loop; '
              f'load average {" -> ".join(loads)}\n')
        print('| engine | TPS (samples/s) | avg ms | p50 ms | p99 ms |\n|---|---|---|---|---|')
        for engine in ('recinfer', 'onnxruntime'):
            s = summary[engine]
            print(f'| {engine} | {s["tps"]:,.0f} | {s["avg_ms"]:.3f} | {s["p50_ms"]:.3f} | {s["p99_ms"]:.3f} |')
        print(f'\nrecinfer / ORT: throughput x{ratio["tps"]:.2f}, p99 x{ratio["p99"]:.2f} '
              '(throughput > 1 and p99 < 1: recinfer ahead)')
    subprocess.run(['rm', '-rf', tmp])


if __name__ == '__main__':
    main()
