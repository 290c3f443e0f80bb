#!/usr/bin/python3
"""End-to-end test of `recinfer serve` with real clients: curl and Python's urllib over HTTP
(the Open Inference Protocol's REST binding, JSON and binary tensor data), python3-grpcio over
gRPC (messages generated from src/serve/grpc/grpc_service.proto by protoc at test time).

Checks, against the zoo's stored reference outputs (ONNX Runtime / PyTorch, never recinfer's):
health, metadata, JSON and binary inference, gRPC inference, every error class (400 with the
input named, 404, 413), queue overflow answered with 503s that /metrics counts, a client killed
mid-request, a new model version switched in under load (SIGHUP) with no failed request, and
SIGTERM with requests in flight (every one answered, exit 0).

    serve_e2e.py RECINFER ZOO_DIR SOURCE_DIR
"""
import concurrent.futures
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import numpy as np
import onnx
from onnx import numpy_helper

RECINFER, ZOO, SOURCE = sys.argv[1], sys.argv[2], sys.argv[3]
DTYPES = {np.float32: "FP32", np.int64: "INT64", np.int32: "INT32", np.bool_: "BOOL",
          np.float64: "FP64"}
failures = []


def check(name, ok, detail=""):
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f": {detail}"), flush=True)
    if not ok:
        failures.append(name)


def read_set(model_dir, k=0):
    folder = os.path.join(model_dir, f"test_data_set_{k}")
    model = onnx.load(os.path.join(model_dir, "model.onnx"), load_external_data=False)
    names = [i.name for i in model.graph.input]
    inits = {i.name for i in model.graph.initializer}
    names = [n for n in names if n not in inits]
    def load(prefix):
        out, i = [], 0
        while os.path.exists(os.path.join(folder, f"{prefix}_{i}.pb")):
            t = onnx.TensorProto()
            with open(os.path.join(folder, f"{prefix}_{i}.pb"), "rb") as f:
                t.ParseFromString(f.read())
            out.append(numpy_helper.to_array(t))
            i += 1
        return out
    return dict(zip(names, load("input"))), load("output")


def http(method, url, body=None, headers=None, timeout=30):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def json_body(inputs):
    return json.dumps({"inputs": [
        {"name": n, "shape": list(a.shape), "datatype": DTYPES[a.dtype.type],
         "data": a.flatten().tolist()} for n, a in inputs.items()]}).encode()


def binary_body(inputs):
    header = json.dumps({"inputs": [
        {"name": n, "shape": list(a.shape), "datatype": DTYPES[a.dtype.type],
         "parameters": {"binary_data_size": a.nbytes}} for n, a in inputs.items()],
        "parameters": {"binary_data_output": True}}).encode()
    return header + b"".join(np.ascontiguousarray(a).tobytes() for a in inputs.values()), len(header)


def outputs_of(body, headers):
    length = headers.get("Inference-Header-Content-Length")
    head = json.loads(body[: int(length)] if length else body)
    offset, out = int(length or 0), []
    for o in head["outputs"]:
        dtype = {v: k for k, v in DTYPES.items()}[o["datatype"]]
        size = o.get("parameters", {}).get("binary_data_size")
        if size is not None:
            out.append(np.frombuffer(body[offset: offset + size], dtype=dtype).reshape(o["shape"]))
            offset += size
        else:
            out.append(np.array(o["data"], dtype=dtype).reshape(o["shape"]))
    return out, head


