#include "diff_events/explain/wait_analysis.h"

#include <algorithm>
#include <map>

#include "diff_events/report/diff_reports.h"

namespace de {
namespace {

std::vector<WaitAnalysis> WaitsOf(const Lifetime& life, bool canary_blocked, uint64_t tid,
                                  SideView canary, SideView ours) {
  std::vector<WaitAnalysis> out;
  if (life.end != EndState::kBlocked || !life.wait) return out;
  for (size_t i = 0; i < life.wait->handles.size(); ++i) {
    WaitAnalysis w;
    w.canary_blocked = canary_blocked;
    w.tid = tid;
    w.handle = life.wait->handles[i];
    w.object_type = life.wait->object_types[i];
    w.wait_idx = life.wait->idx;
    w.canary = canary.behavior.SignalersOf(w.handle, canary.names);
    w.ours = ours.behavior.SignalersOf(w.handle, ours.names);
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

void AnalyzeWaits(DiffResult& result, SideView canary, SideView ours) {
  for (PairResult& p : result.pairs) {
    p.waits = WaitsOf(p.canary_life, true, p.canary_tid, canary, ours);
    auto more = WaitsOf(p.ours_life, false, p.ours_tid, canary, ours);
    p.waits.insert(p.waits.end(), more.begin(), more.end());
  }
  for (UnpairedThread& u : result.unpaired)
    u.waits = WaitsOf(u.life, u.canary_side, u.tid, canary, ours);
}

void ClassifyCauses(DiffResult& result) {
  // Only a diverging pair can explain another: 100 000 identical pairs need no map at all.
  std::map<uint64_t, const PairResult*> by_canary, by_ours;
  for (const PairResult& p : result.pairs) {
    if (!p.Diverged()) continue;
    by_canary[p.canary_tid] = &p;
    by_ours[p.ours_tid] = &p;
  }
  if (by_canary.empty()) return;
  for (PairResult& p : result.pairs) {
    if (!p.Diverged()) continue;
    Cause cause;
    bool any_signaler = p.waits.empty();
    for (const WaitAnalysis& w : p.waits) {
      // The engine that went on: who there signals what the blocked side waits for?
      const std::vector<Signaler>& signalers = w.canary_blocked ? w.ours : w.canary;
      const auto& pairs = w.canary_blocked ? by_ours : by_canary;
      if (!w.canary.empty() || !w.ours.empty()) any_signaler = true;
      for (const Signaler& s : signalers) {
        auto it = pairs.find(s.tid);
        if (it == pairs.end() || it->second == &p) continue;  // not diverging, or itself
        const Divergence& d = *it->second->divergence;
        const std::optional<EventRef>& there = w.canary_blocked ? d.ours : d.canary;
        std::optional<uint64_t> diverged_at =
            there ? std::optional<uint64_t>(there->idx) : FirstDivergenceIdx(*it->second);
        if (!diverged_at || *diverged_at > s.first_idx) continue;  // diverged after signalling
        if (std::count(cause.explained_by.begin(), cause.explained_by.end(),
                       it->second->canary_tid) == 0) {
          cause.explained_by.push_back(it->second->canary_tid);
        }
        if (!cause.via_handle) {
          cause.via_handle = w.handle;
          cause.via_object_type = w.object_type;
        }
      }
    }
    std::sort(cause.explained_by.begin(), cause.explained_by.end());
    cause.role = cause.explained_by.empty() ? CauseRole::kRoot : CauseRole::kConsequence;
    cause.unexplained_wait = cause.role == CauseRole::kRoot && !any_signaler;
    p.cause = std::move(cause);
  }
}

}  // namespace de
