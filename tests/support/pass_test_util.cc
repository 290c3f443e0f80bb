#include "support/pass_test_util.h"
#include "recinfer/session.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "onnx/model_loader.h"

namespace recinfer::passes::testing {

std::string zoo_model(const std::string& name) {
  return std::string(RECINFER_SOURCE_DIR) + "/models/zoo/" + name + "/model.onnx";
}

std::shared_ptr<ir::Graph> load_graph(const std::string& path) {
  auto model = onnx_io::load_model(path);
  EXPECT_TRUE(model.is_ok()) << model.status().to_string();
  return model.is_ok() ? model->graph : std::make_shared<ir::Graph>();
}

PipelineReport run_only(ir::Graph& graph, const std::vector<std::string>& enabled) {
  PipelineOptions options;
  for (const PassInfo& p : list_passes()) {
    if (std::find(enabled.begin(), enabled.end(), p.name) == enabled.end()) {
      options.disabled.push_back(p.name);
    }
  }
  auto report = optimize_graph(graph, options);
  EXPECT_TRUE(report.is_ok()) << report.status().to_string();
  return report.is_ok() ? *report : PipelineReport{};
}

static void count(const ir::Graph& graph, std::map<std::string, int>& counts) {
  for (const ir::Node& node : graph.nodes) {
    ++counts[std::string(ir::op_name(node.op))];
    for (const auto& [key, attribute] : node.attributes) {
      if (attribute.kind == ir::Attribute::Kind::kGraph && attribute.graph) {
        count(*attribute.graph, counts);
      }
    }
  }
}

std::map<std::string, int> op_counts(const ir::Graph& graph) {
  std::map<std::string, int> counts;
  count(graph, counts);
  return counts;
}

const PassReport* find_report(const PipelineReport& report, const std::string& pass) {
  for (const PassReport& p : report.passes) {
    if (p.pass == pass) return &p;
  }
  return nullptr;
}

const ir::Node* find_op(const ir::Graph& g, ir::OpType op) {
  for (const ir::Node& node : g.nodes) {
    if (node.op == op) return &node;
  }
  return nullptr;
}

void expect_outputs_both_ways(const std::string& path, const std::vector<Tensor>& inputs,
                              const std::vector<float>& expected, const Shape& shape,
                              float tolerance) {
  for (bool optimize : {true, false}) {
    SessionOptions options;
    options.optimize = optimize;
    auto session = Session::load(path, options);
    ASSERT_TRUE(session.is_ok()) << session.status().to_string();
    std::vector<Tensor> out;
    Status st = (*session)->run(inputs, out);
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    ASSERT_EQ(out[0].shape(), shape) << "optimize " << optimize;
    ASSERT_EQ(static_cast<size_t>(out[0].numel()), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      if (std::isinf(expected[i])) {  // e.g. the max of an empty bag
        EXPECT_EQ(out[0].data<float>()[i], expected[i]) << "element " << i << " optimize " << optimize;
        continue;
      }
      EXPECT_NEAR(out[0].data<float>()[i], expected[i], tolerance * (1 + std::fabs(expected[i])))
          << "element " << i << " optimize " << optimize;
    }
  }
}

}  // namespace recinfer::passes::testing
