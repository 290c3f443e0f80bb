// Writing a Profile out: Chrome trace JSON (Perfetto, chrome://tracing), the msprof-style op CSV,
// and a self-contained HTML report. Each returns an error naming the file when it cannot write.
#pragma once

#include <string>
#include <vector>

#include "profiler/analysis.h"
#include "profiler/event.h"
#include "recinfer/status.h"

namespace recinfer::profiler {

// {"traceEvents": [...]}: complete ("X") events in µs on pid 1, one tid per pool thread
// (0 = the calling thread), plus a "request queue" lane for queue waits.
Status write_chrome_trace(const Profile& profile, const std::vector<OpRow>& rows,
                          const std::string& path);

// One row per op instance, a blank line, then the per-op-type totals sorted by total time.
Status write_op_csv(const std::vector<OpRow>& rows, const std::vector<TypeTotal>& types,
                    const std::string& path);
inline constexpr const char* kOpCsvHeader =
    "inference,step,op_name,op_type,start_us,duration_us,wait_us,replan_us,threads_used,dynamic,"
    "input_shapes,input_dtypes,output_shapes,output_dtypes";
inline constexpr const char* kOpTypeCsvHeader = "op_type,count,total_us,mean_us,share_percent";

struct HtmlOptions {
  std::string title;
  size_t max_inferences = 20;  // timeline data embedded for at most this many inferences
};
// One page, no network: timeline per thread (pick an inference, zoom) and a top-ops chart.
Status write_html_report(const Profile& profile, const std::vector<OpRow>& rows,
                         const Summary& summary, const HtmlOptions& options,
                         const std::string& path);

// Writes `text` to `path` (binary, replacing it).
Status write_text_file(const std::string& path, const std::string& text);

}  // namespace recinfer::profiler
