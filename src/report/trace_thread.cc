#include "trace_thread.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "diff_events/input_error.h"

namespace de {
namespace {

bool Overlaps(const std::vector<PositionSpan>& spans, uint64_t begin, uint64_t end) {
  return std::any_of(spans.begin(), spans.end(),
                     [&](const PositionSpan& s) { return s.begin < end && begin < s.end; });
}

}  // namespace

ThreadTracer::ThreadTracer(const ThreadTrack& track, int pid)
    : track_(track), where_{pid, track.tid} {}

bool ThreadTracer::InWindow() const {
  return window_ < track_.windows.size() && position_ >= track_.windows[window_].begin;
}

uint64_t ThreadTracer::GapBegin() const {
  return window_ == 0 ? 0 : track_.windows[window_ - 1].end;
}

uint64_t ThreadTracer::GapEnd() const {
  return window_ < track_.windows.size() ? track_.windows[window_].begin : track_.events;
}

bool ThreadTracer::WantsNext() const {
  if (position_ >= track_.events) return false;
  bool marked = mark_ < track_.marks.size() && track_.marks[mark_].position == position_;
  return InWindow() || position_ == GapBegin() || position_ + 1 == GapEnd() || marked;
}

void ThreadTracer::Advance() {
  ++position_;
  while (window_ < track_.windows.size() && track_.windows[window_].end <= position_) ++window_;
}

int64_t ThreadTracer::Tick(const std::optional<int64_t>& host_ns) {
  if (host_ns) now_ = clock_started_ ? std::max(now_, *host_ns) : *host_ns;
  clock_started_ = true;
  return now_;
}

void ThreadTracer::Add(const TraceFields& event) {
  int64_t ts = Tick(event.host_ns);
  if (position_ < track_.events) {
    if (InWindow()) {
      Export(event, ts);
    } else {
      GapEdge(ts);
    }
  }
  PlaceMarks(ts);
  // A window that ends before the thread does: what it left open is cut here.
  bool window_ends = InWindow() && position_ + 1 == track_.windows[window_].end;
  if (window_ends && position_ + 1 < track_.events)
    CloseAll(ts, JsonArgs().Str("cut", "the exported window ends here"));
  Advance();
}

void ThreadTracer::PlaceMarks(int64_t ts) {
  for (; mark_ < track_.marks.size() && track_.marks[mark_].position <= position_; ++mark_) {
    const TraceMark& m = track_.marks[mark_];
    Emit(InstantEvent(where_, m.name, "diff", ts, m.args));
  }
}

void ThreadTracer::Export(const TraceFields& e, int64_t ts) {
  JsonArgs args;
  args.Num("idx", e.idx).Num("position", position_);
  switch (e.kind) {
    case TraceKind::kCall:
      Open(e.name.empty() ? "kernel.call" : e.name, e.name, "kernel", ts, args);
      break;
    case TraceKind::kReturn: {
      JsonArgs extra;
      extra.Num("return_idx", e.idx);
      if (!e.return_value.empty()) extra.Str("return_value", e.return_value);
      if (!e.status.empty()) extra.Str("status", e.status);
      CloseMatching("kernel", e.name, ts, extra);
      break;
    }
    case TraceKind::kWaitBegin:
      if (!e.handles_json.empty()) args.Raw("handles", e.handles_json);
      Open("wait", "", "wait", ts, args);
      break;
    case TraceKind::kWaitEnd:
      CloseMatching("wait", "", ts, JsonArgs().Num("end_idx", e.idx));
      break;
    case TraceKind::kOther:
      if (!e.name.empty()) args.Str("name", e.name);
      Emit(InstantEvent(where_, e.name.empty() ? e.kind_text : e.kind_text + " " + e.name, "event",
                        ts, args.Object()));
      break;
  }
}

void ThreadTracer::GapEdge(int64_t ts) {
  uint64_t begin = GapBegin(), end = GapEnd();
  if (position_ == begin) gap_first_ns_ = ts;
  if (position_ + 1 != end) return;
  bool matched = track_.paired && !Overlaps(track_.differing, begin, end);
  JsonArgs args;
  args.Num("events", end - begin).Num("first_position", begin).Num("last_position", end - 1);
  Emit(CompleteEvent(where_, matched ? "matched" : "not exported", "gap", gap_first_ns_,
                     ts - gap_first_ns_, args.Object()));
}

void ThreadTracer::Open(std::string name, std::string call, const char* cat, int64_t ts,
                        JsonArgs args) {
  open_.push_back({std::move(name), std::move(call), cat, ts, std::move(args), pending_.size()});
  pending_.emplace_back();
}

void ThreadTracer::CloseMatching(const char* cat, const std::string& call, int64_t ts,
                                 const JsonArgs& extra) {
  auto it = std::find_if(open_.rbegin(), open_.rend(), [&](const OpenSlice& s) {
    return std::string_view(s.cat) == cat && s.call == call;
  });
  if (it == open_.rend()) return;  // its start is outside the window, or there was none
  size_t depth = open_.size() - static_cast<size_t>(it - open_.rbegin());
  while (open_.size() > depth) CloseTop(ts, JsonArgs().Str("cut", "an enclosing slice ended"));
  CloseTop(ts, extra);
}

void ThreadTracer::CloseTop(int64_t ts, const JsonArgs& extra) {
  OpenSlice& s = open_.back();
  s.args.Append(extra);
  pending_[s.slot] =
      CompleteEvent(where_, s.name, s.cat, s.begin_ns, ts - s.begin_ns, s.args.Object());
  open_.pop_back();
  if (!open_.empty()) return;
  for (const std::string& line : pending_) out_ += line + "\n";
  pending_.clear();
}

void ThreadTracer::CloseAll(int64_t ts, const JsonArgs& extra) {
  while (!open_.empty()) CloseTop(ts, extra);
}

void ThreadTracer::Emit(std::string line) {
  if (open_.empty()) {
    out_ += line + "\n";
  } else {
    pending_.push_back(std::move(line));
  }
}

std::string ThreadTracer::Finish(const std::string& input_name) {
  if (position_ != track_.events) {
    throw InputError(input_name, 0,
                     fmt::format("tid {} has {} events on the second read, {} on the first: the "
                                 "input changed while being read",
                                 track_.tid, position_, track_.events));
  }
  if (!clock_started_) return "";
  CloseAll(now_, JsonArgs().Str("end_state", track_.end_text));
  position_ = UINT64_MAX;  // marks past the last event go after it
  PlaceMarks(now_);
  JsonArgs args;
  args.Str("end_state", track_.end_text).Num("events", track_.events);
  Emit(InstantEvent(where_, "end: " + track_.end_text, "end", now_, args.Object()));
  return std::move(out_);
}

}  // namespace de
