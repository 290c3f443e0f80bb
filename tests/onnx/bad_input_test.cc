// Issue 12 at the loader: attribute types that disagree with their payload, graphs without
// outputs, impossible opsets, hard-linked or non-regular external data, initializers past the
// tensor limit — each a load error naming the node/tensor and the value.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "core/mapped_file.h"
#include "onnx/model_loader.h"
#include "onnx/tensor_proto.h"
#include "support/bad_models.h"

namespace recinfer {
namespace {

namespace fs = std::filesystem;
using namespace testing;  // NOLINT(google-build-using-namespace)

void expect_load_error(const ModelBuilder& model, const std::string& tag, const std::string& expected,
                       const onnx_io::LoadOptions& options = {}) {
  auto loaded = onnx_io::load_model(model.write(temp_dir(tag)), options);
  ASSERT_FALSE(loaded.is_ok()) << tag;
  EXPECT_NE(loaded.status().message().find(expected), std::string::npos)
      << tag << ": " << loaded.status().message();
}

TEST(BadInputTest, AttributeTypeMustMatchItsPayload) {
  expect_load_error(reduce_axes_model(onnx::AttributeProto::GRAPH), "attr_graph",
                    "node 'reduce_rows' (ReduceSum): attribute 'axes': declared type GRAPH does not "
                    "match its payload (INTS)");
  expect_load_error(reduce_axes_model(onnx::AttributeProto::INT), "attr_int",
                    "declared type INT does not match its payload (INTS)");
  expect_load_error(reduce_axes_model(onnx::AttributeProto::UNDEFINED), "attr_undefined",
                    "attribute 'axes': type is UNDEFINED but it holds a payload (INTS)");
  auto ok = onnx_io::load_model(reduce_axes_model(onnx::AttributeProto::INTS).write(temp_dir("attr_ok")));
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(ok->graph->nodes[0].attr_ints("axes"), std::vector<int64_t>{1});
}

TEST(BadInputTest, EmptyListPayloadIsNotAMismatch) {
  ModelBuilder b = reduce_axes_model(onnx::AttributeProto::INTS);
  b.graph().mutable_node(0)->mutable_attribute(0)->clear_ints();  // axes = [] is a valid INTS
  auto ok = onnx_io::load_model(b.write(temp_dir("attr_empty")));
  EXPECT_TRUE(ok.is_ok()) << ok.status().to_string();
}

TEST(BadInputTest, GraphWithoutOutputsIsRefused) {
  expect_load_error(no_outputs_model(), "no_outputs", "graph 'test' has no outputs");
}

TEST(BadInputTest, OpsetOutsideOneToTwentyTwoIsRefused) {
  for (int64_t version : {int64_t{0}, int64_t{-1}, int64_t{23}, int64_t{1} << 32}) {
    expect_load_error(opset_model(version), "opset" + std::to_string(version),
                      "opset_import of the default domain has version " + std::to_string(version));
  }
  // Known but newer than supported: unsupported, as before.
  auto v18 = onnx_io::load_model(opset_model(18).write(temp_dir("opset18b")));
  ASSERT_FALSE(v18.is_ok());
  EXPECT_EQ(v18.status().code(), StatusCode::kUnsupported);
}

TEST(BadInputTest, InitializerPastTheTensorLimitIsRefusedBeforeReading) {
  onnx_io::LoadOptions options;
  options.limits.max_tensor_bytes = 16;
  expect_load_error(initializer_model({4, 4}, false), "init_limit",
                    "tensor 'w' declares shape (4,4) of float32 (64 bytes), more than the tensor "
                    "limit 16 bytes (raise with --max-tensor-bytes)",
                    options);
  options.limits.max_tensor_bytes = 64;
  auto ok = onnx_io::load_model(initializer_model({4, 4}, false).write(temp_dir("init_ok")), options);
  EXPECT_TRUE(ok.is_ok()) << ok.status().to_string();
}

TEST(BadInputTest, HardLinkedExternalDataNeedsPermission) {
  const std::string dir = temp_dir("hardlink");
  const std::string outside = temp_dir("hardlink_outside");
  const std::string model = write_external_model(initializer_model({2}, true), dir, {2});
  fs::rename(dir + "/weights.bin", outside + "/secret.bin");
  fs::create_hard_link(outside + "/secret.bin", dir + "/weights.bin");
  auto refused = onnx_io::load_model(model);
  ASSERT_FALSE(refused.is_ok());
  const std::string& msg = refused.status().message();
  EXPECT_NE(msg.find("tensor 'w': external data 'weights.bin' has 2 hard links"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("--allow-hardlinks"), std::string::npos) << msg;
  onnx_io::LoadOptions allow;
  allow.allow_external_hardlinks = true;
  auto allowed = onnx_io::load_model(model, allow);
  EXPECT_TRUE(allowed.is_ok()) << allowed.status().to_string();
  // One link again: loads without permission.
  fs::remove(outside + "/secret.bin");
  EXPECT_TRUE(onnx_io::load_model(model).is_ok());
}

// A FIFO is refused at once (no open() that waits for a writer), as model, external data and
// input .pb; so is a directory.
TEST(BadInputTest, NonRegularFilesAreRefusedWithoutBlocking) {
  const std::string dir = temp_dir("fifo");
  ASSERT_EQ(mkfifo((dir + "/model.onnx").c_str(), 0600), 0);
  auto model = onnx_io::load_model(dir + "/model.onnx");
  ASSERT_FALSE(model.is_ok());
  EXPECT_NE(model.status().message().find("model.onnx' is a FIFO"), std::string::npos)
      << model.status().message();
  auto as_dir = MappedFile::open(dir);
  ASSERT_FALSE(as_dir.is_ok());
  EXPECT_NE(as_dir.status().message().find("is a directory"), std::string::npos);

  const std::string ext = temp_dir("fifo_external");
  const std::string path = write_external_model(initializer_model({2}, true), ext, {2});
  fs::remove(ext + "/weights.bin");
  ASSERT_EQ(mkfifo((ext + "/weights.bin").c_str(), 0600), 0);
  auto external = onnx_io::load_model(path);
  ASSERT_FALSE(external.is_ok());
  EXPECT_NE(external.status().message().find("weights.bin' is a FIFO"), std::string::npos)
      << external.status().message();

  ASSERT_EQ(mkfifo((dir + "/input_0.pb").c_str(), 0600), 0);
  auto input = onnx_io::read_tensor_file(dir + "/input_0.pb");
  ASSERT_FALSE(input.is_ok());
  EXPECT_NE(input.status().message().find("input_0.pb' is a FIFO"), std::string::npos);
}

}  // namespace
}  // namespace recinfer
