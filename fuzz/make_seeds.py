#!/usr/bin/python3
"""Builds the seed corpora of the fuzz harnesses (scripts/fuzz.sh runs it into build-fuzz/seeds).

  fuzz/make_seeds.py OUT_DIR [--recinfer BIN]

fuzz_model_load     the zoo models, shrunk (see shrink()), the zoo models after `recinfer optimize`
                    (ai.recinfer ops; only with --recinfer), and the ONNX node-test models.
fuzz_tensor_proto   input_*.pb / output_*.pb of the node tests and the zoo, up to 64 KiB each.
fuzz_v2_request     v2 REST infer bodies (JSON, nested, binary tensor data), in the harness's framing.
fuzz_external_data  shrunk zoo models with their float initializers moved into the harness's
                    weight files, with valid, misaligned, out-of-range and escaping locations.

Why shrink: libFuzzer mutates bytes uniformly, so a seed that is 95% weights spends 95% of the
mutations on float values, and big inputs run slowly; the structure is what is worth fuzzing.
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

NODE_TESTS = "/usr/share/libonnx-testdata/data/node"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE_ROWS = 16            # embedding tables keep this many rows
INLINE_LIMIT = 4096        # float initializers above this many bytes become ConstantOfShape
MAX_SEED = 256 * 1024      # scripts/fuzz.sh's -max_len for the model harnesses
WEIGHTS_BYTES = 65536      # root/model/weights.bin in fuzz_external_data.cc
SUB_BYTES = 4096           # root/model/sub/w.bin
MAX_EXTERNAL_SEED = 32768  # the external-data harness is about locations: small models run faster


def table_uses(graph, uses):
    """Records (op, input index, domain) for every name read by graph and its subgraphs."""
    for node in graph.node:
        for i, name in enumerate(node.input):
            uses.setdefault(name, []).append((node.op_type, i, node.domain, node))
        for a in node.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                table_uses(a.g, uses)
            for g in a.graphs:
                table_uses(g, uses)
    return uses


def is_table_use(op, index, node):
    if op == "Gather" and index == 0:
        return all(a.name != "axis" or a.i == 0 for a in node.attribute)
    if op == "EmbeddingBag":
        return index % 5 == 0
    return op == "MaskedGather" and index == 0


def shrink(model):
    """Embedding tables (read only as gather tables) keep TABLE_ROWS rows; other big float
    initializers become ConstantOfShape nodes, which constant folding turns back into the same
    constant, so the graph the passes see is unchanged while the seed stays small."""
    graph = model.graph
    uses = table_uses(graph, {})
    input_names = {i.name for i in graph.input}
    new_nodes, keep = [], []
    for init in graph.initializer:
        arr = numpy_helper.to_array(init) if init.data_location != TensorProto.EXTERNAL else None
        if arr is None or arr.nbytes <= INLINE_LIMIT or arr.dtype.kind != "f":
            keep.append(init)
            continue
        if arr.ndim >= 1 and all(is_table_use(op, i, n) for op, i, _, n in uses.get(init.name, [])) \
                and uses.get(init.name):
            keep.append(numpy_helper.from_array(arr[:TABLE_ROWS].copy(), init.name))
            continue
        shape_name = init.name + "__fuzz_shape"
        keep.append(numpy_helper.from_array(np.array(arr.shape, dtype=np.int64), shape_name))
        value = helper.make_tensor("value", init.data_type, [1], [0.015625])
        new_nodes.append(helper.make_node("ConstantOfShape", [shape_name], [init.name],
                                          name=init.name + "__fuzz_fill", value=value))
        if init.name in input_names:  # old exports list initializers as inputs too
            kept = [i for i in graph.input if i.name != init.name]
            del graph.input[:]
            graph.input.extend(kept)
    del graph.initializer[:]
    graph.initializer.extend(keep)
    nodes = new_nodes + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    return model


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def model_load_seeds(out, recinfer):
    count = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "models/zoo/*/model*.onnx"))):
        name = os.path.basename(os.path.dirname(path))
        data = shrink(onnx.load(path)).SerializeToString()
        if len(data) <= MAX_SEED:
            write(os.path.join(out, f"zoo_{name}.onnx"), data)
            count += 1
        if recinfer:
            with tempfile.TemporaryDirectory() as tmp:
                opt = os.path.join(tmp, "model.onnx")
                ran = subprocess.run([recinfer, "optimize", path, "-o", opt, "--quiet"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                if ran.returncode != 0:
                    print(f"note: recinfer optimize {path}: {ran.stderr.strip()}", file=sys.stderr)
                    continue
                data = shrink(onnx.load(opt)).SerializeToString()
            if len(data) <= MAX_SEED:
                write(os.path.join(out, f"zoo_{name}_optimized.onnx"), data)
                count += 1
    for path in sorted(glob.glob(os.path.join(NODE_TESTS, "*/model.onnx"))):
        if os.path.getsize(path) <= MAX_SEED:
            name = os.path.basename(os.path.dirname(path))
            write(os.path.join(out, f"node_{name}.onnx"), open(path, "rb").read())
            count += 1
    return count


def tensor_seeds(out):
    count = 0
    pattern_sets = [os.path.join(NODE_TESTS, "*/test_data_set_*/*.pb"),
                    os.path.join(ROOT, "models/zoo/*/test_data_set_*/*.pb")]
    for pattern in pattern_sets:
        for path in sorted(glob.glob(pattern)):
            if os.path.getsize(path) > 65536:
                continue
            parts = path.split(os.sep)
            write(os.path.join(out, "_".join(parts[-3:])), open(path, "rb").read())
            count += 1
    return count


def externalize(model, variant):
    """Moves float initializers into weights.bin (consecutive, 64-byte aligned offsets) and then
    bends the first one according to `variant`."""
    offset, moved = 0, []
    for init in model.graph.initializer:
        if init.data_type != TensorProto.FLOAT or not init.HasField("raw_data"):
            arr = numpy_helper.to_array(init)
            if arr.dtype.kind != "f" or arr.dtype.itemsize != 4:
                continue
            init.CopyFrom(numpy_helper.from_array(arr, init.name))
        size = len(init.raw_data)
        if size == 0 or offset + size > WEIGHTS_BYTES:
            continue
        init.ClearField("raw_data")
        init.data_location = TensorProto.EXTERNAL
        entries = {"location": "weights.bin", "offset": str(offset), "length": str(size)}
        for k, v in entries.items():
            init.external_data.add(key=k, value=v)
        moved.append((init, size))
        offset += (size + 63) // 64 * 64
    if not moved:
        return None
    first, size = moved[0]

    def set_entry(key, value):
        next(e for e in first.external_data if e.key == key).value = value

    if variant == "misaligned":
        set_entry("offset", "4")
    elif variant == "at_end":
        set_entry("offset", str(WEIGHTS_BYTES - size))
    elif variant == "past_end":
        set_entry("offset", str(WEIGHTS_BYTES - size + 4))
    elif variant == "huge_offset":
        set_entry("offset", "18446744073709551615")
    elif variant == "no_length":
        del first.external_data[2]
    elif variant == "bad_length":
        set_entry("length", str(size + 1))
    elif variant == "sub" and size <= SUB_BYTES:
        set_entry("location", "sub/w.bin")
        set_entry("offset", "0")
    elif variant == "empty_file":
        set_entry("location", "empty.bin")
        set_entry("offset", "0")
    elif variant in ("link_in.bin", "link_out.bin", "up/outside.bin", "up/model/weights.bin",
                     "../outside.bin", "/etc/hostname", "./weights.bin", "sub/../weights.bin",
                     "missing.bin", ""):
        set_entry("location", variant)
    return model


EXTERNAL_VARIANTS = ["valid", "misaligned", "at_end", "past_end", "huge_offset", "no_length",
                     "bad_length", "sub", "empty_file", "link_in.bin", "link_out.bin",
                     "up/outside.bin", "up/model/weights.bin", "../outside.bin", "/etc/hostname",
                     "./weights.bin", "sub/../weights.bin", "missing.bin", ""]


def external_seeds(out):
    count = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "models/zoo/*/model*.onnx"))):
        name = os.path.basename(os.path.dirname(path))
        base = shrink(onnx.load(path)).SerializeToString()
        for i, variant in enumerate(EXTERNAL_VARIANTS):
            model = onnx.ModelProto()
            model.ParseFromString(base)
            if externalize(model, variant) is None:
                break
            data = model.SerializeToString()
            if len(data) <= MAX_EXTERNAL_SEED:
                write(os.path.join(out, f"zoo_{name}_{i:02d}.onnx"), data)
                count += 1
    return count


def v2_request_seeds(out):
    """Infer request bodies, framed as fuzz_v2_request.cc reads them: byte 0 bit 0 says whether a
    header length follows (uint16 little-endian in bytes 1-2), then the body."""
    import json
    import struct

    def plain(doc):
        return b"\x00" + json.dumps(doc).encode()

    def binary(doc, blobs):
        header = json.dumps(doc).encode()
        return b"\x01" + struct.pack("<H", len(header)) + header + b"".join(blobs)

    def tensor(name, datatype, shape, data):
        return {"name": name, "datatype": datatype, "shape": shape, "data": data}

    def raw(name, datatype, shape, size):
        return {"name": name, "datatype": datatype, "shape": shape,
                "parameters": {"binary_data_size": size}}

    seeds = [
        plain({"id": "a", "inputs": [tensor("x", "FP32", [1, 4], [1.0, 2.5, -3.0, 4.0])]}),
        plain({"inputs": [tensor("ids", "INT64", [2, 2], [[1, 2], [3, 4]]),
                          tensor("mask", "BOOL", [2], [True, False]),
                          tensor("u", "UINT8", [1], [255])],
               "outputs": [{"name": "y", "parameters": {"binary_data": True}}],
               "parameters": {"timeout": 1000, "priority": 1, "binary_data_output": False}}),
        binary({"inputs": [raw("x", "FP32", [2, 2], 16), raw("ids", "INT64", [3], 24)]},
               [struct.pack("<4f", 1, 2, 3, 4), struct.pack("<3q", 7, -8, 9)]),
        binary({"inputs": [raw("b", "BOOL", [2], 2), raw("h", "FP16", [1], 2),
                           tensor("d", "FP64", [1], [0.5])],
                "parameters": {"binary_data_output": True}},
               [b"\x01\x00", b"\x00\x3c"]),
    ]
    for i, seed in enumerate(seeds):
        write(os.path.join(out, f"seed_{i}"), seed)
    return len(seeds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--recinfer", help="recinfer CLI, for the optimised-model seeds")
    args = parser.parse_args()
    counts = {}
    for target, build in [("fuzz_model_load", lambda d: model_load_seeds(d, args.recinfer)),
                          ("fuzz_tensor_proto", tensor_seeds),
                          ("fuzz_external_data", external_seeds),
                          ("fuzz_v2_request", v2_request_seeds)]:
        d = os.path.join(args.out, target)
        os.makedirs(d, exist_ok=True)
        counts[target] = build(d)
    print("seeds: " + ", ".join(f"{t} {n}" for t, n in counts.items()))


if __name__ == "__main__":
    main()
