#!/usr/bin/python3
"""PyTorch 1.13 eager side of the peer benchmark (bench/peers.py drives it).

  /usr/bin/python3 bench/torch_runner.py MODEL_DIR --threads T --iterations M [--warmup W]
  /usr/bin/python3 bench/torch_runner.py MODEL_DIR --threads T --serve

MODEL_DIR is a zoo directory <name>_opset<N> (models/zoo/, models/generated/ or models/idioms/). The
module is built by its own spec (models/build_zoo.py's SMALL_MODELS / BIG_MODELS → zoolib, or
models/build_idioms.py's SPECS → idiomlib), whose
seeds make its weights equal to the exported ONNX weights. Inputs are test_data_set_0/input_<k>.pb
(graph-input order = forward() argument order). Before timing, the eager outputs are compared
with the stored output_<k>.pb (floats within 1e-4 + 1e-3·|ref|, ints exact except TopK indices
inside tied values); on a mismatch the runner prints {"skip": reason} and exits 0.

Output: JSON lines. First {"ready": true, "engine", "version", "threads", "load_ms", "blas",
"roofline": {...}}, where roofline holds the work of one inference counted with forward hooks
(see count_work). One round: {"latencies_ms": [...]} after W warm-up calls, timed with
perf_counter around module(*inputs) under torch.inference_mode(). With --serve, each stdin line
{"warmup": W, "iterations": M} runs one round; EOF ends the process. Errors: {"error": ...}, exit 1.
Pin the process from outside (taskset).
"""
import argparse
import collections
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(os.path.dirname(HERE), 'models')
ATOL, RTOL = 1e-4, 1e-3


def emit(obj) -> None:
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('model_dir')
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--iterations', type=int, default=0)
    parser.add_argument('--warmup', type=int, default=-1)
    parser.add_argument('--serve', action='store_true')
    args = parser.parse_args()
    if not args.serve and args.iterations <= 0:
        parser.error('give --iterations M (> 0) or --serve')
    return args


def zoo_spec(model_dir: str):
    """The ZooSpec that built MODEL_DIR, or raise LookupError."""
    sys.path.insert(0, MODELS)
    import build_zoo  # noqa: E402  (models/ on sys.path; imports torch, onnx, zoolib)
    name, _, opset = os.path.basename(os.path.normpath(model_dir)).rpartition('_opset')
    factory = build_zoo.SMALL_MODELS.get(name) or build_zoo.BIG_MODELS.get(name)
    if factory is None and opset.isdigit():
        import build_idioms  # noqa: E402  (the idiom suite: models/idioms/<name>_opset<N>)
        if name in build_idioms.SPECS:
            return build_idioms.SPECS[name]
    if factory is None or not opset.isdigit():
        raise LookupError(f'{os.path.basename(model_dir)} is not a zoo or idiom model known to '
                          'models/build_zoo.py / models/build_idioms.py')
    return factory()


def read_tensors(model_dir: str, kind: str):
    """test_data_set_0/<kind>_<k>.pb as numpy arrays, k = 0, 1, ... until the first gap."""
    from onnx import numpy_helper
    import zoo_tensors  # models/zoo_tensors.py (sys.path set by zoo_spec)
    arrays, k = [], 0
    while os.path.exists(path := os.path.join(model_dir, 'test_data_set_0', f'{kind}_{k}.pb')):
        arrays.append(numpy_helper.to_array(zoo_tensors.load_tensor(path)).copy())  # writable
        k += 1
    return arrays


def topk_index_outputs(model_dir: str) -> dict:
    """output position → position of its TopK values output, for outputs that are TopK indices."""
    import onnx
    import zoo_tensors
    graph = onnx.load(os.path.join(model_dir, 'model.onnx'), load_external_data=False).graph
    position = {o.name: k for k, o in enumerate(graph.output)}
    return {position[name]: mark['values_output'] for name, mark in zoo_tensors.topk_outputs(graph).items()}


def check_outputs(got, refs, topk: dict):
    """None when the eager outputs match the stored references, else a reason."""
    import numpy as np
    if len(got) != len(refs):
        return f'{len(got)} outputs, {len(refs)} stored'
    for k, (g, r) in enumerate(zip(got, refs)):
        if g.shape != r.shape:
            return f'output {k}: shape {g.shape} != stored {r.shape}'
        if np.issubdtype(r.dtype, np.floating):
            bad = np.abs(g.astype(np.float64) - r) > ATOL + RTOL * np.abs(r)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                return f'output {k}: element {i}: torch {g.flat[i]} vs stored {r.flat[i]}'
        elif not np.array_equal(g, r):
            values = refs[topk[k]] if k in topk and 0 <= topk[k] < len(refs) else None
            if values is None or not topk_tie_only(g, r, values):
                i = int(np.flatnonzero(g != r)[0])
                return f'output {k}: element {i}: torch {g.flat[i]} vs stored {r.flat[i]}'
    return None


