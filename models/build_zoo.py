#!/usr/bin/python3
"""Builds the recinfer model zoo with PyTorch 1.13 (Debian's /usr/bin/python3).

  /usr/bin/python3 models/build_zoo.py                      # every small model, opsets 11 and 14
  /usr/bin/python3 models/build_zoo.py --only deepfm        # just one (comma-separated list ok)
  /usr/bin/python3 models/build_zoo.py --only dlrm_bench    # the ≈666 MB benchmark DLRM
  /usr/bin/python3 models/build_zoo.py --histogram          # print op histograms, build nothing

Small models go to models/zoo/<name>_opset<N>/ (committed): model.onnx and
test_data_set_0/{input,output}_<k>.pb, the outputs from PyTorch eager on the same inputs.
dlrm_bench goes to models/generated/dlrm_bench_opset<N>/ (git-ignored) with its weights as
ONNX external data in weights.bin. Each output directory gets a manifest.json describing
inputs, outputs, op histograms and sizes.
"""
import argparse
import json
import os
import shutil
import sys
import time
from typing import List

import numpy as np
import onnx
import torch

from zoolib import common
from zoolib.bag_modes import bag_modes
from zoolib.coarse_rank import coarse_rank
from zoolib.dcn import dcn
from zoolib.din import din
from zoolib.deepfm import deepfm
from zoolib.dlrm import dlrm_bench, dlrm_small
from zoolib.weighted_bag import weighted_bag

HERE = os.path.dirname(os.path.abspath(__file__))
ZOO_DIR = os.path.join(HERE, 'zoo')
GENERATED_DIR = os.path.join(HERE, 'generated')
SMALL_MODELS = {'dlrm_small': dlrm_small, 'coarse_rank': coarse_rank, 'deepfm': deepfm,
                'weighted_bag': weighted_bag, 'bag_modes': bag_modes, 'dcn': dcn,
                'din': din}
BIG_MODELS = {'dlrm_bench': dlrm_bench}
MAX_COMMITTED_DIR_BYTES = 3 * 1024 * 1024


def describe(model: onnx.ModelProto, label: str, size: int) -> None:
    top, inner = common.op_histogram(model.graph)
    print(f'{label}  ({size / 1e6:.2f} MB, {sum(top.values())} top-level nodes'
          f'{f", {sum(inner.values())} in subgraphs" if inner else ""})')
    print(f'    top-level : {common.format_histogram(top)}')
    if inner:
        print(f'    subgraphs : {common.format_histogram(inner)}')


def build_small(spec: common.ZooSpec, opsets: List[int], zoo_dir: str) -> None:
    module = spec.build()
    input_sets = [make() for make in spec.input_sets]
    output_sets = [common.reference_outputs(module, inputs) for inputs in input_sets]
    for opset in opsets:
        model_dir = os.path.join(zoo_dir, f'{spec.name}_opset{opset}')
        shutil.rmtree(model_dir, ignore_errors=True)
        os.makedirs(model_dir)
        model = common.export(module, input_sets[0], spec, opset)
        onnx.save_model(model, os.path.join(model_dir, 'model.onnx'))
        for i, (inputs, outputs) in enumerate(zip(input_sets, output_sets)):
            common.write_test_data(model, model_dir, i, inputs, outputs)
        size = common.dir_size(model_dir)
        describe(model, os.path.relpath(model_dir, HERE), size)
        if size > MAX_COMMITTED_DIR_BYTES:
            sys.exit(f'{model_dir} is {size} bytes, over the {MAX_COMMITTED_DIR_BYTES}-byte budget')


