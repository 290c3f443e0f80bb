"""Shared helpers: MLPs, ONNX export, test-data writing, op histograms.

Everything here runs under Debian's /usr/bin/python3 (torch 1.13, onnx 1.12).
"""
import collections
import dataclasses
import io
import os
import warnings
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np
import onnx
import torch
from onnx import numpy_helper


@dataclasses.dataclass
class ZooSpec:
    """One zoo model: how to build it and the seeded inputs it is tested with."""
    name: str
    description: str
    build: Callable[[], torch.nn.Module]            # seeded inside
    # test_data_set_<i> is made by input_sets[i]() (seeded inside, arrays in graph-input order);
    # set 0 is also the example the export traces. Later sets vary the dynamic dimensions.
    input_sets: List[Callable[[], List[np.ndarray]]]
    input_names: List[str]
    output_names: List[str]
    dynamic_axes: Dict[str, Dict[int, str]]


def mlp(sizes: Sequence[int], final: str = 'relu') -> torch.nn.Sequential:
    """Linear layers sizes[0]→…→sizes[-1], ReLU between, `final` ('relu'|'sigmoid'|'none') last."""
    layers: List[torch.nn.Module] = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        last = i == len(sizes) - 2
        act = final if last else 'relu'
        if act == 'relu':
            layers.append(torch.nn.ReLU())
        elif act == 'sigmoid':
            layers.append(torch.nn.Sigmoid())
    return torch.nn.Sequential(*layers)


def bags(rng: np.random.Generator, batch: int, rows: int, min_bag: int, max_bag: int
         ) -> Tuple[np.ndarray, np.ndarray]:
    """Flat int64 indices and monotone offsets (starting at 0) for `batch` bags of
    min_bag..max_bag ids each (0 gives empty bags)."""
    sizes = rng.integers(min_bag, max_bag + 1, size=batch)
    offsets = np.zeros(batch, dtype=np.int64)
    offsets[1:] = np.cumsum(sizes)[:-1]
    indices = rng.integers(0, rows, size=int(sizes.sum()), dtype=np.int64)
    return indices, offsets


def export(module: torch.nn.Module, inputs: Sequence[np.ndarray], spec: ZooSpec,
           opset: int, check: bool = True) -> onnx.ModelProto:
    """torch.onnx.export with PyTorch's defaults (constant folding on, no simplification).
    check=False skips the in-memory checker (it serialises the whole model: slow when big)."""
    args = tuple(torch.from_numpy(a) for a in inputs)
    buf = io.BytesIO()
    with warnings.catch_warnings():
        # Tracer warnings about torch.tensor() constants are expected (DLRM's li/lj).
        warnings.simplefilter('ignore')
        with torch.no_grad():
            torch.onnx.export(module, args, buf, opset_version=opset,
                              input_names=spec.input_names, output_names=spec.output_names,
                              dynamic_axes=spec.dynamic_axes)
    model = onnx.load_from_string(buf.getvalue())
    if check:
        onnx.checker.check_model(model)
    return model


def reference_outputs(module: torch.nn.Module, inputs: Sequence[np.ndarray]) -> List[np.ndarray]:
    """PyTorch eager outputs on the same inputs (the stored reference)."""
    with torch.no_grad():
        out = module(*[torch.from_numpy(a) for a in inputs])
    if isinstance(out, torch.Tensor):
        out = (out,)
    return [o.detach().numpy().copy() for o in out]


def graph_io_names(model: onnx.ModelProto) -> Tuple[List[str], List[str]]:
    inits = {i.name for i in model.graph.initializer}
    ins = [i.name for i in model.graph.input if i.name not in inits]
    outs = [o.name for o in model.graph.output]
    return ins, outs


def write_test_data(model: onnx.ModelProto, model_dir: str, set_index: int,
                    inputs: Sequence[np.ndarray], outputs: Sequence[np.ndarray]) -> None:
    """ONNX backend-test layout: test_data_set_<i>/{input,output}_<k>.pb in graph order."""
    in_names, out_names = graph_io_names(model)
    if len(in_names) != len(inputs) or len(out_names) != len(outputs):
        raise RuntimeError(f'{model_dir}: graph has {len(in_names)} inputs/{len(out_names)} '
                           f'outputs, got {len(inputs)}/{len(outputs)} arrays')
    data_dir = os.path.join(model_dir, f'test_data_set_{set_index}')
    os.makedirs(data_dir, exist_ok=True)
    for kind, names, arrays in (('input', in_names, inputs), ('output', out_names, outputs)):
        for k, (name, arr) in enumerate(zip(names, arrays)):
            # asarray, not ascontiguousarray: that one turns 0-d outputs into shape (1,)
            tensor = numpy_helper.from_array(np.asarray(arr, order='C'), name=name)
            with open(os.path.join(data_dir, f'{kind}_{k}.pb'), 'wb') as f:
                f.write(tensor.SerializeToString())


def _subgraphs(node: onnx.NodeProto):
    for attr in node.attribute:
        if attr.type == onnx.AttributeProto.GRAPH:
            yield attr.g
        elif attr.type == onnx.AttributeProto.GRAPHS:
            yield from attr.graphs


def op_histogram(graph: onnx.GraphProto) -> Tuple[collections.Counter, collections.Counter]:
    """(top-level op counts, op counts inside subgraphs such as Loop bodies, recursively)."""
    top = collections.Counter(n.op_type for n in graph.node)
    inner: collections.Counter = collections.Counter()

    def walk(g: onnx.GraphProto) -> None:
        for n in g.node:
            for sub in _subgraphs(n):
                inner.update(m.op_type for m in sub.node)
                walk(sub)
    walk(graph)
    return top, inner


def format_histogram(counter: collections.Counter) -> str:
    return ', '.join(f'{op}×{c}' for op, c in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def dir_size(path: str) -> int:
    total = 0
    for root, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total


def value_info_json(vi: onnx.ValueInfoProto) -> dict:
    t = vi.type.tensor_type
    dims = [d.dim_param if d.dim_param else d.dim_value for d in t.shape.dim]
    return {'name': vi.name,
            'dtype': onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[t.elem_type].name,
            'shape': dims}
