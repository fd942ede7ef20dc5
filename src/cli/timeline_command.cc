// `diff_events timeline LOG --tid N [--from T --to T] [--kinds K,...]`: one thread's events as
// RFC 4180 CSV, what analysts otherwise cut out of a log by hand. `position` counts every event
// of the thread (filtered out or not), so it is the "event #N" the diff reports use.
#include <fmt/format.h>
#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

#include "cli_support.h"
#include "commands.h"
#include "diff_events/canon/profile.h"
#include "diff_events/decode/event_decoder.h"
#include "diff_events/fires/hex.h"
#include "diff_events/input_error.h"
#include "diff_events/io/line_reader.h"
#include "diff_events/io/read_progress.h"
#include "diff_events/report/atomic_file.h"
#include "diff_events/report/csv.h"
#include "progress_meter.h"
#include "terminal.h"

namespace de {
namespace {

namespace od = simdjson::ondemand;

struct TimelineOptions {
  std::string log;
  std::string tid_text;
  std::optional<uint64_t> from, to;  // host_ns, inclusive
  std::vector<std::string> kinds;    // empty: every kind
  std::string out = "-";
  TerminalOptions terminal;
};

const std::vector<std::string>& Columns() {
  static const std::vector<std::string> columns = {
      "position",     "idx",    "line",   "host_ns", "kind",      "name",
      "return_value", "status", "handle", "handles", "child_tid", "other_payload"};
  return columns;
}

// The payload members that get a column of their own; the rest go to other_payload as JSON.
enum Column { kName = 5, kReturnValue, kStatus, kHandle, kHandles, kChildTid, kOther };

uint64_t ParseTid(const std::string& text) {
  uint64_t tid = 0;
  bool hex = text.rfind("0x", 0) == 0 || text.rfind("0X", 0) == 0;
  if (hex ? ParseHex(text, tid) : ParseDecimal(text, tid)) return tid;
  throw UsageError("--tid: '" + text + "' is not a thread id (decimal or 0x-hex)");
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// A value as written in the log.
std::string RawJson(od::value value) {
  switch (value.type()) {
    case od::json_type::object: {
      od::object object = value.get_object();
      return std::string(std::string_view(object.raw_json()));
    }
    case od::json_type::array: {
      od::array array = value.get_array();
      return std::string(std::string_view(array.raw_json()));
    }
    default:
      return std::string(Trimmed(value.raw_json_token()));
  }
}

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += std::string("\\") + c;
    else if (static_cast<unsigned char>(c) < 0x20)
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
    else
      out += c;
  }
  return out + "\"";
}

// A value as a CSV cell: strings unquoted, everything else as written in the log.
std::string CellText(od::value value) {
  switch (value.type()) {
    case od::json_type::string:
      return std::string(std::string_view(value.get_string()));
    default:
      return RawJson(value);
  }
}

// "a b c" from an array of handles (strings unquoted).
std::string JoinArray(od::value value) {
  if (value.type() != od::json_type::array) return CellText(value);
  std::string out;
  for (auto element : value.get_array()) {
    if (!out.empty()) out += ' ';
    out += CellText(element.value());
  }
  return out;
}

void FillPayload(od::value payload, std::vector<std::string>& row) {
  if (payload.type() != od::json_type::object) {
    row[kOther] = CellText(payload);
    return;
  }
  std::string other;
  for (auto field : payload.get_object()) {
    std::string_view key = field.unescaped_key();
    od::value member = field.value();
    int column = key == "name"                 ? kName
                 : key == "return_value"       ? kReturnValue
                 : key == "status"             ? kStatus
                 : key == "handle_semantic_id" ? kHandle
                 : key == "handles"            ? kHandles
                 : key == "child_tid"          ? kChildTid
                                               : kOther;
    if (column == kHandles) {
      row[kHandles] = JoinArray(member);
    } else if (column != kOther) {
      row[static_cast<size_t>(column)] = CellText(member);
    } else {
      other += other.empty() ? "{" : ",";
      other += JsonString(key) + ":" + RawJson(member);
    }
  }
  if (!other.empty()) row[kOther] = other + "}";
}

class TimelineWriter {
 public:
  TimelineWriter(const TimelineOptions& o, std::string name)
      : o_(o), tid_(ParseTid(o.tid_text)), name_(std::move(name)) {
    AppendCsvRow(csv_, Columns());
  }

