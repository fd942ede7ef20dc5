#include "trace_writer.h"

#include <fmt/format.h>

namespace de {

std::string TraceMicros(int64_t ns) {
  uint64_t magnitude = ns < 0 ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  std::string sign = ns < 0 ? "-" : "";
  if (magnitude % 1000 == 0) return fmt::format("{}{}", sign, magnitude / 1000);
  return fmt::format("{}{}.{:03}", sign, magnitude / 1000, magnitude % 1000);
}

std::string JsonQuoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      out += fmt::format("\\u{:04x}", byte);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void JsonArgs::Key(std::string_view key) {
  if (!members_.empty()) members_ += ',';
  members_ += JsonQuoted(key);
  members_ += ':';
}

JsonArgs& JsonArgs::Str(std::string_view key, std::string_view value) {
  return Raw(key, JsonQuoted(value));
}

JsonArgs& JsonArgs::Num(std::string_view key, uint64_t value) {
  return Raw(key, std::to_string(value));
}

JsonArgs& JsonArgs::Bool(std::string_view key, bool value) {
  return Raw(key, value ? "true" : "false");
}

JsonArgs& JsonArgs::Raw(std::string_view key, std::string_view json) {
  Key(key);
  members_ += json;
  return *this;
}

JsonArgs& JsonArgs::Append(const JsonArgs& more) {
  if (!members_.empty() && !more.members_.empty()) members_ += ',';
  members_ += more.members_;
  return *this;
}

std::string CompleteEvent(TraceTrack track, std::string_view name, std::string_view cat,
                          int64_t ts_ns, int64_t dur_ns, std::string_view args_json) {
  return fmt::format(
      "{{\"ph\":\"X\",\"pid\":{},\"tid\":{},\"ts\":{},\"dur\":{},\"name\":{},\"cat\":{},"
      "\"args\":{}}}",
      track.pid, track.tid, TraceMicros(ts_ns), TraceMicros(dur_ns < 0 ? 0 : dur_ns),
      JsonQuoted(name), JsonQuoted(cat), args_json);
}

std::string InstantEvent(TraceTrack track, std::string_view name, std::string_view cat,
                         int64_t ts_ns, std::string_view args_json) {
  return fmt::format(
      "{{\"ph\":\"i\",\"s\":\"t\",\"pid\":{},\"tid\":{},\"ts\":{},\"name\":{},\"cat\":{},"
      "\"args\":{}}}",
      track.pid, track.tid, TraceMicros(ts_ns), JsonQuoted(name), JsonQuoted(cat), args_json);
}

std::string ProcessMetadata(int pid, std::string_view name, std::string_view key,
                            std::string_view value_json) {
  return fmt::format("{{\"ph\":\"M\",\"pid\":{},\"name\":{},\"args\":{{{}:{}}}}}", pid,
                     JsonQuoted(name), JsonQuoted(key), value_json);
}

std::string ThreadMetadata(TraceTrack track, std::string_view name, std::string_view key,
                           std::string_view value_json) {
  return fmt::format("{{\"ph\":\"M\",\"pid\":{},\"tid\":{},\"name\":{},\"args\":{{{}:{}}}}}",
                     track.pid, track.tid, JsonQuoted(name), JsonQuoted(key), value_json);
}

}  // namespace de
