#!/usr/bin/python3
"""Builds the idiom suite: each recommendation building block written several ways in PyTorch
1.13 (Debian's /usr/bin/python3), exported by torch.onnx.export exactly as PyTorch writes it.

  /usr/bin/python3 models/build_idioms.py                        # every model, its own opsets
  /usr/bin/python3 models/build_idioms.py --only bag_sum,bag_2d  # some models (names or families)
  /usr/bin/python3 models/build_idioms.py --family cross         # one family
  /usr/bin/python3 models/build_idioms.py --list                 # models, forms, opsets; build nothing
  /usr/bin/python3 models/build_idioms.py --opsets 11,17 --only bag_sum --out /tmp/idioms  # other opsets

Each model goes to models/idioms/<name>_opset<N>/: model.onnx and test_data_set_{0,1}/
{input,output}_<k>.pb (ONNX backend-test layout), the outputs from PyTorch eager on the same
inputs; set 1 varies the dynamic dims (batch / id counts). models/idioms/manifest.json describes
every directory (family, form, opset, inputs/outputs, op histograms, dynamic-shape ops in the
export, `fusible`); models/idioms/dropped.json lists the forms that are not built and why.
Check them in ONNX Runtime with `node models/check_ort.mjs models/idioms/*/`.
"""
import argparse
import io
import json
import os
import shutil
import sys
import warnings
from typing import Dict, List

import numpy as np
import onnx
import torch

from zoolib import common
from idiomlib import attention, bags, count, cross, ctr, gating, masked, packed, retrieval, topk
from idiomlib.base import DYNAMIC_OPS, IdiomSpec

HERE = os.path.dirname(os.path.abspath(__file__))
IDIOMS_DIR = os.path.join(HERE, 'idioms')
FAMILIES = [bags, masked, count, topk, retrieval, packed, cross, gating, attention, ctr]
SPECS: Dict[str, IdiomSpec] = {s.name: s for fam in FAMILIES for s in fam.SPECS}
MAX_DIR_BYTES = 1024 * 1024
MAX_TOTAL_BYTES = 25 * 1000 * 1000


def export(module: torch.nn.Module, inputs: List[np.ndarray], spec: IdiomSpec, opset: int) -> onnx.ModelProto:
    """torch.onnx.export with PyTorch's defaults, like zoolib.common.export but with autograd on
    (as a plain export script runs it): under torch.no_grad() an eval-mode nn.MultiheadAttention /
    nn.TransformerEncoderLayer takes its fused fast path (aten::_native_multi_head_attention),
    which has no ONNX symbolic, and the export fails."""
    args = tuple(torch.from_numpy(a) for a in inputs)
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')   # tracer warnings are part of these idioms
        torch.onnx.export(module, args, buf, opset_version=opset, input_names=spec.input_names,
                          output_names=spec.output_names, dynamic_axes=spec.dynamic_axes)
    model = onnx.load_from_string(buf.getvalue())
    onnx.checker.check_model(model)
    return model


def dynamic_ops(model: onnx.ModelProto) -> Dict[str, int]:
    top, inner = common.op_histogram(model.graph)
    return {op: top[op] + inner[op] for op in DYNAMIC_OPS if top[op] + inner[op]}


def check_shapes_vary(spec: IdiomSpec, input_sets: List[List[np.ndarray]]) -> None:
    """Set 1 must differ from set 0 in some dynamic dim (or, with none, in values)."""
    shapes = [[a.shape for a in s] for s in input_sets]
    if spec.dynamic_axes and shapes[0] == shapes[1]:
        sys.exit(f'{spec.name}: test_data_set_1 has the same shapes as set 0 but the model has '
                 f'dynamic axes {spec.dynamic_axes}')


def build(spec: IdiomSpec, opsets: List[int], out_dir: str) -> None:
    module = spec.build()
    input_sets = [make() for make in spec.input_sets]
    check_shapes_vary(spec, input_sets)
    output_sets = [common.reference_outputs(module, inputs) for inputs in input_sets]
    for opset in opsets:
        model_dir = os.path.join(out_dir, f'{spec.name}_opset{opset}')
        shutil.rmtree(model_dir, ignore_errors=True)
        try:
            model = export(module, input_sets[0], spec, opset)
        except Exception as err:   # noqa: BLE001  (say which model, then stop)
            sys.exit(f'{spec.name} opset {opset}: export failed: {str(err).splitlines()[0][:300]}\n'
                     f'  (drop the opset, or set dropped= on the spec with the reason)')
        os.makedirs(model_dir)
        onnx.save_model(model, os.path.join(model_dir, 'model.onnx'))
        for i, (inputs, outputs) in enumerate(zip(input_sets, output_sets)):
            common.write_test_data(model, model_dir, i, inputs, outputs)
        size = common.dir_size(model_dir)
        top, inner = common.op_histogram(model.graph)
        dyn = dynamic_ops(model)
        print(f'{os.path.relpath(model_dir, HERE):44s} {size / 1e3:7.1f} kB  {sum(top.values()):4d} nodes'
              f'{f" +{sum(inner.values())} in subgraphs" if inner else ""}'
              f'{"  dynamic: " + common.format_histogram(dyn) if dyn else ""}')
        if size > MAX_DIR_BYTES:
            sys.exit(f'{model_dir} is {size} bytes, over the {MAX_DIR_BYTES}-byte budget')


