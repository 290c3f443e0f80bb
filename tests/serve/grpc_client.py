#!/usr/bin/python3
"""A minimal inference.GRPCInferenceService client, for end-to-end tests of `recinfer serve`.

Needs python3-grpcio and python3-protobuf only (no grpcio-tools): the message classes are
generated with `protoc --python_out` from src/serve/grpc/grpc_service.proto into a temporary
directory, and the RPCs are called through grpc's generic unary-unary API.

  grpc_client.py --address 127.0.0.1:8001 live|ready
  grpc_client.py --address ... metadata MODEL
  grpc_client.py --address ... index
  grpc_client.py --address ... infer MODEL --input NAME:DATATYPE:D0,D1:V0,V1,... [--typed]
                                           [--output NAME] [--timeout-us N]

Prints one JSON document on stdout (infer: {"model_name", "id", "parameters", "outputs":
[{"name", "datatype", "shape", "data"}]}). On an RPC error prints {"code": "UNAVAILABLE",
"message": ...} and exits with 2.
"""
import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile

import grpc
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROTO = os.path.join(ROOT, "src", "serve", "grpc", "grpc_service.proto")
SERVICE = "/inference.GRPCInferenceService/"

NUMPY = {"BOOL": np.bool_, "UINT8": np.uint8, "UINT16": np.uint16, "UINT32": np.uint32,
         "UINT64": np.uint64, "INT8": np.int8, "INT16": np.int16, "INT32": np.int32,
         "INT64": np.int64, "FP16": np.float16, "FP32": np.float32, "FP64": np.float64}
TYPED_FIELD = {"BOOL": "bool_contents", "UINT8": "uint_contents", "UINT16": "uint_contents",
               "UINT32": "uint_contents", "UINT64": "uint64_contents", "INT8": "int_contents",
               "INT16": "int_contents", "INT32": "int_contents", "INT64": "int64_contents",
               "FP32": "fp32_contents", "FP64": "fp64_contents"}


def load_messages(workdir):
    subprocess.run(["protoc", f"--proto_path={os.path.dirname(PROTO)}", f"--python_out={workdir}",
                    PROTO], check=True)
    sys.path.insert(0, workdir)
    return importlib.import_module("grpc_service_pb2")


def call(channel, pb, method, request, response_type):
    rpc = channel.unary_unary(SERVICE + method, request_serializer=lambda m: m.SerializeToString(),
                              response_deserializer=getattr(pb, response_type).FromString)
    return rpc(request, timeout=60)


def parse_input(spec):
    name, datatype, shape, values = spec.split(":", 3)
    shape = [int(d) for d in shape.split(",") if d]
    dtype = NUMPY[datatype]
    raw = [v for v in values.split(",") if v]
    if datatype == "BOOL":
        array = np.array([v.lower() in ("1", "true") for v in raw], dtype=dtype)
    else:
        array = np.array(raw, dtype=np.float64 if datatype.startswith("FP") else np.int64).astype(dtype)
    return name, datatype, shape, array.reshape(shape)


def infer(channel, pb, args):
    request = pb.ModelInferRequest(model_name=args.model, id="grpc_client")
    if args.timeout_us is not None:
        request.parameters["timeout"].int64_param = args.timeout_us
    for spec in args.input:
        name, datatype, shape, array = parse_input(spec)
        tensor = request.inputs.add(name=name, datatype=datatype, shape=shape)
        if args.typed:
            getattr(tensor.contents, TYPED_FIELD[datatype]).extend(array.flatten().tolist())
        else:
            request.raw_input_contents.append(array.astype(array.dtype.newbyteorder("<")).tobytes())
    for name in args.output or []:
        request.outputs.add(name=name)
    response = call(channel, pb, "ModelInfer", request, "ModelInferResponse")
    outputs = []
    for i, output in enumerate(response.outputs):
        data = np.frombuffer(response.raw_output_contents[i], dtype=np.dtype(NUMPY[output.datatype]).newbyteorder("<"))
        outputs.append({"name": output.name, "datatype": output.datatype,
                        "shape": list(output.shape), "data": data.tolist()})
    parameters = {k: v.int64_param for k, v in response.parameters.items()}
    return {"model_name": response.model_name, "model_version": response.model_version,
            "id": response.id, "parameters": parameters, "outputs": outputs}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", required=True)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("live")
    sub.add_parser("ready")
    sub.add_parser("index")
    metadata = sub.add_parser("metadata")
    metadata.add_argument("model")
    run = sub.add_parser("infer")
    run.add_argument("model")
    run.add_argument("--input", action="append", required=True)
    run.add_argument("--output", action="append")
    run.add_argument("--typed", action="store_true", help="InferTensorContents, not raw bytes")
    run.add_argument("--timeout-us", type=int)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        pb = load_messages(workdir)
        with grpc.insecure_channel(args.address) as channel:
            try:
                if args.command == "live":
                    result = {"live": call(channel, pb, "ServerLive", pb.ServerLiveRequest(),
                                           "ServerLiveResponse").live}
                elif args.command == "ready":
                    result = {"ready": call(channel, pb, "ServerReady", pb.ServerReadyRequest(),
                                            "ServerReadyResponse").ready}
                elif args.command == "index":
                    index = call(channel, pb, "RepositoryIndex", pb.RepositoryIndexRequest(),
                                 "RepositoryIndexResponse")
                    result = [{"name": m.name, "version": m.version, "state": m.state}
                              for m in index.models]
                elif args.command == "metadata":
                    m = call(channel, pb, "ModelMetadata", pb.ModelMetadataRequest(name=args.model),
                             "ModelMetadataResponse")
                    tensors = lambda ts: [{"name": t.name, "datatype": t.datatype,
                                           "shape": list(t.shape)} for t in ts]
                    result = {"name": m.name, "versions": list(m.versions), "platform": m.platform,
                              "inputs": tensors(m.inputs), "outputs": tensors(m.outputs)}
                else:
                    result = infer(channel, pb, args)
            except grpc.RpcError as error:
                print(json.dumps({"code": error.code().name, "message": error.details()}))
                sys.exit(2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
