#!/usr/bin/env node
// The peer of `recinfer serve`: what a team would otherwise write — ONNX Runtime
// (onnxruntime-node, graphOptimizationLevel 'all') behind a minimal Node HTTP server speaking the
// same Open Inference Protocol infer endpoint (JSON data arrays and the binary tensor data
// extension), no batching. onnxruntime-node runs a session on the JS thread that calls it, so
// the server scales as node's cluster module does: W worker processes (replicas), each with its
// own session of T intra-op threads, sharing the listening port.
//
//   node bench/ort_v2_server.mjs MODEL.onnx --name NAME [--port 8000] [--workers W] [--threads T]
//
// Routes: GET /v2/health/live, GET /v2/health/ready, POST /v2/models/NAME/infer. Prints
// "ready on PORT" once every worker has loaded the model.
import cluster from 'node:cluster';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function args(argv) {
  const o = { model: '', name: '', port: 8000, workers: 1, threads: 1 };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--name') o.name = argv[++i];
    else if (a === '--port') o.port = Number(argv[++i]);
    else if (a === '--workers') o.workers = Number(argv[++i]);
    else if (a === '--threads') o.threads = Number(argv[++i]);
    else o.model = a;
  }
  if (!o.model || !o.name) {
    console.error('usage: ort_v2_server.mjs MODEL.onnx --name NAME [--port P] [--workers W] [--threads T]');
    process.exit(2);
  }
  return o;
}

const TYPED = {
  FP32: [Float32Array, 'float32'], FP64: [Float64Array, 'float64'], INT64: [BigInt64Array, 'int64'],
  INT32: [Int32Array, 'int32'], BOOL: [Uint8Array, 'bool'], UINT8: [Uint8Array, 'uint8'],
};
const PROTOCOL = { float32: 'FP32', float64: 'FP64', int64: 'INT64', int32: 'INT32', bool: 'BOOL', uint8: 'UINT8' };

function decode(ort, body, headerLength) {
  const jsonEnd = headerLength ?? body.length;
  const header = JSON.parse(body.subarray(0, jsonEnd).toString('utf8'));
  let offset = jsonEnd;
  const feeds = {};
  for (const input of header.inputs) {
    const [Typed, type] = TYPED[input.datatype] ?? [];
    if (!Typed) throw new Error(`input '${input.name}': datatype ${input.datatype}`);
    const count = input.shape.reduce((a, b) => a * b, 1);
    let data;
    const size = input.parameters?.binary_data_size;
    if (size !== undefined) {
      const bytes = body.subarray(offset, offset + size);
      offset += size;
      data = new Typed(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + size));
    } else if (type === 'int64') {
      data = BigInt64Array.from(input.data.flat(Infinity).map(BigInt));
    } else {
      data = Typed.from(input.data.flat(Infinity).map(Number));
    }
    if (data.length !== count) throw new Error(`input '${input.name}': ${data.length} values for shape [${input.shape}]`);
    feeds[input.name] = new ort.Tensor(type, data, input.shape);
  }
  const binary = header.parameters?.binary_data_output === true;
  return { feeds, binary, id: header.id };
}

function encode(name, results, binary, id) {
  const outputs = [];
  const chunks = [];
  for (const [key, t] of Object.entries(results)) {
    const out = { name: key, datatype: PROTOCOL[t.type], shape: t.dims };
    if (binary) {
      const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      out.parameters = { binary_data_size: bytes.length };
      chunks.push(bytes);
    } else {
      out.data = t.type === 'int64' ? Array.from(t.data, Number) : Array.from(t.data);
    }
    outputs.push(out);
  }
  const header = Buffer.from(JSON.stringify({ model_name: name, model_version: '1', id, outputs }));
  return { body: Buffer.concat([header, ...chunks]), headerLength: binary ? header.length : undefined };
}

async function worker(o) {
  const ort = createRequire(path.join(HERE, '..', 'models', 'ort', 'package.json'))('onnxruntime-node');
  ort.env.logLevel = 'error';
  const session = await ort.InferenceSession.create(o.model, {
    intraOpNumThreads: o.threads, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const infer = `/v2/models/${o.name}/infer`;
  const server = http.createServer((req, res) => {
    const reply = (status, body, headers = {}) => {
      res.writeHead(status, { 'Content-Length': body.length, ...headers });
      res.end(body);
    };
    if (req.method === 'GET' && (req.url === '/v2/health/live' || req.url === '/v2/health/ready')) {
      return reply(200, Buffer.alloc(0));
    }
    if (req.method !== 'POST' || req.url !== infer) return reply(404, Buffer.from('{"error":"not found"}'));
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      try {
        const h = req.headers['inference-header-content-length'];
        const { feeds, binary, id } = decode(ort, Buffer.concat(chunks), h === undefined ? undefined : Number(h));
        const results = await session.run(feeds);
        const { body, headerLength } = encode(o.name, results, binary, id);
        reply(200, body, headerLength === undefined ? { 'Content-Type': 'application/json' }
          : { 'Inference-Header-Content-Length': headerLength, 'Content-Type': 'application/octet-stream' });
      } catch (err) {
        reply(400, Buffer.from(JSON.stringify({ error: String(err.message ?? err) })));
      }
    });
  });
  server.keepAliveTimeout = 60000;
  server.listen(o.port, '127.0.0.1', () => process.send('ready'));
}

const o = args(process.argv.slice(2));
if (cluster.isPrimary) {
  let ready = 0;
  for (let w = 0; w < o.workers; ++w) {
    cluster.fork().on('message', (m) => {
      if (m === 'ready' && ++ready === o.workers) console.log(`ready on ${o.port}`);
    });
  }
  cluster.on('exit', (w, code) => { if (code) { console.error(`worker exited with ${code}`); process.exit(1); } });
  for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { for (const id in cluster.workers) cluster.workers[id].kill(); process.exit(0); });
} else {
  worker(o).catch((err) => { console.error(err); process.exit(1); });
}
