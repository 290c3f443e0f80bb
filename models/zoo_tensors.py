#!/usr/bin/python3
"""Bridge between ONNX test data (.pb TensorProtos) and check_ort.mjs, which cannot parse
protobuf: converts each test_data_set_* of a model directory into raw little-endian binary
files plus a JSON header.

  /usr/bin/python3 models/zoo_tensors.py to-raw OUT_DIR MODEL_DIR...

writes OUT_DIR/<model dir name>/manifest.json:
  {"model": <abs path of model.onnx>, "name": <dir name>,
   "sets": [{"name": "test_data_set_0",
             "inputs":  [{"name", "dtype", "dims", "file"}...],      # graph input order
             "outputs": [{"name", "dtype", "dims", "file", "topk"?}...]}]}
where "topk" = {"values_output": k, "axis": a} marks an output that is TopK's indices, so the
checker can accept index swaps between equal values.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def load_tensor(path: str) -> onnx.TensorProto:
    tensor = onnx.TensorProto()
    with open(path, 'rb') as f:
        tensor.ParseFromString(f.read())
    return tensor


def topk_outputs(graph: onnx.GraphProto) -> dict:
    """graph-output name → {"values_output", "axis"} for outputs produced as TopK indices."""
    out_index = {o.name: k for k, o in enumerate(graph.output)}
    marks = {}
    for node in graph.node:
        if node.op_type != 'TopK' or len(node.output) < 2 or node.output[1] not in out_index:
            continue
        axis = next((onnx.helper.get_attribute_value(a) for a in node.attribute if a.name == 'axis'), -1)
        marks[node.output[1]] = {'values_output': out_index.get(node.output[0], -1), 'axis': axis}
    return marks


def to_raw(out_dir: str, model_dir: str) -> None:
    model_path = os.path.abspath(os.path.join(model_dir, 'model.onnx'))
    model = onnx.load(model_path, load_external_data=False)
    inits = {i.name for i in model.graph.initializer}
    in_names = [i.name for i in model.graph.input if i.name not in inits]
    out_names = [o.name for o in model.graph.output]
    marks = topk_outputs(model.graph)
    name = os.path.basename(os.path.normpath(model_dir))
    target = os.path.join(out_dir, name)
    os.makedirs(target, exist_ok=True)
    sets = []
    for set_name in sorted(d for d in os.listdir(model_dir) if d.startswith('test_data_set_')):
        entry = {'name': set_name, 'inputs': [], 'outputs': []}
        for kind, names in (('input', in_names), ('output', out_names)):
            for k, expected_name in enumerate(names):
                tensor = load_tensor(os.path.join(model_dir, set_name, f'{kind}_{k}.pb'))
                array = numpy_helper.to_array(tensor)
                if tensor.name and tensor.name != expected_name:
                    sys.exit(f'{model_dir}/{set_name}/{kind}_{k}.pb is named {tensor.name!r}, '
                             f'graph {kind} {k} is {expected_name!r}')
                file = f'{set_name}_{kind}_{k}.bin'
                np.ascontiguousarray(array).astype(array.dtype.newbyteorder('<')).tofile(
                    os.path.join(target, file))
                item = {'name': expected_name, 'dtype': array.dtype.name,
                        'dims': list(array.shape), 'file': file}
                if kind == 'output' and expected_name in marks:
                    item['topk'] = marks[expected_name]
                entry[f'{kind}s'].append(item)
        sets.append(entry)
    with open(os.path.join(target, 'manifest.json'), 'w') as f:
        json.dump({'model': model_path, 'name': name, 'sets': sets}, f, indent=1)


def main() -> None:
    if len(sys.argv) < 4 or sys.argv[1] != 'to-raw':
        sys.exit(__doc__)
    for model_dir in sys.argv[3:]:
        to_raw(sys.argv[2], model_dir)


if __name__ == '__main__':
    main()
