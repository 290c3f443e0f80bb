// Minimal JSON text helpers for the exporters (they stream large files; no DOM).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace recinfer::profiler {

// Appends `text` as a JSON string literal. '<', '>' and '&' are escaped too, so the result can
// be embedded in an HTML <script> element as is.
inline void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || c == '<' || c == '>' || c == '&') {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
}

inline std::string json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

}  // namespace recinfer::profiler
