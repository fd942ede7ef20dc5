// Sentences about threads shared by every report format: end states, waits, causes.
#include <fmt/format.h>

#include <cstdlib>

#include "diff_events/report/diff_reports.h"

namespace de {
namespace {

std::string Handle(const std::string& object_type, const std::string& handle) {
  std::string type = object_type.empty() ? "handle" : object_type;
  return type + " " + ShortHandle(handle);
}

std::string Signalers(const std::vector<Signaler>& signalers) {
  std::string out;
  for (const Signaler& s : signalers) {
    if (!out.empty()) out += "; ";
    out += fmt::format("tid {} {} ×{} (first at idx {})", s.tid, s.name, s.count, s.first_idx);
  }
  return out;
}

}  // namespace

namespace {

std::string Range(const char* side, uint64_t start, uint64_t count,
                  const std::optional<std::pair<uint64_t, uint64_t>>& idx) {
  if (count == 0) return fmt::format("{} none at #{}", side, start);
  std::string text = fmt::format("{} #{}..{}", side, start, start + count - 1);
  if (idx) text += fmt::format(" (idx {}..{})", idx->first, idx->second);
  return text;
}

}  // namespace

std::string HunkHeader(const Hunk& h, uint64_t window) {
  std::string text =
      fmt::format("@@ {} / {} @@ {}", Range("canary", h.canary_start, h.canary_count, h.canary_idx),
                  Range("ours", h.ours_start, h.ours_count, h.ours_idx), HunkClassName(h.cls));
  if (h.loop) {
    text += fmt::format(" ×{} vs ×{} (a cycle of {})", h.loop->canary_repeats, h.loop->ours_repeats,
                        CountOf(h.loop->period, "event"));
  }
  if (!h.resynced) text += fmt::format(" (no resync within {} events)", window);
  return text;
}

std::string DurationText(int64_t ns) {
  double v = static_cast<double>(ns);
  if (std::llabs(ns) < 1000) return fmt::format("{} ns", ns);
  if (std::llabs(ns) < 1000000) return fmt::format("{:.1f} µs", v / 1e3);
  if (std::llabs(ns) < 1000000000) return fmt::format("{:.1f} ms", v / 1e6);
  return fmt::format("{:.2f} s", v / 1e9);
}

std::string HostNsText(const std::optional<int64_t>& ns) { return ns ? std::to_string(*ns) : "—"; }

// "×5501 " before a folded loop's first event (blanks of its width before the others), "≈"
// before an iteration shown by another one (EventRef::representative).
std::string LoopMark(const EventRef& e) {
  std::string like = e.representative ? "≈" : "";  // three bytes, one column
  if (e.loop_repeats <= 1) return like.empty() ? "" : like + " ";
  std::string count = fmt::format("{}", e.loop_repeats);
  if (e.loop_pos == 0) return like + "×" + count + " ";
  return std::string(like.empty() ? count.size() + 2 : count.size() + 3, ' ');
}

std::string ShortHandle(const std::string& handle) {
  return handle.size() > 8 ? handle.substr(0, 8) + "…" : handle;
}

std::string EndText(const Lifetime& life) {
  if (life.events == 0 && life.end == EndState::kCut) return "no events";
  if (life.end != EndState::kBlocked || !life.wait) return EndStateName(life.end);
  std::string out = "blocked on ";
  for (size_t i = 0; i < life.wait->handles.size(); ++i) {
    if (i) out += ", ";
    out += Handle(life.wait->object_types[i], life.wait->handles[i]);
  }
  if (life.wait->handles.empty()) out += "nothing named";
  return out;
}

std::string WaitText(const WaitAnalysis& w) {
  const char* blocked = w.canary_blocked ? "canary" : "ours";
  const char* other = w.canary_blocked ? "ours" : "canary";
  const std::vector<Signaler>& there = w.canary_blocked ? w.ours : w.canary;
  const std::vector<Signaler>& here = w.canary_blocked ? w.canary : w.ours;
  std::string out = fmt::format("{} tid {} waits forever on {} (wait.begin at idx {}).", blocked,
                                w.tid, Handle(w.object_type, w.handle), w.wait_idx);
  if (there.empty()) {
    out += fmt::format(" In {}, nothing signals it either.", other);
  } else if (there.size() == 1) {
    out += fmt::format(" In {}, tid {} signals it: {} ×{} (first at idx {}).", other, there[0].tid,
                       there[0].name, there[0].count, there[0].first_idx);
  } else {
    out += fmt::format(" In {}, {} signalers: {}.", other, there.size(), Signalers(there));
  }
  std::string side = w.canary_blocked ? "Canary" : "Ours";
  out += here.empty() ? fmt::format(" {} never signals it.", side)
                      : fmt::format(" {} signals it too: {}.", side, Signalers(here));
  return out;
}

std::string CauseText(const Cause& cause) {
  if (cause.role == CauseRole::kRoot) {
    return cause.unexplained_wait ? "root (blocked on a handle nothing signals: the chain stops)"
                                  : "root";
  }
  std::string tids;
  for (uint64_t t : cause.explained_by) tids += (tids.empty() ? "" : ", ") + std::to_string(t);
  return fmt::format(
      "consequence of canary tid {}{}", tids,
      cause.via_handle ? " (via " + Handle(cause.via_object_type, *cause.via_handle) + ")" : "");
}

}  // namespace de
