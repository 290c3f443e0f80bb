#include "onnx/model_writer.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "ir/verifier.h"
#include "onnx/model_loader.h"
#include "passes/pipeline.h"
#include "recinfer/session.h"
#include "support/model_builder.h"
#include "tooling/test_data.h"

namespace recinfer {
namespace {

namespace fs = std::filesystem;

const std::string kZoo = std::string(RECINFER_SOURCE_DIR) + "/models/zoo/";

std::vector<std::string> zoo_models() {
  std::vector<std::string> dirs;
  for (const auto& entry : fs::directory_iterator(kZoo)) {
    if (fs::exists(entry.path() / "model.onnx")) dirs.push_back(entry.path().filename().string());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

onnx::ModelProto read_proto(const std::string& path) {
  onnx::ModelProto proto;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(proto.ParseFromIstream(&in)) << path;
  return proto;
}

void expect_same_tensor(const Tensor& a, const Tensor& b, const std::string& where) {
  ASSERT_EQ(a.dtype(), b.dtype()) << where;
  ASSERT_EQ(a.shape(), b.shape()) << where;
  EXPECT_EQ(std::memcmp(a.raw(), b.raw(), a.bytes()), 0) << where << ": data differs";
}

std::map<std::string, int> op_histogram(const ir::Graph& g) {
  std::map<std::string, int> histogram;
  for (const ir::Node& node : g.nodes) ++histogram[std::string(ir::op_name(node.op))];
  return histogram;
}

// Names of a node's inputs (captures included); "" for omitted ones.
std::vector<std::string> input_names(const ir::Graph& g, const ir::Node& node) {
  std::vector<std::string> names;
  for (ir::ValueId id : node.inputs) names.push_back(id == ir::kNoValue ? "" : g.value(id).name);
  return names;
}

void expect_same_graph(const ir::Graph& a, const ir::Graph& b, const std::string& where);

void expect_same_attribute(const ir::Attribute& a, const ir::Attribute& b, const std::string& where) {
  using Kind = ir::Attribute::Kind;
  ASSERT_EQ(a.kind, b.kind) << where;
  switch (a.kind) {
    case Kind::kInt: EXPECT_EQ(a.i, b.i) << where; break;
    case Kind::kFloat: EXPECT_EQ(std::memcmp(&a.f, &b.f, sizeof(float)), 0) << where; break;
    case Kind::kString: EXPECT_EQ(a.s, b.s) << where; break;
    case Kind::kInts: EXPECT_EQ(a.ints, b.ints) << where; break;
    case Kind::kFloats: EXPECT_EQ(a.floats, b.floats) << where; break;
    case Kind::kStrings: EXPECT_EQ(a.strings, b.strings) << where; break;
    case Kind::kTensor: expect_same_tensor(a.tensor, b.tensor, where); break;
    case Kind::kGraph: expect_same_graph(*a.graph, *b.graph, where); break;
  }
}

void expect_same_value_type(const ir::Value& a, const ir::Value& b, const std::string& where) {
  EXPECT_EQ(a.name, b.name) << where;
  EXPECT_EQ(a.dtype, b.dtype) << where << " '" << a.name << "'";
  ASSERT_EQ(a.declared_shape.has_value(), b.declared_shape.has_value()) << where << " " << a.name;
  if (!a.declared_shape) return;
  ASSERT_EQ(a.declared_shape->size(), b.declared_shape->size()) << where << " " << a.name;
  for (size_t d = 0; d < a.declared_shape->size(); ++d) {
    EXPECT_EQ((*a.declared_shape)[d].size, (*b.declared_shape)[d].size) << where << " " << a.name;
    EXPECT_EQ((*a.declared_shape)[d].symbol, (*b.declared_shape)[d].symbol) << where << " " << a.name;
  }
}

void expect_same_graph(const ir::Graph& a, const ir::Graph& b, const std::string& where) {
  ASSERT_EQ(a.nodes.size(), b.nodes.size()) << where;
  EXPECT_EQ(op_histogram(a), op_histogram(b)) << where;
  ASSERT_EQ(a.inputs.size(), b.inputs.size()) << where;
  ASSERT_EQ(a.outputs.size(), b.outputs.size()) << where;
  ASSERT_EQ(a.captures.size(), b.captures.size()) << where;
  for (size_t i = 0; i < a.inputs.size(); ++i) {
    expect_same_value_type(a.value(a.inputs[i]), b.value(b.inputs[i]), where + " input");
  }
  for (size_t i = 0; i < a.outputs.size(); ++i) {
    expect_same_value_type(a.value(a.outputs[i]), b.value(b.outputs[i]), where + " output");
  }
  for (size_t n = 0; n < a.nodes.size(); ++n) {
    const ir::Node& na = a.nodes[n];
    const ir::Node& nb = b.nodes[n];
    const std::string at = where + " " + na.describe();
    EXPECT_EQ(na.op, nb.op) << at;
    EXPECT_EQ(na.name, nb.name) << at;
    EXPECT_EQ(na.opset, nb.opset) << at;
    EXPECT_EQ(na.num_declared_inputs, nb.num_declared_inputs) << at;
    EXPECT_EQ(input_names(a, na), input_names(b, nb)) << at;
    ASSERT_EQ(na.outputs.size(), nb.outputs.size()) << at;
    for (size_t o = 0; o < na.outputs.size(); ++o) {
      ASSERT_EQ(na.outputs[o] == ir::kNoValue, nb.outputs[o] == ir::kNoValue) << at;
      if (na.outputs[o] != ir::kNoValue) {
        EXPECT_EQ(a.value(na.outputs[o]).name, b.value(nb.outputs[o]).name) << at;
      }
    }
    ASSERT_EQ(na.attributes.size(), nb.attributes.size()) << at;
    for (const auto& [key, attr] : na.attributes) {
      const ir::Attribute* other = nb.attr(key);
      ASSERT_NE(other, nullptr) << at << " lost attribute " << key;
      expect_same_attribute(attr, *other, at + " attribute '" + key + "'");
    }
  }
  // Initializers: every constant the reloaded graph has came from the original, bit for bit.
  for (const ir::Value& vb : b.values) {
    if (!vb.constant) continue;
    auto id = a.find_value(vb.name);
    ASSERT_TRUE(id.has_value()) << where << " invented constant " << vb.name;
    ASSERT_TRUE(a.value(*id).constant.has_value()) << where << " " << vb.name;
    expect_same_tensor(*a.value(*id).constant, *vb.constant, where + " constant " + vb.name);
  }
}

// Saves `g` (which must verify) into a fresh temp folder and returns the model path.
std::string save_to_temp(const ir::Graph& g, const std::string& tag,
                         const onnx_io::SaveOptions& options = {}) {
  EXPECT_TRUE(ir::verify_graph(g).is_ok()) << tag;
  const std::string saved = testing::temp_dir(tag) + "/model.onnx";
  Status st = onnx_io::save_model(g, saved, options);
  EXPECT_TRUE(st.is_ok()) << tag << ": " << st.to_string();
  return saved;
}

int count_captures(const ir::Graph& g) {
  int captures = static_cast<int>(g.captures.size());
  for (const ir::Node& node : g.nodes) {
    for (const auto& [key, attr] : node.attributes) {
      if (attr.graph) captures += count_captures(*attr.graph);
    }
  }
  return captures;
}

// Runs the model as written: the passes stay off, so the comparison is about the file alone.
Result<std::vector<Tensor>> run_model(const std::string& path, const std::vector<Tensor>& inputs) {
  SessionOptions options;
  options.optimize = false;
  RI_ASSIGN_OR_RETURN(auto session, Session::load(path, options));
  std::vector<Tensor> views;
  RI_RETURN_IF_ERROR(session->run(inputs, views));
  std::vector<Tensor> outputs;
  for (const Tensor& view : views) {
    RI_ASSIGN_OR_RETURN(Tensor copy, view.clone());
    outputs.push_back(std::move(copy));
  }
  return outputs;
}

TEST(ModelWriterTest, ZooModelsRoundTripWithIdenticalGraphsAndOutputs) {
  const auto models = zoo_models();
  ASSERT_FALSE(models.empty());
  int total_captures = 0;
  for (const std::string& name : models) {
    SCOPED_TRACE(name);
    const std::string original = kZoo + name + "/model.onnx";
    auto loaded = onnx_io::load_model(original);
    ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
    const std::string saved = save_to_temp(*loaded->graph, "writer_zoo_" + name);

    const onnx::ModelProto proto = read_proto(saved);
    EXPECT_EQ(proto.ir_version(), 8);
    ASSERT_EQ(proto.opset_import_size(), 1);  // no ai.recinfer op, no ai.recinfer import
    EXPECT_EQ(proto.opset_import(0).version(), loaded->opset);

    auto reloaded = onnx_io::load_model(saved);
    ASSERT_TRUE(reloaded.is_ok()) << reloaded.status().to_string();
    EXPECT_EQ(reloaded->opset, loaded->opset);
    EXPECT_EQ(reloaded->producer, "recinfer");
    ASSERT_TRUE(ir::verify_graph(*reloaded->graph).is_ok());
    expect_same_graph(*loaded->graph, *reloaded->graph, name);
    total_captures += count_captures(*reloaded->graph);

    auto inputs = tooling::read_tensor_dir(kZoo + name + "/test_data_set_0", "input");
    ASSERT_TRUE(inputs.is_ok()) << inputs.status().to_string();
    auto expected = run_model(original, *inputs);
    ASSERT_TRUE(expected.is_ok()) << expected.status().to_string();
    auto actual = run_model(saved, *inputs);
    ASSERT_TRUE(actual.is_ok()) << actual.status().to_string();
    ASSERT_EQ(expected->size(), actual->size());
    for (size_t i = 0; i < expected->size(); ++i) {
      expect_same_tensor((*expected)[i], (*actual)[i], "output " + std::to_string(i));
    }
  }
  // The EmbeddingBag exports read their tables from the enclosing graph inside Loop bodies.
  EXPECT_GT(total_captures, 0);
}

bool uses_recinfer_ops(const ir::Graph& g) {
  for (const ir::Node& node : g.nodes) {
    if (ir::op_domain(node.op) == "ai.recinfer") return true;
    for (const auto& [key, attr] : node.attributes) {
      if (attr.graph && uses_recinfer_ops(*attr.graph)) return true;
    }
  }
  return false;
}

// What `recinfer optimize` saves: the pipeline's fused graphs (EmbeddingBag groups with omitted
// optional inputs, MaskedGather, ...) reload as the same IR. Kernels are not run here.
TEST(ModelWriterTest, OptimizedZooGraphsRoundTrip) {
  int fused_models = 0;
  for (const std::string& name : zoo_models()) {
    SCOPED_TRACE(name);
    auto loaded = onnx_io::load_model(kZoo + name + "/model.onnx");
    ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
    auto report = passes::optimize_graph(*loaded->graph);
    ASSERT_TRUE(report.is_ok()) << report.status().to_string();
    const std::string saved = save_to_temp(*loaded->graph, "writer_optimized_" + name);

    const bool fused = uses_recinfer_ops(*loaded->graph);
    fused_models += fused ? 1 : 0;
    const onnx::ModelProto proto = read_proto(saved);
    ASSERT_EQ(proto.opset_import_size(), fused ? 2 : 1);
    if (fused) {
      EXPECT_EQ(proto.opset_import(1).domain(), "ai.recinfer");
      EXPECT_EQ(proto.opset_import(1).version(), 1);
    }
    auto reloaded = onnx_io::load_model(saved);
    ASSERT_TRUE(reloaded.is_ok()) << reloaded.status().to_string();
    ASSERT_TRUE(ir::verify_graph(*reloaded->graph).is_ok());
    expect_same_graph(*loaded->graph, *reloaded->graph, name);
  }
  EXPECT_GT(fused_models, 0);
}

TEST(ModelWriterTest, ExternalDataIsAlignedAndReloadsZeroCopy) {
  const std::string original = kZoo + "dlrm_small_opset14/model.onnx";
  auto loaded = onnx_io::load_model(original);
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  for (size_t threshold : {size_t{0}, size_t{1024}}) {
    SCOPED_TRACE(threshold);
    onnx_io::SaveOptions options;
    options.external_data_threshold = threshold;
    const std::string saved =
        save_to_temp(*loaded->graph, "writer_external_" + std::to_string(threshold), options);
    ASSERT_TRUE(fs::exists(saved + ".data"));
    EXPECT_FALSE(fs::exists(saved + ".tmp"));
    EXPECT_FALSE(fs::exists(saved + ".data.tmp"));

    const onnx::ModelProto proto = read_proto(saved);
    int external = 0;
    int inline_small = 0;
    std::map<std::string, uint64_t> offsets;
    const char* mapping = nullptr;
    for (const auto& init : proto.graph().initializer()) {
      if (init.data_location() != onnx::TensorProto::EXTERNAL) {
        EXPECT_TRUE(threshold > 0 && init.raw_data().size() < threshold) << init.name();
        ++inline_small;
        continue;
      }
      ++external;
      std::map<std::string, std::string> entries;
      for (const auto& e : init.external_data()) entries[e.key()] = e.value();
      EXPECT_EQ(entries["location"], "model.onnx.data") << init.name();
      offsets[init.name()] = std::stoull(entries["offset"]);
      EXPECT_EQ(offsets[init.name()] % 64, 0u) << init.name();
      EXPECT_GE(std::stoull(entries["length"]), threshold) << init.name();
    }
    EXPECT_GT(external, 0);
    if (threshold == 0) {
      EXPECT_EQ(inline_small, 0);
    }

    auto reloaded = onnx_io::load_model(saved);
    ASSERT_TRUE(reloaded.is_ok()) << reloaded.status().to_string();
    int checked = 0;
    for (const ir::Value& value : loaded->graph->values) {
      if (!value.constant || value.constant->bytes() < std::max<size_t>(threshold, 1)) continue;
      auto id = reloaded->graph->find_value(value.name);
      ASSERT_TRUE(id.has_value()) << value.name;
      const Tensor& weights = *reloaded->graph->value(*id).constant;
      expect_same_tensor(*value.constant, weights, value.name);
      EXPECT_EQ(reinterpret_cast<uintptr_t>(weights.raw()) % 64, 0u) << value.name;
      // Zero-copy: all external tensors view one mapping, so their addresses are as far apart
      // as their file offsets.
      ASSERT_EQ(offsets.count(value.name), 1u) << value.name;
      const auto* base = static_cast<const char*>(weights.raw()) - offsets[value.name];
      if (mapping == nullptr) mapping = base;
      EXPECT_EQ(base, mapping) << value.name;
      ++checked;
    }
    EXPECT_GT(checked, 0);
  }
}

TEST(ModelWriterTest, ModelWithoutLargeTensorsWritesNoDataFile) {
  ir::Graph g;
  g.opset = 14;
  ir::Value x{"x", DType::kFloat32, std::vector<ir::Dim>{{4, ""}}, std::nullopt};
  g.inputs.push_back(g.add_value(std::move(x)));
  ir::Node relu;
  relu.op = ir::OpType::kRelu;
  relu.inputs = {g.inputs[0]};
  relu.num_declared_inputs = 1;
  relu.outputs = {g.add_value(ir::Value{"y", DType::kFloat32, std::nullopt, std::nullopt})};
  g.outputs = relu.outputs;
  g.nodes.push_back(relu);
  const std::string saved = save_to_temp(g, "writer_no_data");
  EXPECT_TRUE(fs::exists(saved));
  EXPECT_FALSE(fs::exists(saved + ".data"));
}

// A graph the fusion passes could produce: ai.recinfer ops, an omitted optional input in the
// middle, a string attribute, unnamed and clashing value names.
ir::Graph fused_graph() {
  ir::Graph g;
  g.name = "fused";
  g.opset = 14;
  auto add = [&](const std::string& name, DType dtype, std::optional<std::vector<ir::Dim>> shape) {
    return g.add_value(ir::Value{name, dtype, std::move(shape), std::nullopt});
  };
  const ir::ValueId ids = add("ids", DType::kInt64, std::vector<ir::Dim>{{-1, "batch"}, {3, ""}});
  const ir::ValueId indices = add("indices", DType::kInt64, std::vector<ir::Dim>{{-1, "n"}});
  const ir::ValueId starts = add("starts", DType::kInt64, std::vector<ir::Dim>{{-1, "batch"}});
  const ir::ValueId weights = add("weights", DType::kFloat32, std::vector<ir::Dim>{{-1, "n"}});
  g.inputs = {ids, indices, starts, weights};
  std::vector<float> table_data(6 * 4);
  for (size_t i = 0; i < table_data.size(); ++i) table_data[i] = 0.5f * static_cast<float>(i);
  const ir::ValueId table = add("table", DType::kFloat32, std::nullopt);
  g.value(table).constant = *Tensor::from_vector<float>(Shape{6, 4}, table_data);
  const ir::ValueId unused = add("unused_weight", DType::kFloat32, std::nullopt);
  g.value(unused).constant = *Tensor::from_vector<float>(Shape{1}, {1.0f});

  ir::Node gather;
  gather.name = "masked_gather";
  gather.op = ir::OpType::kMaskedGather;
  gather.opset = 1;
  gather.inputs = {table, ids};
  gather.num_declared_inputs = 2;
  gather.outputs = {add("", DType::kFloat32, std::nullopt)};  // unnamed
  g.nodes.push_back(gather);

  ir::Node bag;
  bag.name = "bag";
  bag.op = ir::OpType::kEmbeddingBag;
  bag.opset = 1;
  bag.inputs = {table, indices, starts, ir::kNoValue, weights};
  bag.num_declared_inputs = 5;
  bag.outputs = {add("ids", DType::kFloat32, std::vector<ir::Dim>{{-1, "batch"}, {4, ""}})};  // clash
  ir::Attribute mode;
  mode.kind = ir::Attribute::Kind::kString;
  mode.s = "mean";
  bag.attributes.emplace("mode", mode);
  g.nodes.push_back(bag);

  g.outputs = {gather.outputs[0], bag.outputs[0]};
  return g;
}

TEST(ModelWriterTest, RecinferOpsRoundTripWithOmittedInputsAndAttributes) {
  const ir::Graph g = fused_graph();
  const std::string saved = save_to_temp(g, "writer_fused");

  const onnx::ModelProto proto = read_proto(saved);
  ASSERT_EQ(proto.opset_import_size(), 2);
  EXPECT_EQ(proto.opset_import(1).domain(), "ai.recinfer");
  EXPECT_EQ(proto.opset_import(1).version(), 1);
  ASSERT_EQ(proto.graph().node_size(), 2);
  EXPECT_EQ(proto.graph().node(0).domain(), "ai.recinfer");
  EXPECT_EQ(proto.graph().node(1).input(3), "");
  ASSERT_EQ(proto.graph().initializer_size(), 1);  // the unused constant is dropped
  EXPECT_EQ(proto.graph().initializer(0).name(), "table");

  auto reloaded = onnx_io::load_model(saved);
  ASSERT_TRUE(reloaded.is_ok()) << reloaded.status().to_string();
  const ir::Graph& r = *reloaded->graph;
  ASSERT_TRUE(ir::verify_graph(r).is_ok());
  ASSERT_EQ(r.nodes.size(), 2u);
  const ir::Node& gather = r.nodes[0];
  EXPECT_EQ(gather.op, ir::OpType::kMaskedGather);
  EXPECT_EQ(gather.opset, 1);
  EXPECT_EQ(input_names(r, gather), (std::vector<std::string>{"table", "ids"}));
  EXPECT_TRUE(gather.attributes.empty());
  const ir::Node& bag = r.nodes[1];
  EXPECT_EQ(bag.op, ir::OpType::kEmbeddingBag);
  EXPECT_EQ(input_names(r, bag),
            (std::vector<std::string>{"table", "indices", "starts", "", "weights"}));
  EXPECT_EQ(bag.input(3), ir::kNoValue);
  EXPECT_EQ(bag.attr_string("mode", ""), "mean");
  expect_same_tensor(*g.value(*g.find_value("table")).constant,
                     *r.value(*r.find_value("table")).constant, "table");

  // Names are unique and non-empty; graph inputs keep theirs, later clashes are renamed.
  ASSERT_EQ(r.inputs.size(), 4u);
  EXPECT_EQ(r.value(r.inputs[0]).name, "ids");
  const std::string& unnamed = r.value(gather.outputs[0]).name;
  const std::string& clashed = r.value(bag.outputs[0]).name;
  EXPECT_FALSE(unnamed.empty());
  EXPECT_NE(clashed, "ids");
  EXPECT_EQ(r.outputs, (std::vector<ir::ValueId>{gather.outputs[0], bag.outputs[0]}));
  const ir::Value& bag_out = r.value(bag.outputs[0]);
  EXPECT_EQ(bag_out.dtype, DType::kFloat32);
  ASSERT_TRUE(bag_out.declared_shape.has_value());
  EXPECT_EQ((*bag_out.declared_shape)[0].symbol, "batch");
  EXPECT_EQ((*bag_out.declared_shape)[1].size, 4);
}

// Loop whose body reads the outer `w` through a capture named differently from `w`, and defines a
// value named like an outer one: the saved body must refer to `w` and must not shadow `x`.
ir::Graph loop_graph() {
  auto body = std::make_shared<ir::Graph>();
  body->opset = 14;
  const auto scalar = std::vector<ir::Dim>{};
  const ir::ValueId iter = body->add_value({"iter", DType::kInt64, scalar, std::nullopt});
  const ir::ValueId cond_in = body->add_value({"cond_in", DType::kBool, scalar, std::nullopt});
  const ir::ValueId carried = body->add_value({"carried", DType::kFloat32, std::nullopt, std::nullopt});
  const ir::ValueId w_local = body->add_value({"w_local", DType::kFloat32, std::nullopt, std::nullopt});
  body->inputs = {iter, cond_in, carried};
  body->captures = {w_local};
  ir::Node keep_going;
  keep_going.op = ir::OpType::kIdentity;
  keep_going.name = "keep_going";
  keep_going.inputs = {cond_in};
  keep_going.num_declared_inputs = 1;
  keep_going.outputs = {body->add_value({"cond_out", DType::kBool, std::nullopt, std::nullopt})};
  ir::Node step;
  step.op = ir::OpType::kAdd;
  step.name = "step";
  step.inputs = {carried, w_local};
  step.num_declared_inputs = 2;
  step.outputs = {body->add_value({"x", DType::kFloat32, std::nullopt, std::nullopt})};
  body->outputs = {keep_going.outputs[0], step.outputs[0]};
  body->nodes = {keep_going, step};

  ir::Graph g;
  g.opset = 14;
  const ir::ValueId x = g.add_value({"x", DType::kFloat32, std::vector<ir::Dim>{{2, ""}}, std::nullopt});
  g.inputs = {x};
  const ir::ValueId trip = g.add_value({"trip", DType::kInt64, std::nullopt, std::nullopt});
  g.value(trip).constant = *Tensor::from_vector<int64_t>(Shape{}, {3});
  const ir::ValueId cond = g.add_value({"cond", DType::kBool, std::nullopt, std::nullopt});
  g.value(cond).constant = *Tensor::from_vector<bool>(Shape{}, {true});
  const ir::ValueId w = g.add_value({"w", DType::kFloat32, std::nullopt, std::nullopt});
  g.value(w).constant = *Tensor::from_vector<float>(Shape{2}, {1.5f, -2.0f});
  ir::Node loop;
  loop.op = ir::OpType::kLoop;
  loop.name = "loop";
  loop.inputs = {trip, cond, x, w};
  loop.num_declared_inputs = 3;
  loop.outputs = {g.add_value({"y", DType::kFloat32, std::vector<ir::Dim>{{2, ""}}, std::nullopt})};
  ir::Attribute attr;
  attr.kind = ir::Attribute::Kind::kGraph;
  attr.graph = body;
  loop.attributes.emplace("body", attr);
  g.nodes.push_back(loop);
  g.outputs = loop.outputs;
  return g;
}

TEST(ModelWriterTest, LoopCapturesAreWrittenAsOuterNamesWithoutShadowing) {
  const std::string saved = save_to_temp(loop_graph(), "writer_loop");

  const onnx::ModelProto proto = read_proto(saved);
  const onnx::GraphProto& body = proto.graph().node(0).attribute(0).g();
  EXPECT_EQ(body.node(1).input(1), "w");
  EXPECT_NE(body.node(1).output(0), "x");
  EXPECT_EQ(body.input_size(), 3);

  auto reloaded = onnx_io::load_model(saved);
  ASSERT_TRUE(reloaded.is_ok()) << reloaded.status().to_string();
  ASSERT_TRUE(ir::verify_graph(*reloaded->graph).is_ok());
  const ir::Node& loop = reloaded->graph->nodes[0];
  EXPECT_EQ(loop.num_declared_inputs, 3);
  EXPECT_EQ(input_names(*reloaded->graph, loop), (std::vector<std::string>{"trip", "cond", "x", "w"}));
  EXPECT_EQ(loop.attr_graph("body")->captures.size(), 1u);

  auto x = Tensor::from_vector<float>(Shape{2}, {1.0f, 2.0f});
  auto out = run_model(saved, {*x});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ((*out)[0].data<float>()[0], 1.0f + 3 * 1.5f);
  EXPECT_EQ((*out)[0].data<float>()[1], 2.0f - 3 * 2.0f);
}

TEST(ModelWriterTest, UnwritablePathIsAnIoErrorNamingThePath) {
  const ir::Graph g = fused_graph();
  const std::string dir = testing::temp_dir("writer_unwritable");
  std::ofstream(dir + "/plain_file") << "x";
  for (const std::string& path :
       {dir + "/no_such_dir/model.onnx", dir + "/plain_file/model.onnx", dir}) {
    Status st = onnx_io::save_model(g, path);
    ASSERT_FALSE(st.is_ok()) << path;
    EXPECT_EQ(st.code(), StatusCode::kIoError) << st.to_string();
    EXPECT_NE(st.message().find(path), std::string::npos) << st.message();
  }
  // Externalised weights whose data file cannot be created fail the same way.
  onnx_io::SaveOptions all_external;
  all_external.external_data_threshold = 0;
  Status st = onnx_io::save_model(g, dir + "/no_such_dir/model.onnx", all_external);
  EXPECT_EQ(st.code(), StatusCode::kIoError) << st.to_string();
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

TEST(ModelWriterTest, InvalidGraphsAreRejectedBeforeWriting) {
  const std::string dir = testing::temp_dir("writer_invalid");
  ir::Graph no_opset = fused_graph();
  no_opset.opset = 0;
  EXPECT_EQ(onnx_io::save_model(no_opset, dir + "/model.onnx").code(), StatusCode::kInvalidArgument);

  ir::Graph dangling = fused_graph();
  dangling.nodes[1].inputs[1] = 999;
  Status st = onnx_io::save_model(dangling, dir + "/model.onnx");
  EXPECT_EQ(st.code(), StatusCode::kInternal);
  EXPECT_NE(st.message().find("node 'bag'"), std::string::npos) << st.message();
  EXPECT_TRUE(fs::is_empty(dir));
}

}  // namespace
}  // namespace recinfer
