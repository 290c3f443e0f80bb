#!/usr/bin/python3
"""Peer benchmark: recinfer vs ONNX Runtime 1.30 (onnxruntime-node) vs PyTorch 1.13 eager on
every zoo model, same inputs, same thread budget, pinned, alternating rounds; plus a roofline.
Standard library only; the engines run as subprocesses. Normally started by
`bash scripts/peer_bench.sh`, which installs what is needed first.

  /usr/bin/python3 bench/peers.py [--quick] [--recinfer build/recinfer] [--json FILE] [--write-results]
  /usr/bin/python3 bench/peers.py --idioms [--models bag_,cross_v2] [--rounds 3]   # the idiom suite

--idioms (bench/idioms_vs_ort.sh): every models/idioms/*_opset* directory instead of the zoo, at
1 thread, recinfer vs ONNX Runtime only (add pytorch with --engines recinfer,ort,torch), no
roofline, and a table of p50s with the ratio ORT p50 / recinfer p50 (above 1: recinfer is faster).

Models: models/zoo/*_opset14 (--all-opsets: every opset) and models/generated/dlrm_bench_opset14,
each fed its test_data_set_0. For each model and thread count T (1 → CPU 0, 2 → CPUs 0,1 via
taskset), the ORT and PyTorch runners (bench/ort_runner.mjs, bench/torch_runner.py) are started
once and kept waiting; then R rounds run [recinfer, recinfer (no passes), ORT, torch] one after
the other, each doing W warm-up and M timed inferences. recinfer runs as
`recinfer bench MODEL --inputs DIR --threads T --iterations M --warmup W --json --latencies`
(a fresh process per round; the "no passes" engine adds --no-optimize when the binary has it).
M per engine is calibrated from short probes (mean latency, so preemption outliers count) for a
round of about --round-seconds of timed inferences and re-aimed after every round from the
round's real duration (clamped to [--min-iterations, --max-iterations]); W = max(2, M/10).

Reported per engine: p50 = median over rounds of each round's median latency; p99 over all
timed inferences of all rounds pooled; avg over all of them; throughput = 1000 / avg inferences/s
(one request at a time) and × batch samples/s. Ratios are recinfer / peer: throughput above 1
and p99 below 1 mean recinfer is ahead. "batch" is the model's `batch` dimension
(num_candidates for coarse_rank).

Roofline (1 thread): FLOPs and embedding bytes of one inference, counted by torch_runner.py with
forward hooks on the zoo's torch modules (Linear 2·rows·in·out, functional bmm/matmul 2·out·K,
Embedding/EmbeddingBag ids × dim × 4 bytes) for the same inputs, divided by the machine peaks
from `recinfer roofline --json` (single-thread dnnl_sgemm 1024³ GFLOP/s; random 256-byte row
gathers from a 1 GiB table with rows prefetched 0-64 ids ahead, the best of 4 KiB and huge pages). Roofline time =
max(FLOPs / GEMM peak, bytes / gather bandwidth); fraction = roofline time / measured p50.
"""
import argparse
import datetime
import glob
import json
import math
import os
import platform
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from peers_report import (fmt_ms, main_table, median_ratio_table, peaks_text, roofline_rows,
                          roofline_table, summary_table, unstable, write_results)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, 'models')
BATCH_DIMS = ('batch', 'num_candidates')   # symbolic dims that count samples, by preference
RUNNER_START_TIMEOUT = 600                 # dlrm_bench: torch builds 166M weights, ORT maps 666 MB
ROUND_TIMEOUT = 900