def topk_tie_only(got, ref, values) -> bool:
    """TopK indices may differ only where the stored value ties with a neighbour."""
    import numpy as np
    got, ref, values = got.reshape(-1), ref.reshape(-1), values.reshape(-1).astype(np.float64)
    if len(set(got.tolist())) != len(got):
        return False
    close = lambda a, b: abs(a - b) <= ATOL + RTOL * abs(b)
    for j in np.flatnonzero(got != ref):
        tied = (j > 0 and close(values[j - 1], values[j])) or (j + 1 < len(values) and close(values[j + 1], values[j]))
        if not tied:
            return False
    return True


def count_work(module, inputs):
    """FLOPs and embedding bytes of one inference, from one forward pass with hooks:
    nn.Linear → 2·rows·in·out (rows = input numel / in_features); nn.Embedding and
    nn.EmbeddingBag → ids × embedding_dim × element size (every id reads one row, padding ids
    included; per_sample_weights and offsets not counted; table_bytes = size of the tables read);
    functional torch.bmm / matmul / mm
    (e.g. DLRM's interaction, coarse_rank's heads) → 2·(output numel)·K via a TorchFunctionMode.
    Elementwise, compare (Equal), reduce, TopK and Unique work is not counted: the roofline is
    the dense-math plus gather floor."""
    import torch
    from torch.overrides import TorchFunctionMode
    flops = collections.Counter()
    gather = collections.Counter()
    tables = {}   # id(module) → weight bytes of every table the forward pass read

    def linear_hook(mod, args, out):
        rows = args[0].numel() // mod.in_features
        flops['Linear'] += 2 * rows * mod.in_features * mod.out_features

    def embedding_hook(mod, args, out):
        gather[type(mod).__name__] += args[0].numel() * mod.embedding_dim * mod.weight.element_size()
        tables[id(mod)] = mod.weight.numel() * mod.weight.element_size()

    class MatmulCounter(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            name = getattr(func, '__name__', '')
            if name in ('bmm', 'matmul', 'mm', '__matmul__') and isinstance(out, torch.Tensor):
                flops[name] += 2 * out.numel() * args[0].shape[-1]
            return out

    hooks = []
    for mod in module.modules():
        if isinstance(mod, torch.nn.Linear):
            hooks.append(mod.register_forward_hook(linear_hook))
        elif isinstance(mod, (torch.nn.Embedding, torch.nn.EmbeddingBag)):
            hooks.append(mod.register_forward_hook(embedding_hook))
    try:
        with torch.inference_mode(), MatmulCounter():
            module(*inputs)
    finally:
        for h in hooks:
            h.remove()
    return {'flops': sum(flops.values()), 'gather_bytes': sum(gather.values()),
            'table_bytes': sum(tables.values()), 'flops_by_op': dict(flops), 'gather_bytes_by_op': dict(gather)}


def blas_library() -> str:
    """The BLAS torch's GEMMs go to (Debian's torch links libblas.so.3, an alternatives link)."""
    path = '/usr/lib/x86_64-linux-gnu/libblas.so.3'
    return os.path.realpath(path) if os.path.exists(path) else 'unknown'


def run_round(module, inputs, warmup: int, iterations: int):
    import torch
    with torch.inference_mode():
        for _ in range(warmup):
            module(*inputs)
        latencies = []
        for _ in range(iterations):
            t0 = time.perf_counter()
            module(*inputs)
            latencies.append((time.perf_counter() - t0) * 1e3)
    return latencies


def main() -> None:
    args = parse_args()
    try:
        import torch
    except ImportError as err:
        emit({'error': f'cannot import torch ({err}); install python3-torch'})
        sys.exit(1)
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    try:
        t0 = time.perf_counter()
        spec = zoo_spec(args.model_dir)
        module = spec.build()
        load_ms = (time.perf_counter() - t0) * 1e3
        inputs = [torch.from_numpy(a) for a in read_tensors(args.model_dir, 'input')]
        refs = read_tensors(args.model_dir, 'output')
        with torch.inference_mode():
            out = module(*inputs)
        out = (out,) if isinstance(out, torch.Tensor) else tuple(out)
        reason = check_outputs([o.numpy() for o in out], refs, topk_index_outputs(args.model_dir))
    except Exception as err:  # a broken zoo entry must not stop the whole benchmark
        emit({'error': f'{type(err).__name__}: {err}'})
        sys.exit(1)
    if reason:
        emit({'skip': f'eager output differs from the stored reference: {reason}'})
        return
    header = {'ready': True, 'engine': 'pytorch-eager', 'version': torch.__version__,
              'threads': torch.get_num_threads(), 'load_ms': load_ms, 'blas': blas_library(),
              'roofline': count_work(module, inputs)}
    if not args.serve:
        warmup = args.warmup if args.warmup >= 0 else max(3, args.iterations // 10)
        emit({**header, 'latencies_ms': run_round(module, inputs, warmup, args.iterations)})
        return
    emit(header)
    for line in sys.stdin:
        if line.strip():
            req = json.loads(line)
            emit({'latencies_ms': run_round(module, inputs, req.get('warmup', 0), req['iterations'])})


if __name__ == '__main__':
    main()
