// A structure-aware mutation for the model harnesses (LLVMFuzzerCustomMutator). Byte mutations
// of a protobuf mostly break its framing or only change weight bytes; the bugs worth finding sit
// in shape and attribute logic, reached by a well-formed model with one odd value: an axis of
// -7, a Reshape target of 0, a node reading another value, a dimension of 2^40. Half of the
// mutations are these (one edit of a parsed ModelProto), half are libFuzzer's own, so the byte
// level (framing, dictionary) is still covered.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace recinfer::fuzz {

class OnnxMutator {
 public:
  explicit OnnxMutator(unsigned seed) : rng_(seed) {}

  // One structural edit; false when the model offers nothing to edit.
  bool mutate(onnx::ModelProto& model) {
    std::vector<onnx::GraphProto*> graphs;
    collect(model.mutable_graph(), graphs, 0);
    onnx::GraphProto& g = *graphs[pick(graphs.size())];
    switch (pick(7)) {
      case 0: return mutate_attribute(g);
      case 1: return mutate_small_tensor(g);
      case 2: return rewire_input(g);
      case 3: return mutate_input_dim(g);
      case 4: return change_op(g);
      case 5: return mutate_external(g);
      default: return move_node(g);
    }
  }

 private:
  size_t pick(size_t n) { return n == 0 ? 0 : rng_() % n; }

  int64_t interesting(int64_t old) {
    static constexpr int64_t kValues[] = {0, 1, 2, 3, -1, -2, -7, 7, 64, 1 << 20, int64_t{1} << 40,
                                          std::numeric_limits<int64_t>::max(),
                                          std::numeric_limits<int64_t>::min()};
    // Near the old value (wrapping, not overflowing), or one of the classic boundary values.
    if (pick(4) == 0) return static_cast<int64_t>(static_cast<uint64_t>(old) + pick(5) - 2);
    return kValues[pick(std::size(kValues))];
  }

  void collect(onnx::GraphProto* g, std::vector<onnx::GraphProto*>& out, int depth) {
    out.push_back(g);
    if (depth > 4) return;
    for (auto& node : *g->mutable_node()) {
      for (auto& a : *node.mutable_attribute()) {
        if (a.has_g()) collect(a.mutable_g(), out, depth + 1);
      }
    }
  }

  onnx::NodeProto* random_node(onnx::GraphProto& g) {
    return g.node_size() == 0 ? nullptr : g.mutable_node(static_cast<int>(pick(g.node_size())));
  }

  bool mutate_attribute(onnx::GraphProto& g) {
    onnx::NodeProto* node = random_node(g);
    if (node == nullptr || node->attribute_size() == 0) return false;
    auto& a = *node->mutable_attribute(static_cast<int>(pick(node->attribute_size())));
    if (a.type() == onnx::AttributeProto::INT) {
      a.set_i(interesting(a.i()));
    } else if (a.type() == onnx::AttributeProto::INTS) {
      if (a.ints_size() == 0 || pick(4) == 0) {
        a.add_ints(interesting(0));
      } else if (pick(4) == 0) {
        a.mutable_ints()->RemoveLast();
      } else {
        int i = static_cast<int>(pick(a.ints_size()));
        a.set_ints(i, interesting(a.ints(i)));
      }
    } else if (a.type() == onnx::AttributeProto::FLOAT) {
      static constexpr float kFloats[] = {0.0f, -1.0f, 1e30f,
                                          std::numeric_limits<float>::quiet_NaN(),
                                          std::numeric_limits<float>::infinity()};
      a.set_f(kFloats[pick(std::size(kFloats))]);
    } else if (a.has_t()) {
      return mutate_tensor(*a.mutable_t());
    } else {
      return false;
    }
    return true;
  }

  // Shapes, axes, starts/ends and indices live in small int tensors (initializers or Constant
  // values); their values drive shape inference.
  bool mutate_tensor(onnx::TensorProto& t) {
    if (t.data_type() == onnx::TensorProto::INT64 && t.int64_data_size() > 0) {
      int i = static_cast<int>(pick(t.int64_data_size()));
      t.set_int64_data(i, interesting(t.int64_data(i)));
      return true;
    }
    const size_t width = t.data_type() == onnx::TensorProto::INT64 ? 8
                         : t.data_type() == onnx::TensorProto::INT32 ? 4 : 0;
    if (width == 0 || t.raw_data().size() < width || t.raw_data().size() > 64 * width) return false;
    std::string& raw = *t.mutable_raw_data();
    const size_t at = pick(raw.size() / width) * width;
    int64_t v = 0;
    std::memcpy(&v, raw.data() + at, width);  // little-endian: the low bytes of an int32 too
    v = interesting(v);
    std::memcpy(raw.data() + at, &v, width);
    return true;
  }

  bool mutate_small_tensor(onnx::GraphProto& g) {
    if (g.initializer_size() > 0 && pick(2) == 0) {
      return mutate_tensor(*g.mutable_initializer(static_cast<int>(pick(g.initializer_size()))));
    }
    onnx::NodeProto* node = random_node(g);
    if (node == nullptr) return false;
    for (auto& a : *node->mutable_attribute()) {
      if (a.has_t()) return mutate_tensor(*a.mutable_t());
    }
    return false;
  }

