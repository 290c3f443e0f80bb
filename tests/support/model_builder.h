// Builds small ONNX models in tests (protobuf), written to a temp folder, so loader and runtime
// tests exercise the real file path.
#pragma once

#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

namespace recinfer::testing {

class ModelBuilder {
 public:
  explicit ModelBuilder(int opset = 14);
  onnx::GraphProto& graph() { return *model_.mutable_graph(); }
  onnx::ModelProto& model() { return model_; }

  // dims: -1 = symbolic ("batch").
  void input(const std::string& name, int elem_type, const std::vector<int64_t>& dims);
  void output(const std::string& name, int elem_type, const std::vector<int64_t>& dims = {});
  onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs, const std::string& name = "");
  onnx::TensorProto& initializer_f32(const std::string& name, const std::vector<int64_t>& dims,
                                     const std::vector<float>& values);
  onnx::TensorProto& initializer_i64(const std::string& name, const std::vector<int64_t>& dims,
                                     const std::vector<int64_t>& values);

  std::string serialize() const;
  // Writes <dir>/model.onnx (creating dir) and returns the path.
  std::string write(const std::string& dir) const;

 private:
  onnx::ModelProto model_;
};

void add_attr_int(onnx::NodeProto& node, const std::string& name, int64_t v);
void add_attr_ints(onnx::NodeProto& node, const std::string& name, const std::vector<int64_t>& v);
std::string temp_dir(const std::string& tag);

}  // namespace recinfer::testing
