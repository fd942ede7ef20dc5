// `diff_events validate LOG`: checks one event log against schema v1 (docs/input-format.md) in
// one streaming pass and reports every problem with its line — the first 100 on stdout, then a
// count. Unlike the diff, which stops at the first bad line, it goes on after a problem: the
// point is to see them all. Exit 0 valid, 1 problems, 2 unreadable.
#include <fmt/format.h>
#include <simdjson.h>
#include <tsl/robin_map.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli_support.h"
#include "commands.h"
#include "diff_events/decode/json_hash.h"
#include "diff_events/input_error.h"
#include "diff_events/io/line_reader.h"
#include "diff_events/io/read_progress.h"
#include "diff_events/report/atomic_file.h"
#include "diff_events/report/diff_reports.h"
#include "progress_meter.h"
#include "terminal.h"

namespace de {
namespace {

namespace od = simdjson::ondemand;

constexpr size_t kMaxShownProblems = 100;

// What the payload walk keeps for the per-kind checks (the kind may come after the payload).
struct PayloadFacts {
  bool is_object = false;
  bool has_string_name = false;
  bool has_semantic_id = false;
  std::string_view semantic_id;
  bool child_tid_present = false;
  bool child_tid_ok = false;
};

// The top-level fields of one event line, once walked.
struct EventFields {
  bool has_tid = false, has_idx = false;  // present and a valid count
  bool tid_present = false, idx_present = false;
  bool kind_present = false, has_kind = false;  // has_kind: present and a string
  uint64_t tid = 0, idx = 0;
  std::string_view kind;  // views into the parser's buffers: valid for this line only
  PayloadFacts payload;
};

struct ThreadState {
  uint64_t last_idx = 0;
  uint64_t last_line = 0;
  uint64_t open_wait_line = 0;  // 0: not inside a wait
};

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

class LogValidator {
 public:
  explicit LogValidator(std::string name) : name_(std::move(name)) {}

  void Check(const Line& line) {
    if (IsBlank(line.text)) return;
    line_ = line.number;
    if (!header_checked_) {
      header_checked_ = true;
      if (CheckHeader(line)) return;  // else the line is checked as an event, too
    }
    CheckEvent(line);
  }

  void Finish() {
    if (!header_checked_) Problem(1, "empty log: expected a schema_version header line");
  }

  uint64_t problem_count() const { return problem_count_; }
  const std::vector<std::string>& shown_problems() const { return shown_; }
  std::string Summary() const;

 private:
  void Problem(uint64_t line, const std::string& what) {
    if (++problem_count_ <= kMaxShownProblems)
      shown_.push_back(fmt::format("{}:{}: {}", name_, line, what));
  }
  void Problem(const std::string& what) { Problem(line_, what); }

  bool CheckHeader(const Line& line);
  void CheckEvent(const Line& line);
  void WalkFields(od::object obj, EventFields& f);
  void WalkPayload(od::value payload, PayloadFacts& facts);
  bool ReadCount(od::value value, const char* field, uint64_t& count);
  void CheckThreadOrder(const EventFields& f);
  void CheckKind(const EventFields& f);
  void CheckHandles(const EventFields& f);
  void CheckWaits(const EventFields& f);

