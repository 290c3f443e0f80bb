#include "onnx/model_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/model_builder.h"

namespace recinfer {
namespace {

using testing::ModelBuilder;
namespace fs = std::filesystem;

ModelBuilder relu_model() {
  ModelBuilder b;
  b.input("x", onnx::TensorProto::FLOAT, {-1, 4});
  b.node("Relu", {"x"}, {"y"}, "relu");
  b.output("y", onnx::TensorProto::FLOAT, {-1, 4});
  return b;
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

TEST(ModelLoaderTest, LoadsAValidModelWithSymbolicBatch) {
  auto model = onnx_io::load_model(relu_model().write(testing::temp_dir("valid")));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  const ir::Graph& g = *model->graph;
  ASSERT_EQ(g.inputs.size(), 1u);
  const auto& dims = *g.value(g.inputs[0]).declared_shape;
  EXPECT_FALSE(dims[0].is_fixed());
  EXPECT_EQ(dims[0].symbol, "batch");
  EXPECT_EQ(dims[1].size, 4);
  EXPECT_EQ(model->opset, 14);
}

TEST(ModelLoaderTest, TruncatedProtobufIsAnError) {
  std::string bytes = relu_model().serialize();
  std::string dir = testing::temp_dir("truncated");
  for (size_t cut : {bytes.size() / 2, bytes.size() - 3, size_t{5}}) {
    write_bytes(dir + "/model.onnx", bytes.substr(0, cut));
    auto model = onnx_io::load_model(dir + "/model.onnx");
    EXPECT_FALSE(model.is_ok()) << "cut at " << cut;
  }
}

TEST(ModelLoaderTest, UnknownOpNamesOpAndOpset) {
  ModelBuilder b;
  b.input("x", onnx::TensorProto::FLOAT, {2});
  b.node("FancyConv", {"x"}, {"y"}, "conv0");
  b.output("y", onnx::TensorProto::FLOAT);
  auto model = onnx_io::load_model(b.write(testing::temp_dir("unknown_op")));
  ASSERT_FALSE(model.is_ok());
  EXPECT_EQ(model.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(model.status().message().find("unsupported op FancyConv (opset 14)"), std::string::npos)
      << model.status().message();
  EXPECT_NE(model.status().message().find("conv0"), std::string::npos);
}

TEST(ModelLoaderTest, EveryUnknownOpIsListedInOneError) {
  ModelBuilder b;
  b.input("x", onnx::TensorProto::FLOAT, {2});
  b.node("FancyConv", {"x"}, {"y"}, "conv0");
  b.node("FancyPool", {"y"}, {"z"}, "pool0");
  b.node("FancyConv", {"z"}, {"w"}, "conv1");
  b.output("w", onnx::TensorProto::FLOAT);
  auto model = onnx_io::load_model(b.write(testing::temp_dir("unknown_ops")));
  ASSERT_FALSE(model.is_ok());
  const std::string& message = model.status().message();
  EXPECT_NE(message.find("unsupported op FancyConv (opset 14) in 2 nodes, first 'conv0'"),
            std::string::npos) << message;
  EXPECT_NE(message.find("unsupported op FancyPool (opset 14) in 1 node, first 'pool0'"),
            std::string::npos) << message;
}

TEST(ModelLoaderTest, OpsWithoutAKernelAreListedWithTheUnknownOnes) {
  ModelBuilder b;
  b.input("x", onnx::TensorProto::FLOAT, {2});
  b.node("Relu", {"x"}, {"y"}, "relu0");
  b.node("FancyPool", {"y"}, {"z"}, "pool0");
  b.output("z", onnx::TensorProto::FLOAT);
  const std::string path = b.write(testing::temp_dir("unsupported_known_op"));
  // A support function that refuses Relu stands in for an op listed in ops.def without a kernel.
  onnx_io::LoadOptions no_relu;
  no_relu.supported = [](ir::OpType op) { return op != ir::OpType::kRelu; };
  auto model = onnx_io::load_model(path, no_relu);
  ASSERT_FALSE(model.is_ok());
  const std::string& message = model.status().message();
  EXPECT_NE(message.find("unsupported op Relu (opset 14) in 1 node, first 'relu0'"),
            std::string::npos) << message;
  EXPECT_NE(message.find("FancyPool"), std::string::npos) << message;
  onnx_io::LoadOptions all;
  all.supported = [](ir::OpType) { return true; };
  EXPECT_TRUE(onnx_io::load_model(path, all).status().message().find("Relu") == std::string::npos);
}

TEST(ModelLoaderTest, MissingInitializerNamesTheInput) {
  ModelBuilder b;
  b.input("x", onnx::TensorProto::FLOAT, {2});
  b.node("Add", {"x", "bias"}, {"y"}, "add0");
  b.output("y", onnx::TensorProto::FLOAT);
  auto model = onnx_io::load_model(b.write(testing::temp_dir("missing_init")));
  ASSERT_FALSE(model.is_ok());
  EXPECT_NE(model.status().message().find("'bias'"), std::string::npos) << model.status().message();
  EXPECT_NE(model.status().message().find("add0"), std::string::npos);
}

TEST(ModelLoaderTest, UnknownDtypeIsUnsupported) {
  ModelBuilder b = relu_model();
  auto* t = b.graph().add_initializer();
  t->set_name("weird");
  t->set_data_type(14);  // COMPLEX64
  t->add_dims(1);
  t->set_raw_data(std::string(8, '\0'));
  auto model = onnx_io::load_model(b.write(testing::temp_dir("dtype")));
  ASSERT_FALSE(model.is_ok());
  EXPECT_NE(model.status().message().find("weird"), std::string::npos);
  EXPECT_NE(model.status().message().find("14"), std::string::npos);
}

TEST(ModelLoaderTest, OverflowingShapeIsRejectedBeforeAllocation) {
  ModelBuilder b = relu_model();
  auto* t = b.graph().add_initializer();
  t->set_name("huge");
  t->set_data_type(onnx::TensorProto::FLOAT);
  t->add_dims(int64_t{1} << 40);
  t->add_dims(int64_t{1} << 40);
  t->set_raw_data(std::string(16, '\0'));
  auto model = onnx_io::load_model(b.write(testing::temp_dir("overflow")));
  ASSERT_FALSE(model.is_ok());
  EXPECT_NE(model.status().message().find("huge"), std::string::npos) << model.status().message();
  EXPECT_NE(model.status().message().find("overflow"), std::string::npos);
}

TEST(ModelLoaderTest, DeclaredTensorLargerThanItsDataIsRejected) {
  ModelBuilder b = relu_model();
  auto* t = b.graph().add_initializer();
  t->set_name("short");
  t->set_data_type(onnx::TensorProto::FLOAT);
  t->add_dims(1000000);
  t->set_raw_data(std::string(16, '\0'));
  auto model = onnx_io::load_model(b.write(testing::temp_dir("short")));
  ASSERT_FALSE(model.is_ok());
  EXPECT_NE(model.status().message().find("short"), std::string::npos);
  EXPECT_NE(model.status().message().find("4000000 bytes"), std::string::npos)
      << model.status().message();
}

// Found by fuzz_tensor_proto: a double in an int16 tensor was converted with static_cast (UB when
// out of range). Values must sit in the dtype's own field, as ONNX specifies.
TEST(ModelLoaderTest, TypedValuesOutsideTheDtypesFieldAreRejected) {
  ModelBuilder b = relu_model();
  auto* t = b.graph().add_initializer();
  t->set_name("narrow");
  t->set_data_type(onnx::TensorProto::INT16);
  t->add_dims(2);
  t->add_double_data(1e300);
  t->add_double_data(-4.0);
  auto model = onnx_io::load_model(b.write(testing::temp_dir("wrong_field")));
  ASSERT_FALSE(model.is_ok());
  EXPECT_NE(model.status().message().find("narrow"), std::string::npos);
  EXPECT_NE(model.status().message().find("int32_data"), std::string::npos)
      << model.status().message();

  ModelBuilder ok = relu_model();
  auto* good = ok.graph().add_initializer();
  good->set_name("narrow");
  good->set_data_type(onnx::TensorProto::INT16);
  good->add_dims(2);
  good->add_int32_data(-3);
  good->add_int32_data(7);
  auto loaded = onnx_io::load_model(ok.write(testing::temp_dir("right_field")));
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  auto id = loaded->graph->find_value("narrow");
  ASSERT_TRUE(id.has_value());
  const Tensor& value = *loaded->graph->value(*id).constant;
  ASSERT_EQ(value.dtype(), DType::kInt16);
  EXPECT_EQ(value.data<int16_t>()[0], -3);
  EXPECT_EQ(value.data<int16_t>()[1], 7);
}

TEST(ModelLoaderTest, OpsetAbove17IsUnsupported) {
  ModelBuilder b(18);
  b.input("x", onnx::TensorProto::FLOAT, {2});
  b.node("Relu", {"x"}, {"y"});
  b.output("y", onnx::TensorProto::FLOAT);
  auto model = onnx_io::load_model(b.write(testing::temp_dir("opset18")));
  ASSERT_FALSE(model.is_ok());
  EXPECT_EQ(model.status().code(), StatusCode::kUnsupported);
}

// The ai.recinfer domain ---------------------------------------------------------------------

ModelBuilder masked_gather_model(int recinfer_version) {
  ModelBuilder b;
  if (recinfer_version > 0) {
    auto* import = b.model().add_opset_import();
    import->set_domain("ai.recinfer");
    import->set_version(recinfer_version);
  }
  b.input("ids", onnx::TensorProto::INT64, {-1, 3});
  b.initializer_f32("table", {2, 2}, {1, 2, 3, 4});
  b.node("MaskedGather", {"table", "ids"}, {"rows"}, "gather0").set_domain("ai.recinfer");
  b.output("rows", onnx::TensorProto::FLOAT, {-1, 3, 2});
  return b;
}

TEST(ModelLoaderTest, RecinferDomainVersion1Loads) {
  auto model = onnx_io::load_model(masked_gather_model(1).write(testing::temp_dir("recinfer_v1")));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  ASSERT_EQ(model->graph->nodes.size(), 1u);
  const ir::Node& node = model->graph->nodes[0];
  EXPECT_EQ(node.op, ir::OpType::kMaskedGather);
  EXPECT_EQ(node.opset, 1);
  EXPECT_EQ(model->opset, 14);
}

TEST(ModelLoaderTest, OtherRecinferDomainVersionsAreUnsupported) {
  auto model = onnx_io::load_model(masked_gather_model(2).write(testing::temp_dir("recinfer_v2")));
  ASSERT_FALSE(model.is_ok());
  EXPECT_EQ(model.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(model.status().message().find("domain ai.recinfer version 2"), std::string::npos)
      << model.status().message();
}

TEST(ModelLoaderTest, RecinferNodeWithoutTheDomainImportIsAnError) {
  auto model = onnx_io::load_model(masked_gather_model(0).write(testing::temp_dir("recinfer_none")));
  ASSERT_FALSE(model.is_ok());
  EXPECT_NE(model.status().message().find("gather0"), std::string::npos) << model.status().message();
  EXPECT_NE(model.status().message().find("ai.recinfer, which the model does not import"),
            std::string::npos)
      << model.status().message();
}

TEST(ModelLoaderTest, UnknownRecinferOpNamesTheDomain) {
  ModelBuilder b = masked_gather_model(1);
  b.graph().mutable_node(0)->set_op_type("FancyGather");
  auto model = onnx_io::load_model(b.write(testing::temp_dir("recinfer_unknown")));
  ASSERT_FALSE(model.is_ok());
  EXPECT_EQ(model.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(model.status().message().find("unsupported op FancyGather (domain ai.recinfer)"),
            std::string::npos)
      << model.status().message();
}

TEST(ModelLoaderTest, RecinferOpsAreNotFoundInTheDefaultDomain) {
  ModelBuilder b = masked_gather_model(1);
  b.graph().mutable_node(0)->clear_domain();
  auto model = onnx_io::load_model(b.write(testing::temp_dir("recinfer_default")));
  ASSERT_FALSE(model.is_ok());
  EXPECT_NE(model.status().message().find("unsupported op MaskedGather (opset 14)"), std::string::npos)
      << model.status().message();
}

TEST(ModelLoaderTest, OtherDomainImportsAreAcceptedUntilANodeUsesThem) {
  ModelBuilder b = relu_model();
  auto* import = b.model().add_opset_import();
  import->set_domain("ai.onnx.ml");
  import->set_version(3);
  auto model = onnx_io::load_model(b.write(testing::temp_dir("ml_import")));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();

  b.node("LabelEncoder", {"y"}, {"z"}, "encoder").set_domain("ai.onnx.ml");
  auto with_ml_node = onnx_io::load_model(b.write(testing::temp_dir("ml_node")));
  ASSERT_FALSE(with_ml_node.is_ok());
  EXPECT_NE(with_ml_node.status().message().find("unsupported op LabelEncoder (domain ai.onnx.ml)"),
            std::string::npos)
      << with_ml_node.status().message();
}

// External data ------------------------------------------------------------------------------

ModelBuilder external_model(const std::string& location, int64_t offset, int64_t length) {
  ModelBuilder b;
  b.input("x", onnx::TensorProto::FLOAT, {4});
  b.node("Add", {"x", "w"}, {"y"}, "add0");
  b.output("y", onnx::TensorProto::FLOAT, {4});
  auto* t = b.graph().add_initializer();
  t->set_name("w");
  t->set_data_type(onnx::TensorProto::FLOAT);
  t->add_dims(4);
  t->set_data_location(onnx::TensorProto::EXTERNAL);
  auto add = [&](const std::string& k, const std::string& v) {
    auto* e = t->add_external_data();
    e->set_key(k);
    e->set_value(v);
  };
  add("location", location);
  add("offset", std::to_string(offset));
  if (length >= 0) add("length", std::to_string(length));
  return b;
}

std::string write_weights(const std::string& dir, size_t pad) {
  std::string bytes(pad, '\0');
  float w[4] = {1, 2, 3, 4};
  bytes.append(reinterpret_cast<const char*>(w), sizeof(w));
  write_bytes(dir + "/weights.bin", bytes);
  return dir + "/weights.bin";
}

TEST(ModelLoaderTest, ExternalDataIsMappedAlignedAndCorrect) {
  for (size_t pad : {size_t{0}, size_t{12}}) {  // aligned (zero-copy) and unaligned (copied)
    std::string dir = testing::temp_dir("external" + std::to_string(pad));
    write_weights(dir, pad);
    auto model = onnx_io::load_model(external_model("weights.bin", static_cast<int64_t>(pad), 16).write(dir));
    ASSERT_TRUE(model.is_ok()) << model.status().to_string();
    const ir::Value& w = model->graph->value(*model->graph->find_value("w"));
    ASSERT_TRUE(w.constant.has_value());
    EXPECT_EQ(reinterpret_cast<uintptr_t>(w.constant->raw()) % 64, 0u);
    EXPECT_EQ(w.constant->data<float>()[3], 4.0f);
  }
}

// Tables of 8 MiB and more are copied onto (2 MiB-aligned, huge-page advised) anonymous memory.
TEST(ModelLoaderTest, BigExternalTablesAreCopiedOntoHugePageAlignedMemory) {
  std::string dir = testing::temp_dir("external_big");
  const int64_t rows = 2 * 1024 + 3, cols = 1024;  // a little over 8 MiB of float32
  std::string bytes(12, '\0');  // an unaligned offset: the copy must start at the data
  for (int64_t i = 0; i < rows * cols; ++i) {
    const float v = static_cast<float>(i % 9973);
    bytes.append(reinterpret_cast<const char*>(&v), sizeof(v));
  }
  write_bytes(dir + "/weights.bin", bytes);
  ModelBuilder b;
  b.input("ids", onnx::TensorProto::INT64, {2});
  b.node("Gather", {"table", "ids"}, {"y"}, "lookup");
  b.output("y", onnx::TensorProto::FLOAT, {2, cols});
  auto* t = b.graph().add_initializer();
  t->set_name("table");
  t->set_data_type(onnx::TensorProto::FLOAT);
  t->add_dims(rows);
  t->add_dims(cols);
  t->set_data_location(onnx::TensorProto::EXTERNAL);
  for (auto [k, v] : {std::pair<std::string, std::string>{"location", "weights.bin"}, {"offset", "12"}}) {
    auto* e = t->add_external_data();
    e->set_key(k);
    e->set_value(v);
  }
  auto model = onnx_io::load_model(b.write(dir));
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  const ir::Value& table = model->graph->value(*model->graph->find_value("table"));
  ASSERT_TRUE(table.constant.has_value());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(table.constant->raw()) % (uintptr_t{2} << 20), 0u);
  const float* data = table.constant->data<float>();
  for (int64_t i : {int64_t{0}, int64_t{1}, cols * 1000 + 7, rows * cols - 1}) {
    EXPECT_EQ(data[i], static_cast<float>(i % 9973)) << i;
  }
}

TEST(ModelLoaderTest, ExternalDataPathsThatEscapeAreRefused) {
  std::string dir = testing::temp_dir("escape");
  std::string outside = testing::temp_dir("escape_outside");
  write_weights(outside, 0);
  fs::create_symlink(outside + "/weights.bin", dir + "/link.bin");
  for (const std::string& location :
       {outside + "/weights.bin", std::string("../escape_outside/weights.bin"), std::string("link.bin")}) {
    auto model = onnx_io::load_model(external_model(location, 0, 16).write(dir));
    ASSERT_FALSE(model.is_ok()) << location;
    EXPECT_NE(model.status().message().find("'w'"), std::string::npos) << model.status().message();
  }
}

// A folder of symlinks to a model (model.onnx and its weights) loads the linked model's weights;
// a weights link that leaves the real model's folder is still refused (previous test).
TEST(ModelLoaderTest, SymlinkedModelReadsItsOwnFoldersExternalData) {
  std::string real = testing::temp_dir("linked_real");
  write_weights(real, 0);
  external_model("weights.bin", 0, 16).write(real);
  std::string links = testing::temp_dir("linked_links");
  fs::create_symlink(real + "/model.onnx", links + "/model.onnx");
  fs::create_symlink(real + "/weights.bin", links + "/weights.bin");
  auto model = onnx_io::load_model(links + "/model.onnx");
  ASSERT_TRUE(model.is_ok()) << model.status().to_string();
  const ir::Value& w = model->graph->value(*model->graph->find_value("w"));
  EXPECT_EQ(w.constant->data<float>()[3], 4.0f);
}

TEST(ModelLoaderTest, ExternalDataPastEndOfFileIsRefused) {
  std::string dir = testing::temp_dir("past_end");
  write_weights(dir, 0);
  auto model = onnx_io::load_model(external_model("weights.bin", 8, -1).write(dir));
  ASSERT_FALSE(model.is_ok());
  EXPECT_NE(model.status().message().find("past the end"), std::string::npos)
      << model.status().message();
  auto wrong_length = onnx_io::load_model(external_model("weights.bin", 0, 12).write(dir));
  ASSERT_FALSE(wrong_length.is_ok());
  auto missing = onnx_io::load_model(external_model("nope.bin", 0, 16).write(dir));
  ASSERT_FALSE(missing.is_ok());
}

}  // namespace
}  // namespace recinfer
