// External-data resolution: the fuzzed bytes become model/model.onnx next to weight files, links
// and a file outside the model folder, then onnx_io::load_model resolves every EXTERNAL tensor.
// Oracles beyond the sanitizers: (1) no location that resolves may land outside the model folder
// (checked on every location in the proto with the loader's own resolver); (2) every byte of every
// loaded constant is read, so a bad offset/length check faults on the mapping's end (the weight
// files are whole pages, so the page after them is not part of the mapping).
//
// Layout (fuzz/make_seeds.py writes seeds against it; keep the two in sync):
//   root/outside.bin           4096 bytes, must never be readable through the model
//   root/model/weights.bin     65536 bytes: float32 values (i % 17 - 8) / 8
//   root/model/sub/w.bin       4096 bytes, same pattern (nested relative path)
//   root/model/empty.bin       0 bytes
//   root/model/link_in.bin  -> weights.bin      (symlink inside: allowed)
//   root/model/link_out.bin -> ../outside.bin   (symlink escaping: refused)
//   root/model/up           -> ..               (directory symlink escaping: refused)
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include <onnx/onnx_pb.h>

#include "fuzz_util.h"
#include "onnx_mutator.h"
#include "onnx/model_loader.h"
#include "onnx/tensor_proto.h"

namespace fs = std::filesystem;

namespace {

std::vector<float> pattern(size_t bytes) {
  std::vector<float> v(bytes / sizeof(float));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(static_cast<int>(i % 17) - 8) / 8;
  return v;
}

const fs::path& model_dir() {
  static const fs::path dir = [] {
    fs::path root = recinfer::fuzz::scratch_dir();
    fs::path model = root / "model";
    fs::create_directories(model / "sub");
    std::vector<char> outside(4096, '\x5a');
    recinfer::fuzz::write_file(root / "outside.bin", outside.data(), outside.size());
    auto w = pattern(65536);
    recinfer::fuzz::write_file(model / "weights.bin", w.data(), w.size() * sizeof(float));
    auto s = pattern(4096);
    recinfer::fuzz::write_file(model / "sub" / "w.bin", s.data(), s.size() * sizeof(float));
    recinfer::fuzz::write_file(model / "empty.bin", nullptr, 0);
    fs::create_symlink("weights.bin", model / "link_in.bin");
    fs::create_symlink("../outside.bin", model / "link_out.bin");
    fs::create_directory_symlink("..", model / "up");
    return fs::canonical(model);
  }();
  return dir;
}

bool inside(const fs::path& dir, const fs::path& file) {
  auto [d, f] = std::mismatch(dir.begin(), dir.end(), file.begin(), file.end());
  return d == dir.end();
}

// Every EXTERNAL tensor of the graph and its subgraphs (Loop/If bodies, tensor attributes).
void check_locations(const onnx::GraphProto& graph, recinfer::onnx_io::ExternalDataResolver& r,
                     int depth);

void check_tensor(const onnx::TensorProto& t, recinfer::onnx_io::ExternalDataResolver& r) {
  for (const auto& entry : t.external_data()) {
    if (entry.key() != "location") continue;
    auto file = r.map(entry.value(), t.name());
    if (!file.is_ok()) continue;
    std::error_code ec;
    fs::path real = fs::canonical((*file)->path(), ec);
    if (ec || !inside(model_dir(), real)) __builtin_trap();  // escaped the model folder
  }
}

void check_locations(const onnx::GraphProto& graph, recinfer::onnx_io::ExternalDataResolver& r,
                     int depth) {
  if (depth > 8) return;  // nesting is the loader's problem (model_load covers it); keep this cheap
  for (const auto& t : graph.initializer()) check_tensor(t, r);
  for (const auto& node : graph.node()) {
    for (const auto& a : node.attribute()) {
      if (a.has_t()) check_tensor(a.t(), r);
      for (const auto& t : a.tensors()) check_tensor(t, r);
      if (a.has_g()) check_locations(a.g(), r, depth + 1);
      for (const auto& g : a.graphs()) check_locations(g, r, depth + 1);
    }
  }
}

volatile uint64_t g_sink;  // keeps the reads in touch() from being optimised away

uint64_t touch(const recinfer::Tensor& t) {
  uint64_t sum = 0;
  const auto* bytes = static_cast<const unsigned char*>(t.raw());
  for (size_t i = 0; i < t.bytes(); ++i) sum += bytes[i];
  return sum;
}

uint64_t touch(const recinfer::ir::Graph& graph) {
  uint64_t sum = 0;
  for (const auto& value : graph.values) {
    if (value.constant) sum += touch(*value.constant);
  }
  for (const auto& node : graph.nodes) {
    for (const auto& [name, attr] : node.attributes) {
      if (attr.kind == recinfer::ir::Attribute::Kind::kTensor) sum += touch(attr.tensor);
      if (attr.graph) sum += touch(*attr.graph);
    }
  }
  return sum;
}

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return recinfer::fuzz::mutate_model(data, size, max_size, seed);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fs::path& dir = model_dir();
  const fs::path path = dir / "model.onnx";
  recinfer::fuzz::write_file(path, data, size);

  onnx::ModelProto proto;
  if (proto.ParseFromArray(data, static_cast<int>(size)) && proto.has_graph()) {
    recinfer::onnx_io::ExternalDataResolver resolver(dir.string());
    check_locations(proto.graph(), resolver, 0);
  }

  auto model = recinfer::onnx_io::load_model(path.string());
  recinfer::fuzz::report("load", model.is_ok() ? recinfer::Status::ok() : model.status());
  if (!model.is_ok()) return 0;
  g_sink = touch(*model->graph);
  return 0;
}