def build_big(spec: common.ZooSpec, opset: int) -> None:
    start = time.time()
    module = spec.build()
    input_sets = [make() for make in spec.input_sets]
    output_sets = [common.reference_outputs(module, inputs) for inputs in input_sets]
    built = time.time()
    model = common.export(module, input_sets[0], spec, opset, check=False)
    exported = time.time()
    model_dir = os.path.join(GENERATED_DIR, f'{spec.name}_opset{opset}')
    shutil.rmtree(model_dir, ignore_errors=True)
    os.makedirs(model_dir)
    onnx.save_model(model, os.path.join(model_dir, 'model.onnx'), save_as_external_data=True,
                    all_tensors_to_one_file=True, location='weights.bin', size_threshold=1024)
    onnx.checker.check_model(os.path.join(model_dir, 'model.onnx'))   # by path: reads external data
    for i, (inputs, outputs) in enumerate(zip(input_sets, output_sets)):
        common.write_test_data(model, model_dir, i, inputs, outputs)
    size = common.dir_size(model_dir)
    describe(model, os.path.relpath(model_dir, HERE), size)
    print(f'    timings   : build+reference {built - start:.1f} s, export {exported - built:.1f} s, '
          f'save {time.time() - exported:.1f} s')


def write_manifest(root: str, specs: dict) -> None:
    """manifest.json in `root`: one entry per <name>_opset<N> directory found there."""
    entries = []
    for entry in sorted(os.listdir(root)):
        model_path = os.path.join(root, entry, 'model.onnx')
        if not os.path.isfile(model_path):
            continue
        model = onnx.load(model_path, load_external_data=False)
        name, _, opset = entry.rpartition('_opset')
        inits = {i.name for i in model.graph.initializer}
        top, inner = common.op_histogram(model.graph)
        spec = specs.get(name)
        entries.append({
            'dir': entry, 'model': name, 'opset': int(opset),
            'description': spec().description if spec else '',
            'bytes': common.dir_size(os.path.join(root, entry)),
            'inputs': [common.value_info_json(v) for v in model.graph.input if v.name not in inits],
            'outputs': [common.value_info_json(v) for v in model.graph.output],
            'ops_top_level': dict(sorted(top.items())),
            'ops_in_subgraphs': dict(sorted(inner.items())),
        })
    with open(os.path.join(root, 'manifest.json'), 'w') as f:
        json.dump(entries, f, indent=1, ensure_ascii=False)
        f.write('\n')


def print_histograms() -> None:
    for root in (ZOO_DIR, GENERATED_DIR):
        if not os.path.isdir(root):
            continue
        for entry in sorted(os.listdir(root)):
            path = os.path.join(root, entry, 'model.onnx')
            if os.path.isfile(path):
                describe(onnx.load(path, load_external_data=False), os.path.relpath(
                    os.path.dirname(path), HERE), common.dir_size(os.path.dirname(path)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--only', help='comma-separated model names; default: every small model. '
                        f'Known: {", ".join(list(SMALL_MODELS) + list(BIG_MODELS))}')
    parser.add_argument('--opsets', default='11,14', help='opsets for the small models (default 11,14)')
    parser.add_argument('--bench-opset', type=int, default=14, help='opset for dlrm_bench (default 14)')
    parser.add_argument('--out', default=ZOO_DIR, help='directory for the small models (default models/zoo)')
    parser.add_argument('--histogram', action='store_true', help='print op histograms of built models and exit')
    args = parser.parse_args()
    if args.histogram:
        print_histograms()
        return

    names = args.only.split(',') if args.only else list(SMALL_MODELS)
    unknown = [n for n in names if n not in SMALL_MODELS and n not in BIG_MODELS]
    if unknown:
        parser.error(f'unknown model(s) {unknown}')
    opsets = [int(o) for o in args.opsets.split(',')]
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    np.set_printoptions(precision=4)

    for name in names:
        if name in SMALL_MODELS:
            build_small(SMALL_MODELS[name](), opsets, args.out)
        else:
            os.makedirs(GENERATED_DIR, exist_ok=True)
            build_big(BIG_MODELS[name](), args.bench_opset)
    if any(n in SMALL_MODELS for n in names):
        write_manifest(args.out, SMALL_MODELS)
    if any(n in BIG_MODELS for n in names):
        write_manifest(GENERATED_DIR, BIG_MODELS)


if __name__ == '__main__':
    main()
