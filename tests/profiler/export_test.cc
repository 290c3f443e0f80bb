// Exporters: trace.json is valid Chrome trace JSON, ops.csv has one row per op instance plus the
// per-type aggregate sorted by total.
#include "profiler/export.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "recinfer/session.h"
#include "support/model_builder.h"
#include "support/profiling.h"

namespace recinfer {
namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);) lines.push_back(line);
  return lines;
}

struct Profiled {
  profiler::Profile profile;
  std::vector<profiler::OpRow> rows;
  profiler::Summary summary;
};

Profiled profile_zoo(const std::string& name, int threads, int iterations) {
  Profiled out;
  testing::ZooModel model = testing::load_zoo_model(name, threads);
  if (model.session == nullptr) return out;
  out.profile = testing::profile_runs(*model.session, model.inputs, iterations);
  out.rows = profiler::op_rows(out.profile);
  out.summary = profiler::summarize(out.profile, out.rows);
  return out;
}

TEST(ProfilerExportTest, ChromeTraceIsValidJsonWithCompleteEvents) {
  Profiled p = profile_zoo("coarse_rank_opset14", 2, 3);
  ASSERT_FALSE(p.rows.empty());
  const std::string path = testing::temp_dir("profiler_trace") + "/trace.json";
  ASSERT_TRUE(profiler::write_chrome_trace(p.profile, p.rows, path).is_ok());
  nlohmann::json trace =
      nlohmann::json::parse(testing::read_file(path), nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(trace.is_discarded()) << "trace.json is not valid JSON";
  ASSERT_TRUE(trace.contains("traceEvents"));
  ASSERT_TRUE(trace["traceEvents"].is_array());
  size_t op_events = 0, thread_names = 0;
  for (const auto& e : trace["traceEvents"]) {
    ASSERT_TRUE(e.contains("ph"));
    if (e["ph"] == "M") {
      thread_names += e["name"] == "thread_name" ? 1 : 0;
      continue;
    }
    ASSERT_EQ(e["ph"], "X");
    for (const char* key : {"ts", "dur", "pid", "tid", "name"}) ASSERT_TRUE(e.contains(key)) << key;
    EXPECT_TRUE(e["ts"].is_number());
    EXPECT_GE(e["dur"].get<double>(), 0.0);
    EXPECT_TRUE(e["name"].is_string());
    if (e["args"].contains("step")) {
      ++op_events;
      EXPECT_TRUE(e["args"]["output_shapes"].is_string());
      EXPECT_LE(e["tid"].get<int>(), 1);
    }
  }
  EXPECT_EQ(op_events, p.rows.size());
  EXPECT_EQ(thread_names, 2u);
}

TEST(ProfilerExportTest, OpCsvHasOneRowPerOpInstanceAndTheTypeAggregate) {
  Profiled p = profile_zoo("deepfm_opset14", 1, 4);
  ASSERT_FALSE(p.rows.empty());
  const std::string path = testing::temp_dir("profiler_csv") + "/ops.csv";
  ASSERT_TRUE(profiler::write_op_csv(p.rows, p.summary.types, path).is_ok());
  const auto lines = split_lines(testing::read_file(path));
  ASSERT_GE(lines.size(), p.rows.size() + 3);
  EXPECT_EQ(lines[0], profiler::kOpCsvHeader);
  EXPECT_NE(lines[0].find("op_name,op_type,start_us,duration_us,wait_us"), std::string::npos);
  for (size_t i = 1; i <= p.rows.size(); ++i) {
    EXPECT_FALSE(lines[i].empty()) << "row " << i;
    EXPECT_NE(lines[i].find(p.rows[i - 1].info->type), std::string::npos) << lines[i];
  }
  EXPECT_EQ(lines[p.rows.size() + 1], "");
  EXPECT_EQ(lines[p.rows.size() + 2], profiler::kOpTypeCsvHeader);
  const size_t first_type = p.rows.size() + 3;
  ASSERT_EQ(lines.size(), first_type + p.summary.types.size());
  double previous_total = 1e300, share = 0;
  int64_t count = 0;
  for (size_t i = first_type; i < lines.size(); ++i) {
    std::stringstream ss(lines[i]);
    std::string type, field;
    std::getline(ss, type, ',');
    std::getline(ss, field, ',');
    count += std::stoll(field);
    std::getline(ss, field, ',');
    const double total = std::stod(field);
    EXPECT_LE(total, previous_total) << "aggregate not sorted by total";
    previous_total = total;
    std::getline(ss, field, ',');
    std::getline(ss, field, ',');
    share += std::stod(field);
  }
  EXPECT_EQ(count, static_cast<int64_t>(p.rows.size()));
  EXPECT_NEAR(share, 100.0, 0.1);
}

}  // namespace
}  // namespace recinfer