class EngineError(Exception):
    pass


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--recinfer', default=os.path.join(ROOT, 'build', 'recinfer'), help='recinfer CLI (default build/recinfer)')
    p.add_argument('--python', default='/usr/bin/python3', help='python with torch + onnx (default /usr/bin/python3)')
    p.add_argument('--node', default='node', help='node executable')
    p.add_argument('--models', help='comma-separated model directory names or substrings (default: all)')
    p.add_argument('--all-opsets', action='store_true', help='every models/zoo/* directory, not just *_opset14')
    p.add_argument('--idioms', action='store_true',
                   help='the idiom suite (models/idioms/*, every opset) at 1 thread, recinfer vs ONNX Runtime, no roofline')
    p.add_argument('--no-big', action='store_true', help='skip models/generated/dlrm_bench_opset14')
    p.add_argument('--threads', default='1,2', help='thread counts (default 1,2)')
    p.add_argument('--rounds', type=int, default=5, help='alternating rounds (default 5)')
    p.add_argument('--iterations', type=int, default=0, help='timed inferences per round (default: calibrated)')
    p.add_argument('--round-seconds', type=float, default=1.5, help='calibration target per engine round (default 1.5)')
    p.add_argument('--min-iterations', type=int, default=10)
    p.add_argument('--max-iterations', type=int, default=100000)
    p.add_argument('--engines', default='recinfer,recinfer-no-passes,ort,torch', help='subset to run')
    p.add_argument('--no-roofline', action='store_true', help='skip the machine-peak measurement')
    p.add_argument('--quick', action='store_true', help='smoke run: 1 round, short rounds, 1 thread only')
    p.add_argument('--json', metavar='FILE', help='write all results as JSON')
    p.add_argument('--write-results', action='store_true', help='write bench/RESULTS.md')
    p.add_argument('--render', metavar='FILE', help='measure nothing: re-render the tables of an earlier --json FILE')
    args = p.parse_args()
    if args.idioms:
        if args.write_results:
            p.error('--write-results is for the zoo benchmark (bench/RESULTS.md); use --json FILE with --idioms')
        given = set(sys.argv[1:])
        if '--threads' not in given:
            args.threads = '1'
        if '--engines' not in given:
            args.engines = 'recinfer,ort'
        args.no_roofline = args.no_big = True
    if args.quick:
        args.rounds, args.threads, args.round_seconds = 1, '1', 0.2
        args.min_iterations, args.max_iterations = 5, 300
    args.threads = [int(t) for t in args.threads.split(',') if t]
    args.engines = set(args.engines.split(','))
    return args


# ---------------------------------------------------------------- environment

def run_text(cmd, timeout=60) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ''


def machine_info() -> dict:
    lscpu = run_text(['lscpu'])
    model = re.search(r'^Model name:\s*(.+)$', lscpu, re.M)
    mem_kib = 0
    try:
        with open('/proc/meminfo') as f:
            mem_kib = int(re.search(r'MemTotal:\s*(\d+)', f.read()).group(1))
    except (OSError, AttributeError):
        pass
    thp = ''
    try:
        with open('/sys/kernel/mm/transparent_hugepage/enabled') as f:
            thp = re.search(r'\[(\w+)\]', f.read()).group(1)
    except (OSError, AttributeError):
        pass
    return {'cpu': model.group(1).strip() if model else platform.processor(),
            'cores': os.cpu_count(), 'ram_gib': round(mem_kib / 2**20, 1),
            'kernel': platform.release(), 'thp': thp, 'l3_bytes': l3_bytes(),
            'loadavg_start': os.getloadavg()[0], 'cpu_pressure_start': cpu_pressure()}


def l3_bytes() -> int:
    for index in glob.glob('/sys/devices/system/cpu/cpu0/cache/index*'):
        try:
            with open(os.path.join(index, 'level')) as f:
                if f.read().strip() != '3':
                    continue
            with open(os.path.join(index, 'size')) as f:
                size = f.read().strip()
            return int(size[:-1]) * {'K': 2**10, 'M': 2**20}.get(size[-1], 1) if size[-1].isalpha() else int(size)
        except (OSError, ValueError, IndexError):
            pass
    return 32 * 2**20


def cpu_pressure():
    """Share of the last 60 s in which some runnable task waited for a CPU (PSI), in %."""
    try:
        with open('/proc/pressure/cpu') as f:
            return float(re.search(r'avg60=([\d.]+)', f.read()).group(1))
    except (OSError, AttributeError, ValueError):
        return None