  // A node reads another value of the graph (or omits an optional input): shape and dtype
  // combinations no exporter writes.
  bool rewire_input(onnx::GraphProto& g) {
    onnx::NodeProto* node = random_node(g);
    if (node == nullptr || node->input_size() == 0) return false;
    std::vector<const std::string*> names;
    for (const auto& i : g.input()) names.push_back(&i.name());
    for (const auto& t : g.initializer()) names.push_back(&t.name());
    for (const auto& n : g.node()) {
      for (const auto& o : n.output()) names.push_back(&o);
    }
    const int slot = static_cast<int>(pick(node->input_size()));
    const bool omit = pick(8) == 0 || names.empty();
    node->set_input(slot, omit ? std::string() : *names[pick(names.size())]);
    return true;
  }

  bool mutate_input_dim(onnx::GraphProto& g) {
    if (g.input_size() == 0) return false;
    auto* type = g.mutable_input(static_cast<int>(pick(g.input_size())))->mutable_type();
    if (!type->has_tensor_type()) return false;
    auto* shape = type->mutable_tensor_type()->mutable_shape();
    if (shape->dim_size() == 0 || pick(6) == 0) {
      shape->add_dim()->set_dim_param("batch");
      return true;
    }
    auto* dim = shape->mutable_dim(static_cast<int>(pick(shape->dim_size())));
    if (pick(3) == 0) {
      dim->set_dim_param(pick(2) ? "batch" : "other");
    } else {
      dim->set_dim_value(interesting(dim->dim_value()));
    }
    return true;
  }

  bool change_op(onnx::GraphProto& g) {
    static const char* const kOps[] = {"Gather", "Reshape", "Expand", "Slice", "Concat", "Squeeze",
                                       "Unsqueeze", "Transpose", "MatMul", "Gemm", "ReduceSum",
                                       "Where", "Equal", "TopK", "NonZero", "Unique", "Cast",
                                       "Add", "Mul", "Split", "Tile", "Range", "CumSum", "Softmax"};
    onnx::NodeProto* node = random_node(g);
    if (node == nullptr || !node->domain().empty()) return false;
    node->set_op_type(kOps[pick(std::size(kOps))]);
    return true;
  }

  // External data: another location, offset or length, or an inline initializer moved out
  // (the file names are those of fuzz_external_data's folder).
  bool mutate_external(onnx::GraphProto& g) {
    static const char* const kLocations[] = {"weights.bin", "sub/w.bin", "link_in.bin",
                                             "link_out.bin", "up/outside.bin", "empty.bin",
                                             "model.onnx", "sub", "."};
    if (g.initializer_size() == 0) return false;
    auto& t = *g.mutable_initializer(static_cast<int>(pick(g.initializer_size())));
    if (t.data_location() != onnx::TensorProto::EXTERNAL) {
      const size_t bytes = t.raw_data().size();
      t.clear_raw_data();
      t.set_data_location(onnx::TensorProto::EXTERNAL);
      auto* location = t.add_external_data();
      location->set_key("location");
      location->set_value("weights.bin");
      auto* length = t.add_external_data();
      length->set_key("length");
      length->set_value(std::to_string(bytes));
      return true;
    }
    if (t.external_data_size() == 0) return false;
    auto& entry = *t.mutable_external_data(static_cast<int>(pick(t.external_data_size())));
    if (entry.key() == "location") {
      entry.set_value(kLocations[pick(std::size(kLocations))]);
    } else {
      static constexpr uint64_t kNumbers[] = {0, 1, 4, 63, 64, 4096, 65472, 65532, 65536, 65537,
                                              uint64_t{1} << 32, uint64_t{1} << 63,
                                              std::numeric_limits<uint64_t>::max()};
      entry.set_value(std::to_string(kNumbers[pick(std::size(kNumbers))]));
    }
    return true;
  }

  // Moves a node elsewhere in the list (out of topological order) or duplicates one.
  bool move_node(onnx::GraphProto& g) {
    if (g.node_size() < 2) return false;
    const int from = static_cast<int>(pick(g.node_size()));
    const int to = static_cast<int>(pick(g.node_size()));
    if (pick(4) == 0) {
      *g.add_node() = g.node(from);
      return true;
    }
    auto* nodes = g.mutable_node();
    for (int i = from; i < to; ++i) nodes->SwapElements(i, i + 1);
    for (int i = from; i > to; --i) nodes->SwapElements(i, i - 1);
    return true;
  }

  std::mt19937 rng_;
};

// LLVMFuzzerCustomMutator body for ModelProto inputs.
inline size_t mutate_model(uint8_t* data, size_t size, size_t max_size, unsigned seed) {
  OnnxMutator mutator(seed);
  onnx::ModelProto model;
  if (seed % 2 == 0 || !model.ParseFromArray(data, static_cast<int>(size)) ||
      !model.has_graph() || !mutator.mutate(model)) {
    return LLVMFuzzerMutate(data, size, max_size);
  }
  const std::string bytes = model.SerializeAsString();
  if (bytes.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, bytes.data(), bytes.size());
  return bytes.size();
}

}  // namespace recinfer::fuzz