def write_manifest(root: str) -> None:
    entries = []
    for entry in sorted(os.listdir(root)):
        model_path = os.path.join(root, entry, 'model.onnx')
        if not os.path.isfile(model_path):
            continue
        name, _, opset = entry.rpartition('_opset')
        spec = SPECS.get(name)
        if spec is None:
            sys.exit(f'{root}/{entry}: no spec named {name!r} (stale directory? remove it)')
        model = onnx.load(model_path)
        inits = {i.name for i in model.graph.initializer}
        top, inner = common.op_histogram(model.graph)
        dyn = dynamic_ops(model)
        entries.append({
            'dir': entry, 'model': name, 'family': spec.family, 'form': spec.form, 'opset': int(opset),
            'description': spec.description, 'notes': spec.notes,
            'fusible': spec.fusible,
            'dynamic_shape_ops': dyn, 'has_dynamic_shape_ops': bool(dyn),
            'bytes': common.dir_size(os.path.join(root, entry)),
            'inputs': [common.value_info_json(v) for v in model.graph.input if v.name not in inits],
            'outputs': [common.value_info_json(v) for v in model.graph.output],
            'ops_top_level': dict(sorted(top.items())),
            'ops_in_subgraphs': dict(sorted(inner.items())),
        })
    with open(os.path.join(root, 'manifest.json'), 'w') as f:
        json.dump(entries, f, indent=1, ensure_ascii=False)
        f.write('\n')
    dropped = [{'model': s.name, 'family': s.family, 'form': s.form, 'opsets': list(s.opsets),
                'reason': s.dropped} for s in SPECS.values() if s.dropped]
    dropped += [{'model': s.name, 'family': s.family, 'form': s.form, 'opsets': [o], 'reason': why}
                for s in SPECS.values() for o, why in sorted(s.dropped_opsets.items())]
    with open(os.path.join(root, 'dropped.json'), 'w') as f:
        json.dump(dropped, f, indent=1, ensure_ascii=False)
        f.write('\n')
    total = sum(e['bytes'] for e in entries)
    whole = sum(1 for s in SPECS.values() if s.dropped)
    print(f'{len(entries)} model directories ({len({e["model"] for e in entries})} models), '
          f'{total / 1e6:.2f} MB; dropped.json: {whole} forms not built, '
          f'{len(dropped) - whole} (model, opset) pairs left out')
    if root == IDIOMS_DIR and total > MAX_TOTAL_BYTES:
        sys.exit(f'models/idioms is {total} bytes, over the {MAX_TOTAL_BYTES}-byte budget')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--only', help='comma-separated model names or family names')
    parser.add_argument('--family', help='comma-separated families')
    parser.add_argument('--opsets', help="override every model's opsets (e.g. 11,17)")
    parser.add_argument('--out', default=IDIOMS_DIR, help='output directory (default models/idioms)')
    parser.add_argument('--list', action='store_true', help='list models, forms and opsets; build nothing')
    args = parser.parse_args()

    wanted = list(SPECS.values())
    if args.only or args.family:
        keys = set((args.only or '').split(',')) | set((args.family or '').split(','))
        keys.discard('')
        unknown = keys - set(SPECS) - {s.family for s in SPECS.values()}
        if unknown:
            parser.error(f'unknown model(s)/families {sorted(unknown)}')
        wanted = [s for s in wanted if s.name in keys or s.family in keys]
    if args.list:
        for s in wanted:
            opsets = ','.join(map(str, s.opsets))
            state = f'DROPPED: {s.dropped}' if s.dropped else ('fusible' if s.fusible else '')
            state += ''.join(f'  [opset {o} dropped: {why}]' for o, why in s.dropped_opsets.items())
            print(f'{s.family:10s} {s.name:28s} opsets {opsets:8s} {state}\n{"":11s}{s.form}')
        return
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    for spec in wanted:
        if spec.dropped:
            print(f'{spec.name}: not built ({spec.dropped})')
            continue
        opsets = [int(o) for o in args.opsets.split(',')] if args.opsets else list(spec.opsets)
        build(spec, opsets, args.out)
    write_manifest(args.out)


if __name__ == '__main__':
    main()
