#include <fmt/format.h>

#include "profiler/export.h"

namespace recinfer::profiler {

namespace {

// RFC 4180: quote when the field holds a separator, a quote or a line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",;\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Status write_op_csv(const std::vector<OpRow>& rows, const std::vector<TypeTotal>& types,
                    const std::string& path) {
  std::string out = std::string(kOpCsvHeader) + "\n";
  for (const OpRow& r : rows) {
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{:.3f},{:.3f},{:.3f},{:.3f},{},{}",
                   r.op->inference, r.op->step, csv_field(r.info->name), csv_field(r.info->type),
                   r.start_us, r.duration_us, r.wait_us, r.replan_us, r.threads_used,
                   r.info->dynamic ? 1 : 0);
    for (const auto* descs : {r.inputs, r.outputs}) {
      out += ',' + csv_field(format_shapes(*descs));
      out += ',' + csv_field(format_dtypes(*descs));
    }
    out += '\n';
  }
  out += '\n';
  out += std::string(kOpTypeCsvHeader) + "\n";
  for (const TypeTotal& t : types) {
    fmt::format_to(std::back_inserter(out), "{},{},{:.3f},{:.3f},{:.2f}\n", csv_field(t.type),
                   t.count, t.total_us, t.mean_us, 100.0 * t.share);
  }
  return write_text_file(path, out);
}

}  // namespace recinfer::profiler