def metric(text, name, **labels):
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def start_server(repo, extra=()):
    ports_file = os.path.join(repo, "..", "ports.json")
    if os.path.exists(ports_file):
        os.remove(ports_file)
    proc = subprocess.Popen([RECINFER, "serve", "--model-repository", repo, "--http-port", "0",
                             "--grpc-port", "0", "--metrics-port", "0", "--host", "127.0.0.1",
                             "--ports-file", ports_file, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 120
    while not os.path.exists(ports_file) or os.path.getsize(ports_file) == 0:
        if proc.poll() is not None or time.time() > deadline:
            print(proc.stdout.read())
            raise SystemExit("server did not start")
        time.sleep(0.05)
    time.sleep(0.05)
    with open(ports_file) as f:
        return proc, json.load(f)


def grpc_client(port, tmp):
    """A python3-grpcio stub built from the server's own .proto (protoc --python_out)."""
    import grpc
    proto_dir = os.path.join(SOURCE, "src", "serve", "grpc")
    subprocess.run(["protoc", f"-I{proto_dir}", f"--python_out={tmp}", "grpc_service.proto"],
                   check=True)
    sys.path.insert(0, tmp)
    import grpc_service_pb2 as pb
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    def call(method, request, response_type):
        fn = channel.unary_unary(f"/inference.GRPCInferenceService/{method}",
                                 request_serializer=lambda m: m.SerializeToString(),
                                 response_deserializer=response_type.FromString)
        return fn(request, timeout=30)
    return pb, call, grpc


def main():
    tmp = tempfile.mkdtemp(prefix="recinfer_serve_e2e_")
    repo = os.path.join(tmp, "models")
    dlrm_src = os.path.join(ZOO, "dlrm_small_opset14")
    os.makedirs(os.path.join(repo, "dlrm", "1"))
    shutil.copy(os.path.join(dlrm_src, "model.onnx"), os.path.join(repo, "dlrm", "1"))
    with open(os.path.join(repo, "dlrm", "config.json"), "w") as f:
        json.dump({"max_batch_size": 64, "dynamic_batching": {"max_queue_delay_us": 500},
                   "queue": {"max_queue_size": 2}, "instances": 1}, f)
    os.makedirs(os.path.join(repo, "coarse"))
    shutil.copy(os.path.join(ZOO, "coarse_rank_opset14", "model.onnx"), os.path.join(repo, "coarse"))

    proc, ports = start_server(repo, ["--max-body-bytes", str(4 << 20)])
    base = f"http://127.0.0.1:{ports['http']}"
    try:
        # Health and metadata, with curl as the client.
        code = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                               base + "/v2/health/live"], capture_output=True, text=True).stdout
        check("curl live 200", code == "200", code)
        code = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                               base + "/v2/health/ready"], capture_output=True, text=True).stdout
        check("curl ready 200", code == "200", code)
        status, body, _ = http("GET", base + "/v2/models/dlrm")
        meta = json.loads(body) if status == 200 else {}
        check("model metadata", status == 200 and meta.get("name") == "dlrm" and
              len(meta.get("inputs", [])) == 53, body[:300])
        check("unknown model 404", http("GET", base + "/v2/models/nosuch")[0] == 404)
        check("model ready", http("GET", base + "/v2/models/dlrm/ready")[0] == 200)

        # Inference against the stored references, JSON and binary.
        inputs, expected = read_set(dlrm_src)
        status, body, headers = http("POST", base + "/v2/models/dlrm/infer", json_body(inputs),
                                     {"Content-Type": "application/json"})
        if status == 200:
            got, head = outputs_of(body, headers)
            check("JSON infer matches reference", np.allclose(got[0], expected[0], atol=1e-5),
                  f"max diff {np.abs(got[0] - expected[0]).max()}")
            check("server timings returned", "recinfer_compute_ns" in head.get("parameters", {}),
                  head.get("parameters"))
        else:
            check("JSON infer", False, f"{status} {body[:300]}")
        payload, hlen = binary_body(inputs)
        status, body, headers = http("POST", base + "/v2/models/dlrm/infer", payload,
                                     {"Inference-Header-Content-Length": str(hlen),
                                      "Content-Type": "application/octet-stream"})
        ok = status == 200 and np.allclose(outputs_of(body, headers)[0][0], expected[0], atol=1e-5)
        check("binary infer matches reference", ok, f"{status} {body[:200]}")
        c_inputs, c_expected = read_set(os.path.join(ZOO, "coarse_rank_opset14"))
        status, body, headers = http("POST", base + "/v2/models/coarse/infer", json_body(c_inputs))
        ok = status == 200
        if ok:
            (scores, indices), (ref_scores, ref_indices) = outputs_of(body, headers)[0], c_expected
            # TopK over tied scores may pick either candidate: indices may differ only where
            # the reference's score at that rank ties with another rank's.
            differ = np.flatnonzero(indices.ravel() != ref_indices.ravel())
            flat = ref_scores.ravel()
            ties = all(np.sum(np.abs(flat - flat[i]) <= 1e-6) > 1 for i in differ)
            ok = np.allclose(scores, ref_scores, atol=1e-5) and ties
        check("unbatched model (TopK) matches reference up to ties", ok, f"{status} {body[:200]}")

        # Errors.
        bad = dict(inputs)
        bad["nosuch"] = bad.pop(next(iter(bad)))
        status, body, _ = http("POST", base + "/v2/models/dlrm/infer", json_body(bad))
        check("unknown input 400 names it", status == 400 and b"nosuch" in body, f"{status} {body[:200]}")
        status, body, _ = http("POST", base + "/v2/models/dlrm/infer", b"{not json")
        check("malformed JSON 400", status == 400 and b"error" in body, f"{status} {body[:200]}")
        ids = {n: a.copy() for n, a in inputs.items()}
        ids["indices_0"].flat[0] = 10**9  # table 0 has 1000 rows
        status, body, _ = http("POST", base + "/v2/models/dlrm/infer", json_body(ids))
        check("id out of range 400", status == 400 and b"1000000000" in body, f"{status} {body[:300]}")
        status, body, _ = http("POST", base + "/v2/models/dlrm/infer", b"x" * (5 << 20))
        check("oversize body 413", status == 413, f"{status} {body[:200]}")

        # gRPC with python3-grpcio.
        pb, call, grpc = grpc_client(ports["grpc"], tmp)
        check("gRPC ServerLive", call("ServerLive", pb.ServerLiveRequest(), pb.ServerLiveResponse).live)
        req = pb.ModelInferRequest(model_name="dlrm")
        for n, a in inputs.items():
            t = req.inputs.add(name=n, datatype=DTYPES[a.dtype.type], shape=list(a.shape))
            req.raw_input_contents.append(np.ascontiguousarray(a).tobytes())
        resp = call("ModelInfer", req, pb.ModelInferResponse)
        got = np.frombuffer(resp.raw_output_contents[0], dtype=np.float32).reshape(
            list(resp.outputs[0].shape))
        check("gRPC infer matches reference", np.allclose(got, expected[0], atol=1e-5))
        try:
            call("ModelInfer", pb.ModelInferRequest(model_name="nosuch"), pb.ModelInferResponse)
            check("gRPC unknown model NOT_FOUND", False, "no error")
        except grpc.RpcError as e:
            check("gRPC unknown model NOT_FOUND", e.code() == grpc.StatusCode.NOT_FOUND, e.code())

        # A client killed mid-request (sends half a body, then SIGKILL): the server goes on.
        killer = subprocess.Popen([sys.executable, "-c", f"""
import socket, time
s = socket.create_connection(("127.0.0.1", {ports['http']}))
s.sendall(b"POST /v2/models/dlrm/infer HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 100000\\r\\n\\r\\n" + b"{{" * 10)
time.sleep(60)
"""])
        time.sleep(0.3)
        killer.kill()
        killer.wait()
        status, _, _ = http("POST", base + "/v2/models/dlrm/infer", json_body(inputs))
        check("server answers after a client was killed mid-request", status == 200, status)

        # Queue overflow: 48 clients against a 2-deep queue and one instance.
        payload = json_body(inputs)
        def one(_):
            return http("POST", base + "/v2/models/dlrm/infer", payload)[0]
        with concurrent.futures.ThreadPoolExecutor(48) as pool:
            codes = list(pool.map(one, range(480)))
        rejected = codes.count(503)
        check("overload answered with 200s and 503s only", set(codes) <= {200, 503}, set(codes))
        check("queue overflow rejects some requests", rejected > 0, codes.count(200))
        metrics = http("GET", f"http://127.0.0.1:{ports['metrics']}/metrics")[1].decode()
        counted = metric(metrics, "nv_inference_request_failure", model="dlrm", reason="REJECTED")
        check("503s counted in /metrics", counted == rejected, f"{counted} vs {rejected}")

        # A new version under load: SIGHUP switches to it with no failed request.
        shutil.copytree(os.path.join(repo, "dlrm", "1"), os.path.join(repo, "dlrm", "2"))
        stop = threading.Event()
        codes = []
        def steady():
            while not stop.is_set():
                status, body, _ = http("POST", base + "/v2/models/dlrm/infer", json_body(inputs))
                codes.append((status, json.loads(body).get("model_version") if status == 200 else body[:200]))
                time.sleep(0.002)
        workers = [threading.Thread(target=steady) for _ in range(2)]
        for w in workers:
            w.start()
        time.sleep(0.3)
        proc.send_signal(signal.SIGHUP)
        deadline = time.time() + 60
        while time.time() < deadline and not any(v == "2" for s, v in codes):
            time.sleep(0.05)
        time.sleep(0.3)
        stop.set()
        for w in workers:
            w.join()
        check("version switch under load fails no request", all(s == 200 for s, _ in codes),
              [c for c in codes if c[0] != 200][:3])
        check("version 2 served after SIGHUP", any(v == "2" for _, v in codes),
              {v for _, v in codes})

        # SIGTERM with requests in flight: every one answered, exit 0.
        results = []
        def inflight():
            results.append(http("POST", base + "/v2/models/dlrm/infer", json_body(inputs))[0])
        threads = [threading.Thread(target=inflight) for _ in range(16)]
        for t in threads:
            t.start()
        time.sleep(0.002)
        proc.send_signal(signal.SIGTERM)
        for t in threads:
            t.join()
        code = proc.wait(timeout=60)
        check("SIGTERM: every in-flight request answered (200, or 503 once draining)",
              len(results) == 16 and set(results) <= {200, 503}, results)
        check("SIGTERM: exit 0", code == 0, code)
    finally:
        if proc.poll() is None:
            proc.kill()
        out = proc.stdout.read() if proc.stdout else ""
        if failures:
            print("server output:\n" + out[-3000:])
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
