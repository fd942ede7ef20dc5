// The trace export's second read: both inputs once more, one line at a time, each event routed
// to its thread's tracer by tid; only the events a tracer wants are decoded further.
#include "diff_events/report/trace_export.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <tsl/robin_map.h>

#include <future>
#include <set>

#include "diff_events/decode/call_mask.h"
#include "diff_events/input_error.h"
#include "diff_events/io/byte_source.h"
#include "diff_events/io/line_reader.h"
#include "trace_plan.h"
#include "trace_thread.h"
#include "trace_writer.h"

namespace de {
namespace {

namespace od = simdjson::ondemand;

constexpr int kCanaryPid = 1;
constexpr int kOursPid = 2;

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

TraceKind KindOf(std::string_view kind) {
  if (kind == "kernel.call") return TraceKind::kCall;
  if (kind == "kernel.return") return TraceKind::kReturn;
  if (kind == "wait.begin") return TraceKind::kWaitBegin;
  if (kind == "wait.end") return TraceKind::kWaitEnd;
  return TraceKind::kOther;
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// A scalar as text: strings unescaped, numbers and atoms as written.
std::string ScalarText(od::value value) {
  std::string_view text;
  if (value.type() == od::json_type::string && value.get_string().get(text) == simdjson::SUCCESS)
    return std::string(text);
  return std::string(Trimmed(value.raw_json_token()));
}

void ReadPayload(od::value payload, TraceFields& f) {
  od::object object;
  if (payload.get_object().get(object) != simdjson::SUCCESS) return;  // null: no payload
  for (auto field : object) {
    std::string_view key = field.unescaped_key();
    od::value value = field.value();
    if (key == "name") {
      f.name = ScalarText(value);
    } else if (key == "return_value") {
      f.return_value = ScalarText(value);
    } else if (key == "status") {
      f.status = ScalarText(value);
    } else if (key == "handles") {
      od::array array;
      if (value.get_array().get(array) == simdjson::SUCCESS)
        f.handles_json = std::string(std::string_view(array.raw_json()));
    }
  }
}

// The fields the trace shows; the first read already checked the line, so anything odd here
// means the input changed and is reported as invalid JSON by the caller.
TraceFields ReadFields(od::document& doc) {
  TraceFields f;
  for (auto field : doc.get_object()) {
    std::string_view key = field.unescaped_key();
    if (key == "host_ns") {
      int64_t ns = 0;
      if (field.value().get_int64().get(ns) == simdjson::SUCCESS) f.host_ns = ns;
    } else if (key == "tid_event_idx") {
      f.idx = field.value().get_uint64();
    } else if (key == "kind") {
      f.kind_text = std::string(std::string_view(field.value().get_string()));
      f.kind = KindOf(f.kind_text);
    } else if (key == "payload") {
      ReadPayload(field.value(), f);
    }
  }
  return f;
}

using MaskNames = std::set<std::string, std::less<>>;

// Whether --mask dropped this event before alignment (CallMaskState, as the decoder does): the
// tracks count and place events without them. Leaves `doc` rewound.
bool MaskedEvent(od::document& doc, const MaskNames& mask, CallMaskState& state) {
  EventClass cls = EventClass::kOther;
  bool has_name = false, name_masked = false;
  doc.rewind();
  for (auto field : doc.get_object()) {
    std::string_view key = field.unescaped_key();
    if (key == "kind") {
      cls = EventClassOf(std::string_view(field.value().get_string()));
    } else if (key == "payload" && field.value().type() == od::json_type::object) {
      for (auto p : field.value().get_object()) {
        if (std::string_view(p.unescaped_key()) != "name" ||
            p.value().type() != od::json_type::string) {
          continue;
        }
        has_name = true;
        name_masked = mask.count(std::string_view(p.value().get_string())) > 0;
      }
    }
  }
  doc.rewind();
  return state.Masked(cls, has_name, name_masked);
}

std::string TraceSide(const std::vector<ThreadTrack>& tracks, int pid, const MaskNames& mask,
                      const ByteSourceOpener& open) {
  std::vector<CallMaskState> mask_states(tracks.size());
  std::vector<ThreadTracer> tracers;
  tsl::robin_map<uint64_t, size_t> by_tid;
  tracers.reserve(tracks.size());
  for (const ThreadTrack& t : tracks) {
    by_tid[t.tid] = tracers.size();
    tracers.emplace_back(t, pid);
  }
  LineReader reader(Decompressing(open()));
  od::parser parser;
  bool header_seen = false;
  Line line;
  while (reader.Next(line)) {
    if (IsBlank(line.text)) continue;
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    try {
      od::document doc = parser.iterate(
          simdjson::padded_string_view(line.text.data(), line.text.size(), line.readable));
      uint64_t tid = doc.find_field_unordered("tid").get_uint64();
      auto it = by_tid.find(tid);
      if (it == by_tid.end())
        throw InputError(reader.name(), line.number,
                         fmt::format("tid {} was not there on the first read: the input changed "
                                     "while being read",
                                     tid));
      ThreadTracer& tracer = tracers[it->second];
      if (!mask.empty() && MaskedEvent(doc, mask, mask_states[it->second])) continue;
      if (!tracer.WantsNext()) {
        tracer.Skip();
        continue;
      }
      doc.rewind();
      tracer.Add(ReadFields(doc));
    } catch (const simdjson::simdjson_error& e) {
      throw InputError(reader.name(), line.number, std::string("invalid JSON: ") + e.what());
    }
  }
  std::string out;
  for (ThreadTracer& tracer : tracers) out += tracer.Finish(reader.name());
  return out;
}

std::string Metadata(const std::vector<ThreadTrack>& tracks, int pid, const std::string& side,
                     const std::string& engine, const std::string& path) {
  std::string name = fmt::format("{}: engine {}, {}", side, engine.empty() ? "?" : engine, path);
  std::string out = ProcessMetadata(pid, "process_name", "name", JsonQuoted(name)) + "\n";
  out += ProcessMetadata(pid, "process_sort_index", "sort_index", std::to_string(pid)) + "\n";
  for (const ThreadTrack& t : tracks) {
    TraceTrack where{pid, t.tid};
    out += ThreadMetadata(where, "thread_name", "name", JsonQuoted(t.label)) + "\n";
    out += ThreadMetadata(where, "thread_sort_index", "sort_index", std::to_string(t.sort_index)) +
           "\n";
  }
  return out;
}

// Every line but the last ends in ",": one event per line, so a diff of two traces reads well.
std::string JoinedEvents(const std::string& lines) {
  std::string out;
  out.reserve(lines.size() + lines.size() / 64);
  size_t start = 0;
  while (start < lines.size()) {
    size_t end = lines.find('\n', start);
    if (!out.empty()) out += ",\n";
    out.append(lines, start, end - start);
    start = end + 1;
  }
  return out + "\n";
}

}  // namespace

std::string RenderTrace(const DiffResult& result, const ExportInputs& inputs) {
  if (!inputs.canary || !inputs.ours) {
    throw InputError(!inputs.canary ? result.canary_path : result.ours_path, 0,
                     "cannot be read a second time for --trace (stdin or a pipe)");
  }
  TracePlan plan = PlanTrace(result, inputs.trace_window);
  std::string lines =
      Metadata(plan.canary, kCanaryPid, "canary", result.canary_engine, result.canary_path);
  lines += Metadata(plan.ours, kOursPid, "ours", result.ours_engine, result.ours_path);
  MaskNames mask;
  for (const MaskedCall& m : result.masked) mask.insert(m.name);
  // One input per core, as in the diff; the text is joined in a fixed order all the same.
  auto canary = std::async(std::launch::async,
                           [&] { return TraceSide(plan.canary, kCanaryPid, mask, inputs.canary); });
  std::string ours = TraceSide(plan.ours, kOursPid, mask, inputs.ours);
  lines += canary.get();
  lines += ours;
  std::string window = inputs.trace_window ? std::to_string(inputs.trace_window) : "\"all\"";
  return "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":\"diff_events\","
         "\"trace_window\":" +
         window + "},\n\"traceEvents\":[\n" + JoinedEvents(lines) + "]}\n";
}

}  // namespace de