  std::string name_;
  od::parser parser_;
  uint64_t line_ = 0;
  uint64_t events_ = 0;
  bool header_checked_ = false;
  uint64_t problem_count_ = 0;
  std::vector<std::string> shown_;
  std::vector<std::string_view> seen_keys_;  // keys of the current line; events have about 8
  tsl::robin_map<uint64_t, ThreadState> threads_;
  tsl::robin_map<std::string, uint64_t> live_handles_;  // handle_semantic_id → creating line
};

od::document Iterate(od::parser& parser, const Line& line) {
  return parser.iterate(
      simdjson::padded_string_view(line.text.data(), line.text.size(), line.readable));
}

bool HasTrailingContent(od::document& doc) {
  const char* location = nullptr;
  return doc.current_location().get(location) == simdjson::SUCCESS;
}

// True when the line is a header (valid or not); false when it looks like an event instead.
bool LogValidator::CheckHeader(const Line& line) {
  const char* expected = R"(expected a header {"kind":"schema_version","schema_version":1,...})";
  try {
    od::document doc = Iterate(parser_, line);
    od::object obj;
    if (doc.get_object().get(obj)) {
      Problem(std::string("missing schema header: ") + expected);
      return true;
    }
    std::string_view kind;
    bool has_kind = false, has_version = false;
    int64_t version = 0;
    for (auto field : obj) {
      std::string_view key = field.unescaped_key();
      od::value value = field.value();
      if (key == "kind") {
        has_kind = value.get_string().get(kind) == simdjson::SUCCESS;
      } else if (key == "schema_version") {
        has_version = value.get_int64().get(version) == simdjson::SUCCESS;
        if (!has_version) Problem("'schema_version' must be an integer");
      } else if (key == "engine") {
        std::string_view engine;
        if (value.get_string().get(engine)) Problem("header 'engine' must be a string");
      } else {
        HashJsonValue(value, nullptr, 1);
      }
    }
    if (HasTrailingContent(doc)) Problem("trailing content after the header object");
    if (!has_kind || kind != "schema_version") {
      Problem(std::string("missing schema header: ") + expected);
      return false;
    }
    if (has_version && version != 1)
      Problem(fmt::format("unsupported schema_version {} (schema v1 expected)", version));
    if (!has_version && has_kind) Problem("header without 'schema_version'");
  } catch (const simdjson::simdjson_error& e) {
    Problem(std::string("invalid header line (") + e.what() + "): " + expected);
  }
  return true;
}

bool LogValidator::ReadCount(od::value value, const char* field, uint64_t& count) {
  if (value.get_uint64().get(count) == simdjson::SUCCESS) return true;
  Problem(fmt::format("'{}' must be a non-negative integer that fits in 64 bits", field));
  return false;
}

void LogValidator::WalkPayload(od::value payload, PayloadFacts& facts) {
  if (payload.type() != od::json_type::object) {
    HashJsonValue(payload, nullptr, 1);
    return;
  }
  facts.is_object = true;
  for (auto field : payload.get_object()) {
    std::string_view key = field.unescaped_key();
    od::value member = field.value();
    if (key == "name" && member.type() == od::json_type::string) {
      facts.has_string_name = true;
      HashJsonValue(member, nullptr, 2);
    } else if (key == "handle_semantic_id" && member.type() == od::json_type::string) {
      facts.has_semantic_id = true;
      facts.semantic_id = member.get_string();
    } else if (key == "child_tid" && !member.is_null()) {
      facts.child_tid_present = true;
      uint64_t tid;
      facts.child_tid_ok = member.type() == od::json_type::number &&
                           member.get_uint64().get(tid) == simdjson::SUCCESS;
      if (!facts.child_tid_ok) HashJsonValue(member, nullptr, 2);
    } else {
      HashJsonValue(member, nullptr, 2);  // validated (UTF-8, numbers, depth) like the diff does
    }
  }
}

void LogValidator::WalkFields(od::object obj, EventFields& f) {
  seen_keys_.clear();
  for (auto field : obj) {
    std::string_view key = field.unescaped_key();
    for (std::string_view k : seen_keys_)
      if (k == key) Problem(fmt::format("duplicate key '{}'", key));
    seen_keys_.push_back(key);
    od::value value = field.value();
    if (key == "tid") {
      f.tid_present = true;
      f.has_tid = ReadCount(value, "tid", f.tid);
    } else if (key == "tid_event_idx") {
      f.idx_present = true;
      f.has_idx = ReadCount(value, "tid_event_idx", f.idx);
    } else if (key == "kind") {
      std::string_view kind;
      f.kind_present = true;
      f.has_kind = value.get_string().get(kind) == simdjson::SUCCESS;
      if (!f.has_kind) Problem("'kind' must be a string");
      f.kind = kind;
    } else if (key == "engine") {
      std::string_view engine;
      if (value.get_string().get(engine)) Problem("'engine' must be a string");
    } else if (key == "host_ns" || key == "guest_cycle") {
      uint64_t count;
      if (!value.is_null()) ReadCount(value, key == "host_ns" ? "host_ns" : "guest_cycle", count);
    } else if (key == "deterministic") {
      bool b;
      if (value.get_bool().get(b) && !value.is_null()) Problem("'deterministic' must be a boolean");
    } else if (key == "payload") {
      WalkPayload(value, f.payload);
    } else {
      HashJsonValue(value, nullptr, 1);
    }
  }
}

void LogValidator::CheckEvent(const Line& line) {
  EventFields f;
  try {
    od::document doc = Iterate(parser_, line);
    od::object obj;
    if (doc.get_object().get(obj)) {
      Problem("expected a JSON object (one event per line)");
      return;
    }
    WalkFields(obj, f);
    if (HasTrailingContent(doc)) Problem("trailing content after the event object");
  } catch (const simdjson::simdjson_error& e) {
    Problem(std::string("invalid JSON: ") + e.what());
    return;
  }
  ++events_;
  if (!f.tid_present) Problem("missing 'tid'");
  if (!f.idx_present) Problem("missing 'tid_event_idx'");
  if (!f.kind_present) Problem("missing 'kind'");
  if (!f.has_tid || !f.has_idx) return;
  CheckThreadOrder(f);
  if (f.has_kind) CheckKind(f);
}

void LogValidator::CheckThreadOrder(const EventFields& f) {
  auto [it, inserted] = threads_.try_emplace(f.tid);
  ThreadState& t = it.value();
  if (!inserted && f.idx <= t.last_idx) {
    Problem(fmt::format("tid_event_idx {} of tid {} does not increase (previous was {} on line {})",
                        f.idx, f.tid, t.last_idx, t.last_line));
  }
  t.last_idx = f.idx;
  t.last_line = line_;
}

void LogValidator::CheckKind(const EventFields& f) {
  const PayloadFacts& p = f.payload;
  if ((f.kind == "kernel.call" || f.kind == "kernel.return") && !p.has_string_name)
    Problem(std::string(f.kind) + " without a string payload.name");
  if (f.kind == "thread.create" && p.child_tid_present && !p.child_tid_ok)
    Problem("thread.create payload.child_tid must be a non-negative integer");
  CheckHandles(f);
  CheckWaits(f);
}

// Handles are process-wide: one thread may create what another destroys.
void LogValidator::CheckHandles(const EventFields& f) {
  bool create = f.kind == "handle.create";
  if (!create && f.kind != "handle.destroy") return;
  if (!f.payload.has_semantic_id) {
    Problem(std::string(f.kind) + " without a string payload.handle_semantic_id");
    return;
  }
  std::string id(f.payload.semantic_id);
  auto it = live_handles_.find(id);
  if (create) {
    if (it != live_handles_.end()) {
      Problem(fmt::format("handle {} created again (created on line {}, not destroyed since)", id,
                          it->second));
    }
    live_handles_[id] = line_;
  } else if (it == live_handles_.end()) {
    Problem(
        fmt::format("handle {} destroyed but not open (never created, or destroyed before)", id));
  } else {
    live_handles_.erase(it);
  }
}

// A waiting thread logs nothing until its wait ends: the event after a wait.begin on the same
// tid is its wait.end. A wait still open at the end of the log is a thread blocked at the end.
void LogValidator::CheckWaits(const EventFields& f) {
  ThreadState& t = threads_.find(f.tid).value();
  if (f.kind == "wait.end") {
    if (t.open_wait_line == 0)
      Problem(fmt::format("wait.end on tid {} without a wait.begin before it", f.tid));
    t.open_wait_line = 0;
    return;
  }
  if (t.open_wait_line != 0) {
    Problem(fmt::format("{} on tid {} inside a wait: the wait.begin on line {} has no wait.end",
                        f.kind, f.tid, t.open_wait_line));
    t.open_wait_line = 0;
  }
  if (f.kind == "wait.begin") t.open_wait_line = line_;
}

std::string LogValidator::Summary() const {
  size_t open_waits = 0;
  for (const auto& [tid, t] : threads_) open_waits += t.open_wait_line != 0;
  std::string verdict =
      problem_count_ == 0
          ? Paint(Stream::kStderr, Tone::kGood, "valid")
          : Paint(Stream::kStderr, Tone::kBad,
                  fmt::format("{} problem{}", problem_count_, problem_count_ == 1 ? "" : "s"));
  return fmt::format("validate: {}: {} ({}, {}; at the end {} open, {} inside a wait)", name_,
                     verdict, CountOf(events_, "event"), CountOf(threads_.size(), "thread"),
                     CountOf(live_handles_.size(), "handle"), CountOf(open_waits, "thread"));
}

struct ValidateOptions {
  std::string log;
  TerminalOptions terminal;
};

int Validate(const ValidateOptions& o) {
  bool show_progress = ApplyTerminalOptions(o.terminal);
  ReadProgress progress(o.log);
  LineReader reader(OpenCountedInput(o.log, &progress));
  LogValidator validator(reader.name());
  {
    ProgressMeter meter(show_progress, PollReadProgress({&progress}));
    Line line;
    while (reader.Next(line)) validator.Check(line);
  }
  validator.Finish();
  // Problems are the data (stdout), written once the whole log was read: an unreadable log ends
  // in one error line and exit 2, never in half a list.
  std::string out;
  for (const std::string& problem : validator.shown_problems()) out += problem + "\n";
  if (validator.problem_count() > kMaxShownProblems)
    out += fmt::format("... and {} more problems\n", validator.problem_count() - kMaxShownProblems);
  WriteFileAtomically("-", out);
  if (!o.terminal.quiet) PrintNote(validator.Summary());
  return validator.problem_count() == 0 ? kExitSame : kExitDifferent;
}

}  // namespace

int RunValidateCommand(int argc, char** argv) {
  CLI::App app(
      "Check an event log against schema v1: header, required fields and their types, "
      "per-thread tid_event_idx order, handle create/destroy balance (by "
      "handle_semantic_id), wait.begin/wait.end pairing. Every problem is printed with "
      "its line (the first 100, then a count). Exit 0 valid, 1 problems, 2 unreadable.",
      "diff_events validate");
  ValidateOptions options;
  app.add_option("LOG", options.log, "The log (plain, .zst, .gz; - for stdin)")->required();
  AddTerminalOptions(app, options.terminal);
  int parsed = ParseCommandLine(app, argc, argv, "validate");
  if (parsed >= 0) return parsed;
  return RunGuarded([&] { return Validate(options); });
}

}  // namespace de