def recinfer_commit() -> str:
    commit = run_text(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD']) or 'unknown'
    dirty = run_text(['git', '-C', ROOT, 'status', '--porcelain', '--untracked-files=no'])
    return commit + (' (working tree has uncommitted changes)' if dirty else '')


def recinfer_features(binary: str) -> set:
    text = run_text([binary, 'bench', '--help'])
    return {flag for flag in ('--no-optimize', '--latencies', '--warmup') if flag in text}


def pin_prefix(threads: int) -> list:
    if not shutil.which('taskset'):
        return []
    return ['taskset', '-c', ','.join(str(c) for c in range(min(threads, os.cpu_count() or 1)))]


def check_torch(python: str) -> str:
    """'' when torch and onnx import, else the reason."""
    try:
        r = subprocess.run([python, '-c', 'import torch, onnx, numpy'], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as err:
        return f'{python}: {err}'
    return '' if r.returncode == 0 else (r.stderr.strip().splitlines() or ['import failed'])[-1]


def check_ort(node: str) -> str:
    if not shutil.which(node):
        return f'{node} not found'
    if not os.path.isdir(os.path.join(MODELS, 'ort', 'node_modules', 'onnxruntime-node')):
        return 'onnxruntime-node not installed (cd models/ort && npm install --ignore-scripts)'
    return ''


# ---------------------------------------------------------------- models and inputs

def discover_models(args) -> list:
    if args.idioms:
        dirs = sorted(d for d in glob.glob(os.path.join(MODELS, 'idioms', '*_opset*'))
                      if os.path.isfile(os.path.join(d, 'model.onnx')))
        if args.models:
            wanted = args.models.split(',')
            dirs = [d for d in dirs if any(w in os.path.basename(d) for w in wanted)]
        return dirs
    pattern = '*_opset*' if args.all_opsets else '*_opset14'
    dirs = sorted(d for d in glob.glob(os.path.join(MODELS, 'zoo', pattern)) if os.path.isfile(os.path.join(d, 'model.onnx')))
    big = os.path.join(MODELS, 'generated', 'dlrm_bench_opset14')
    if not args.no_big:
        if os.path.isfile(os.path.join(big, 'model.onnx')):
            dirs.append(big)
        else:
            log(f'note: {os.path.relpath(big, ROOT)} missing (build it: /usr/bin/python3 models/build_zoo.py --only dlrm_bench)')
    if args.models:
        wanted = args.models.split(',')
        dirs = [d for d in dirs if any(w in os.path.basename(d) for w in wanted)]
    return dirs


def raw_inputs(python: str, dirs: list, tmp: str) -> dict:
    """zoo_tensors.py to-raw for every model (ORT needs raw tensors); dir → raw manifest or None."""
    try:
        r = subprocess.run([python, os.path.join(MODELS, 'zoo_tensors.py'), 'to-raw', tmp, *dirs],
                           capture_output=True, text=True)
        failure = '' if r.returncode == 0 else (r.stderr.strip().splitlines() or ['?'])[-1]
    except OSError as err:
        failure = str(err)
    if failure:
        log(f'note: zoo_tensors.py failed ({failure}); ONNX Runtime off, batch = first input dim as recinfer reports it')
        return {}
    out = {}
    for d in dirs:
        with open(os.path.join(tmp, os.path.basename(d), 'manifest.json')) as f:
            out[d] = json.load(f)
    return out


def batch_of(model_dir: str, raw: dict):
    """Samples per inference: the value of the `batch` (else `num_candidates`) symbolic dim."""
    try:
        with open(os.path.join(os.path.dirname(model_dir), 'manifest.json')) as f:
            entry = next(e for e in json.load(f) if e['dir'] == os.path.basename(model_dir))
        actual = {i['name']: i['dims'] for i in raw['sets'][0]['inputs']}
    except (OSError, StopIteration, KeyError, TypeError, ValueError):
        return None
    found = {}
    for inp in entry['inputs']:
        for pos, dim in enumerate(inp['shape']):
            if dim in BATCH_DIMS and inp['name'] in actual:
                found.setdefault(dim, actual[inp['name']][pos])
    return next((found[d] for d in BATCH_DIMS if d in found), 1)


# ---------------------------------------------------------------- engines

class Recinfer:
    """One `recinfer bench` process per round."""

    def __init__(self, name, binary, features, model_dir, threads, extra=()):
        self.name, self.binary, self.features = name, binary, features
        self.model_dir, self.threads, self.extra = model_dir, threads, list(extra)
        self.batch = None

    def start(self):
        return {}

    def run(self, iterations, warmup):
        cmd = pin_prefix(self.threads) + [
            self.binary, 'bench', os.path.join(self.model_dir, 'model.onnx'),
            '--inputs', os.path.join(self.model_dir, 'test_data_set_0'),
            '--threads', str(self.threads), '--iterations', str(iterations), '--json'] + self.extra
        if '--warmup' in self.features:
            cmd += ['--warmup', str(warmup)]
        if '--latencies' in self.features:
            cmd += ['--latencies']
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=ROUND_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise EngineError(f'timed out after {ROUND_TIMEOUT} s')
        if r.returncode != 0:
            message = last_line(r.stderr or r.stdout) or f'exit status {r.returncode}'
            raise EngineError(message[len('error: '):] if message.startswith('error: ') else message)
        try:
            out = json.loads(r.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise EngineError(f'unreadable output: {r.stdout[:200]!r}')
        self.batch = out.get('batch')
        if 'latencies_ms' in out:
            return {'latencies': out['latencies_ms']}
        # Older binaries: no per-iteration latencies; keep the round's own summary.
        return {'latencies': None, 'p50': out['p50_ms'], 'p99': out['p99_ms'], 'avg': out['avg_ms'], 'n': iterations}

    def stop(self):
        pass


class Runner:
    """A persistent runner process (ort_runner.mjs / torch_runner.py) speaking JSON lines."""

    def __init__(self, name, cmd, threads):
        self.name, self.cmd, self.threads = name, cmd, threads
        self.proc = None
        self.stderr = tempfile.TemporaryFile(mode='w+')

    def start(self):
        env = dict(os.environ, PYTHONUNBUFFERED='1')
        self.proc = subprocess.Popen(pin_prefix(self.threads) + self.cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr, text=True, env=env, cwd=ROOT)
        header = self._read(RUNNER_START_TIMEOUT)
        if 'skip' in header:
            self.stop()
            raise EngineError(f'skipped: {header["skip"]}')
        if not header.get('ready'):
            self.stop()
            raise EngineError(header.get('error', 'runner did not start'))
        return header

    def run(self, iterations, warmup):
        try:
            self.proc.stdin.write(json.dumps({'warmup': warmup, 'iterations': iterations}) + '\n')
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise EngineError(f'runner exited: {self._stderr_tail()}')
        reply = self._read(ROUND_TIMEOUT)
        if 'latencies_ms' not in reply:
            raise EngineError(reply.get('error', 'no latencies'))
        return {'latencies': reply['latencies_ms']}

    def _read(self, timeout):
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ''
        if not line:
            if not ready:
                self.proc.kill()
            raise EngineError(('timed out' if not ready else 'runner exited') + f': {self._stderr_tail()}')
        try:
            return json.loads(line)
        except ValueError:
            raise EngineError(f'unreadable runner output {line[:200]!r}')

    def _stderr_tail(self):
        self.stderr.seek(0)
        return last_line(self.stderr.read()) or f'exit status {self.proc.poll()}'

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()


def last_line(text: str) -> str:
    lines = [l for l in (text or '').strip().splitlines() if l.strip()]
    return lines[-1][:300] if lines else ''


# ---------------------------------------------------------------- statistics

def percentile(sorted_values, p):
    """Nearest rank, as `recinfer bench` computes it."""
    if not sorted_values:
        return float('nan')
    idx = max(0, min(len(sorted_values) - 1, math.ceil(p / 100 * len(sorted_values)) - 1))
    return sorted_values[idx]


def summarize(rounds: list, batch) -> dict:
    medians, pooled, approx = [], [], False
    total, count, p99s = 0.0, 0, []
    for r in rounds:
        if r['latencies'] is not None:
            medians.append(statistics.median(r['latencies']))
            pooled += r['latencies']
        else:
            approx = True
            medians.append(r['p50'])
            p99s.append(r['p99'])
            total += r['avg'] * r['n']
            count += r['n']
    total += sum(pooled)
    count += len(pooled)
    avg = total / count
    p99 = percentile(sorted(pooled), 99) if pooled else float('nan')
    if p99s:
        p99 = max([p99] + p99s) if pooled else max(p99s)
    inf_per_s = 1000.0 / avg
    return {'p50_ms': statistics.median(medians), 'p99_ms': p99, 'avg_ms': avg,
            'inf_per_s': inf_per_s, 'samples_per_s': inf_per_s * (batch or 1),
            'round_medians_ms': medians, 'timed_inferences': count, 'p99_approx': approx}


def round_ms(result) -> float:
    """Time spent in the timed inferences of one round (avg, not median: outliers cost time too)."""
    if result['latencies'] is not None:
        return sum(result['latencies'])
    return result['avg'] * result['n']


def clamp_iterations(args, m) -> int:
    return int(max(args.min_iterations, min(args.max_iterations, math.ceil(m))))


def calibrate(engine, args) -> int:
    """Iterations for a round of ~--round-seconds: a 3-inference probe, then a ~0.15 s probe."""
    if args.iterations > 0:
        return args.iterations
    m = 3
    for _ in range(2):
        per_inference = max(round_ms(engine.run(m, 1)) / m, 1e-4)
        if m * per_inference >= 100 or m >= args.max_iterations:
            break
        m = clamp_iterations(args, 150 / per_inference)
    return clamp_iterations(args, args.round_seconds * 1000 / per_inference)


def adapt(args, m, result) -> int:
    """Next round's iterations from this round's duration (at most 2x either way)."""
    if args.iterations > 0:
        return m
    factor = args.round_seconds * 1000 / max(round_ms(result), 1e-3)
    return clamp_iterations(args, m * min(2.0, max(0.5, factor)))


# ---------------------------------------------------------------- the benchmark

def make_engines(args, model_dir, threads, features, raw_root, available):
    engines = []
    if 'recinfer' in available:
        if 'recinfer' in args.engines:
            engines.append(Recinfer('recinfer', args.recinfer, features, model_dir, threads))
        if 'recinfer-no-passes' in args.engines and '--no-optimize' in features:
            engines.append(Recinfer('recinfer (no passes)', args.recinfer, features, model_dir, threads, ['--no-optimize']))
    if 'ort' in available and 'ort' in args.engines:
        cmd = [args.node, os.path.join(ROOT, 'bench', 'ort_runner.mjs'), model_dir, '--threads', str(threads),
               '--serve', '--python', args.python] + (['--raw', raw_root] if raw_root else [])
        engines.append(Runner('onnxruntime', cmd, threads))
    if 'torch' in available and 'torch' in args.engines:
        cmd = [args.python, os.path.join(ROOT, 'bench', 'torch_runner.py'), model_dir, '--threads', str(threads), '--serve']
        engines.append(Runner('pytorch', cmd, threads))
    return engines


def bench_config(args, model_dir, threads, batch, features, raw_root, available):
    """All engines on one model at one thread count; returns (engine results, runner headers, batch)."""
    engines = make_engines(args, model_dir, threads, features, raw_root, available)
    results, headers, live, plan = {}, {}, [], {}
    for e in engines:
        try:
            headers[e.name] = e.start()
            plan[e.name] = calibrate(e, args)
            live.append(e)
        except EngineError as err:
            results[e.name] = {'status': 'error', 'error': str(err)}
            e.stop()
    rounds = {e.name: [] for e in live}
    for r in range(args.rounds):
        for e in live:
            if e.name in results:
                continue
            m = plan[e.name]
            try:
                rounds[e.name].append(e.run(m, max(2, m // 10)))
                plan[e.name] = adapt(args, m, rounds[e.name][-1])
            except EngineError as err:
                results[e.name] = {'status': 'error', 'error': f'round {r + 1}: {err}'}
    if batch is None:  # no raw manifest: the first input's leading dim, as recinfer reports it
        batch = next((e.batch for e in live if getattr(e, 'batch', None)), None)
    for e in live:
        e.stop()
        if e.name not in results:
            results[e.name] = {'status': 'ok', 'iterations': [len(r['latencies']) if r['latencies'] is not None
                                                             else r['n'] for r in rounds[e.name]],
                               'rounds': len(rounds[e.name]),
                               **summarize(rounds[e.name], batch)}
    return {e.name: results[e.name] for e in engines}, headers, batch


def measure_peaks(args) -> dict:
    cmd = pin_prefix(1) + [args.recinfer, 'roofline', '--json'] + (['--runs', '3'] if args.quick else [])
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise EngineError(last_line(r.stderr) or f'exit status {r.returncode}')
        return json.loads(r.stdout.strip().splitlines()[-1])
    except (EngineError, ValueError, IndexError, OSError, subprocess.SubprocessError) as err:
        log(f'note: recinfer roofline failed ({err}); no roofline')
        return {}


def main() -> None:
    args = parse_args()
    if args.render:
        with open(args.render) as f:
            publish(json.load(f), args)
        return
    start = time.time()
    args.recinfer = os.path.abspath(args.recinfer)
    available, notes = set(), []
    if os.access(args.recinfer, os.X_OK):
        available.add('recinfer')
        features = recinfer_features(args.recinfer)
        if '--no-optimize' not in features:
            notes.append('recinfer has no --no-optimize yet: no "recinfer (no passes)" column.')
    else:
        features = set()
        notes.append(f'recinfer: {args.recinfer} not found (build it: bash scripts/build.sh recinfer).')
    reason = check_torch(args.python)
    available |= {'torch'} if not reason else set()
    if reason:
        notes.append(f'PyTorch not available: {reason}.')
    reason = check_ort(args.node)
    available |= {'ort'} if not reason else set()
    if reason:
        notes.append(f'ONNX Runtime not available: {reason}.')
    for n in notes:
        log(f'note: {n}')

    dirs = discover_models(args)
    if not dirs:
        sys.exit('no model directories found')
    peaks = {} if args.no_roofline or 'recinfer' not in available else measure_peaks(args)
    if peaks:
        log(peaks_text(peaks))
    report = {'date': datetime.datetime.now().strftime('%Y-%m-%d %H:%M %Z').strip(), 'machine': machine_info(),
              'versions': {'recinfer': f'{recinfer_commit()}, binary {os.path.relpath(args.recinfer, ROOT)}'}, 'peaks': peaks, 'results': [], 'notes': notes,
              'protocol': (f"{args.rounds} alternating round(s) per model and thread count "
                           f"({', '.join(map(str, args.threads))}), each engine ~{args.round_seconds} s of timed "
                           f"inferences per round (calibrated, {args.min_iterations}–{args.max_iterations}) after "
                           f"max(2, M/10) warm-ups; taskset 1 thread → CPU 0, 2 threads → CPUs 0,1; inputs test_data_set_0.")}
    work = {}
    with tempfile.TemporaryDirectory(prefix='recinfer-peers-') as tmp:
        raw = raw_inputs(args.python, dirs, tmp)
        if not raw:
            available.discard('ort')
        for model_dir in dirs:
            model = os.path.basename(model_dir)
            batch = batch_of(model_dir, raw[model_dir]) if model_dir in raw else None
            for threads in args.threads:
                log(f'== {model}  threads {threads}')
                engines, headers, batch = bench_config(args, model_dir, threads, batch, features,
                                                       tmp if raw else None, available)
                for name, res in engines.items():
                    log(f"   {name:22s} " + (f"p50 {fmt_ms(res['p50_ms'])} ms  p99 {fmt_ms(res['p99_ms'])} ms  "
                                            f"M {'/'.join(map(str, res['iterations']))}" if res['status'] == 'ok' else res['error']))
                for h in headers.values():
                    if h.get('engine') == 'onnxruntime-node':
                        report['versions']['onnxruntime'] = h['version']
                        report['versions']['ort_dispatch_us'] = h.get('dispatch_us')
                    elif h.get('engine') == 'pytorch-eager':
                        report['versions']['pytorch'] = h['version']
                        report['versions']['torch_blas'] = h.get('blas')
                        work.setdefault(model, h.get('roofline'))
                report['results'].append({'model': model, 'dir': os.path.relpath(model_dir, ROOT), 'batch': batch,
                                          'threads': threads, 'engines': engines})
    report['machine']['loadavg_end'] = os.getloadavg()[0]
    report['machine']['cpu_pressure_end'] = cpu_pressure()
    report['wall_s'] = time.time() - start
    report['work'] = {k: v for k, v in work.items() if v}
    report['command'] = os.environ.get('PEER_BENCH_COMMAND') or ' '.join(['/usr/bin/python3', 'bench/peers.py'] + sys.argv[1:])
    publish(report, args)


def derived_notes(report) -> list:
    """Notes that follow from the measurements (recomputed on every render)."""
    notes, v, rows = [], report['versions'], report['results']
    if v.get('ort_dispatch_us') is not None:
        notes.append(f"ONNX Runtime latencies include onnxruntime-node's async hop (setImmediate + promise, "
                     f"~{v['ort_dispatch_us']:.1f} µs median) — what any node caller pays.")
    blas = str(v.get('torch_blas', ''))
    if 'blas' in blas and 'openblas' not in blas:
        notes.append("Debian's PyTorch sends Linear/bmm to the system libblas.so.3; here that is the reference "
                     "(netlib) BLAS, so PyTorch's dense layers are slow — as installed, not tuned.")
    busy = max(report['machine'].get('cpu_pressure_start') or 0, report['machine'].get('cpu_pressure_end') or 0)
    if busy > 20:
        notes.append(f'Other processes competed for the CPUs (PSI up to {busy:.0f}%): expect preemption spikes '
                     '(~4-8 ms) in p99 and slow 2-thread runs, where one preempted worker stalls every parallel op.')
    if any(unstable(r) for row in rows for r in row['engines'].values()):
        notes.append('p50 marked †: the round medians lie more than 1.5× apart (the load changed between '
                     'rounds; p50 is their median, `round_medians_ms` in the JSON has them all).')
    if any(r.get('p99_approx') for row in rows for r in row['engines'].values()):
        notes.append('p99 marked ~: the recinfer binary has no --latencies; max of per-round p99s.')
    return notes


def publish(report, args) -> None:
    """Tables and notes from the measurements; prints them, writes --json and bench/RESULTS.md."""
    rows = report['results']
    # Reports written before 'work' was stored keep the counts in their roofline rows.
    work = report.get('work') or {e['model']: e for e in report.get('roofline', [])}
    peaks = report.get('peaks') or {}
    report['roofline'] = roofline_rows(rows, work, peaks, report['machine'].get('l3_bytes', 32 * 2**20))
    report['table'], report['summary'] = main_table(rows), summary_table(rows)
    report['roofline_table'] = roofline_table(report['roofline']) if report['roofline'] else ''
    report['peaks_text'] = peaks_text(peaks)
    report['all_notes'] = report['notes'] + [n for n in derived_notes(report) if n not in report['notes']]

    report['median_table'] = median_ratio_table(rows)
    sys.stderr.flush()
    print(f"\n{report['table']}\n\n{report['summary']}\n\n{report['median_table']}\n")
    print(report['peaks_text'])
    if report['roofline_table']:
        print(f"\n{report['roofline_table']}")
    for n in report['all_notes']:
        print(f'- {n}')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(report, f, indent=1)
    if args.write_results:
        write_results(os.path.join(ROOT, 'bench', 'RESULTS.md'), report, report['command'])
        log('wrote bench/RESULTS.md')


if __name__ == '__main__':
    main()