  void Add(const Line& line) {
    try {
      od::document doc = parser_.iterate(
          simdjson::padded_string_view(line.text.data(), line.text.size(), line.readable));
      // tid first: lines of other threads are dropped without looking further.
      uint64_t tid = 0;
      if (doc.find_field_unordered("tid").get_uint64().get(tid))
        throw InputError(name_, line.number, "missing or invalid 'tid'");
      if (tid != tid_) return;
      uint64_t position = position_++;
      std::vector<std::string> row(Columns().size());
      std::optional<uint64_t> host_ns;
      doc.rewind();
      for (auto field : doc.get_object()) {
        std::string_view key = field.unescaped_key();
        if (key == "tid_event_idx") {
          row[1] = CellText(field.value());
        } else if (key == "host_ns") {
          uint64_t ns = 0;
          od::value value = field.value();
          if (value.get_uint64().get(ns) == simdjson::SUCCESS) host_ns = ns;
          row[3] = host_ns ? std::to_string(ns) : CellText(value);
        } else if (key == "kind") {
          row[4] = CellText(field.value());
        } else if (key == "payload") {
          FillPayload(field.value(), row);
        }
      }
      if (!Selected(row[4], host_ns)) return;
      row[0] = std::to_string(position);
      row[2] = std::to_string(line.number);
      AppendCsvRow(csv_, row);
      ++rows_;
    } catch (const simdjson::simdjson_error& e) {
      throw InputError(name_, line.number, std::string("invalid JSON: ") + e.what());
    }
  }

  const std::string& csv() const { return csv_; }
  uint64_t rows() const { return rows_; }
  uint64_t thread_events() const { return position_; }

 private:
  bool Selected(const std::string& kind, std::optional<uint64_t> host_ns) const {
    if (!o_.kinds.empty()) {
      bool listed = false;
      for (const std::string& k : o_.kinds) listed |= k == kind;
      if (!listed) return false;
    }
    if (o_.from || o_.to) {
      if (!host_ns) return false;  // no clock: it cannot be placed in the window
      if (o_.from && *host_ns < *o_.from) return false;
      if (o_.to && *host_ns > *o_.to) return false;
    }
    return true;
  }

  const TimelineOptions& o_;
  uint64_t tid_;
  std::string name_;
  od::parser parser_;
  std::string csv_;
  uint64_t position_ = 0;
  uint64_t rows_ = 0;
};

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

int Timeline(const TimelineOptions& o) {
  bool show_progress = ApplyTerminalOptions(o.terminal);
  CheckOutputPaths({o.out}, {o.log});
  if (o.from && o.to && *o.from > *o.to) throw UsageError("--from is after --to");
  ReadProgress progress(o.log);
  LineReader reader(OpenCountedInput(o.log, &progress));
  TimelineWriter writer(o, reader.name());
  {
    ProgressMeter meter(show_progress, PollReadProgress({&progress}));
    EventDecoder header(DefaultProfile(), reader.name());
    bool header_seen = false;
    Line line;
    while (reader.Next(line)) {
      if (IsBlank(line.text)) continue;
      if (!header_seen) {
        header.DecodeHeader(line);
        header_seen = true;
        continue;
      }
      writer.Add(line);
    }
    if (!header_seen)
      throw InputError(reader.name(), 0, "empty file: expected a schema_version header line");
  }
  // Held until the whole log was read: an error never leaves half a table behind.
  WriteFileAtomically(o.out, writer.csv());
  if (!o.terminal.quiet) {
    PrintNote(fmt::format("timeline: tid {}: {} of its {} events", o.tid_text, writer.rows(),
                          writer.thread_events()));
  }
  return kExitSame;
}

}  // namespace

int RunTimelineCommand(int argc, char** argv) {
  CLI::App app(
      "One thread's events as CSV (RFC 4180): position (the thread's event number, as "
      "in the diff reports), idx, line, host_ns, kind, name, return_value, status, "
      "handle, handles, child_tid and the other payload members as JSON.",
      "diff_events timeline");
  TimelineOptions options;
  app.add_option("LOG", options.log, "The log (plain, .zst, .gz; - for stdin)")->required();
  app.add_option("--tid", options.tid_text, "The thread (decimal or 0x-hex)")->required();
  app.add_option("--from", options.from, "Only events with host_ns >= T");
  app.add_option("--to", options.to, "Only events with host_ns <= T");
  app.add_option("--kinds", options.kinds, "Only these kinds (comma-separated)")->delimiter(',');
  app.add_option("-o,--out", options.out, "CSV file (default: stdout)");
  AddTerminalOptions(app, options.terminal);
  int parsed = ParseCommandLine(app, argc, argv, "timeline");
  if (parsed >= 0) return parsed;
  return RunGuarded([&] { return Timeline(options); });
}

}  // namespace de
