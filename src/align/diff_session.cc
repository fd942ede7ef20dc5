#include "diff_events/align/diff_session.h"

#include <tsl/robin_map.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

#include "diff_events/align/difference_description.h"
#include "diff_events/align/pair_aligner.h"
#include "diff_events/decode/side_decoder.h"
#include "diff_events/input_error.h"
#include "diff_events/io/line_fetcher.h"

namespace de {
namespace {

struct Side {
  bool canary = true;
  bool ended = false;
  uint64_t events = 0;
  uint64_t bytes = 0;     // input bytes consumed
  bool keep_text = true;  // false: a seekable plain file, lines are fetched back by offset
  tsl::robin_map<uint64_t, std::unique_ptr<ThreadStream>> threads;
  std::vector<PairingCandidate> window_roots;  // snapshot at `pairing_window` events
  bool window_taken = false;

  ThreadStream& Get(uint64_t tid) {
    auto& slot = threads[tid];
    if (!slot) {
      slot = std::make_unique<ThreadStream>();
      slot->canary_side = canary;
      slot->tid = tid;
      slot->pending.set_keep_text(keep_text);
    }
    return *slot;
  }
  ThreadStream* Find(uint64_t tid) {
    auto it = threads.find(tid);
    return it == threads.end() ? nullptr : it->second.get();
  }
  std::vector<ThreadStream*> Sorted() {
    std::vector<ThreadStream*> out;
    for (auto& [tid, t] : threads) out.push_back(t.get());
    std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->tid < b->tid; });
    return out;
  }
};

class DiffSession {
 public:
  explicit DiffSession(const DiffOptions& options) : options_(options) {
    canary_.canary = true;
    ours_.canary = false;
    on_children_ = [this](uint64_t c, uint64_t o) { PairChildren(c, o); };
  }

  DiffResult Run();

 private:
  void Consume(Side& side, const EventBatch& batch);
  void Route(Side& side, const EventBatch& batch, const DecodedEvent& e);
  void MaybeTakeWindow(Side& side);
  void OnSideEnded(Side& side);
  void Pair(ThreadStream& c, ThreadStream& o, PairingMethod method);
  void PairChildren(uint64_t canary_tid, uint64_t ours_tid);
  void PairCandidates(const std::vector<PairingCandidate>& c,
                      const std::vector<PairingCandidate>& o);
  void PairRemaining();
  static size_t PairedPending(const Side& side);
  bool CanaryIsBehind() const;
  static std::vector<PairingCandidate> ReadyForFirstCall(Side& side);
  static std::vector<PairingCandidate> Unpaired(Side& side);
  void DropUnpairable(Side& side, const Side& other);
  void DropIfUnpairable(ThreadStream& t, Side& side, const Side& other);
  void AdvanceAll();
  void FetchRawLines(Divergence& d) const;
  void Fetch(EventRef& ref, std::optional<LineFetcher>& fetcher, bool canary_side) const;
  DiffResult Collect(const SideDecoder& c, const SideDecoder& o) const;

  const DiffOptions& options_;
  Side canary_;
  Side ours_;
  std::vector<std::unique_ptr<PairAligner>> aligners_;
  ChildPairing on_children_;
};

DiffResult DiffSession::Run() {
  for (const auto& [c, o] : options_.tid_map) {
    ThreadStream& ct = canary_.Get(c);
    ThreadStream& ot = ours_.Get(o);
    ct.mapped = ot.mapped = true;
    Pair(ct, ot, PairingMethod::kTidMap);
  }
  canary_.keep_text = !IsSeekablePlainFile(options_.canary_path);
  ours_.keep_text = !IsSeekablePlainFile(options_.ours_path);
  SideDecoder canary(options_.canary_path, options_.profile);
  SideDecoder ours(options_.ours_path, options_.profile);
  canary.Start();
  ours.Start();
  // Take the next batch from the side that is behind: the one whose paired threads have fewer
  // events waiting for the other side (when that is clear), else the one that read fewer bytes.
  // Pending queues then hold only the local skew between the engines' schedules, not a drift that
  // grows with the trace. The choice depends on the inputs' content only, never on timing, so the
  // result stays deterministic.
  while (!canary_.ended || !ours_.ended) {
    bool take_canary = ours_.ended || (!canary_.ended && CanaryIsBehind());
    Side& side = take_canary ? canary_ : ours_;
    SideDecoder& decoder = take_canary ? canary : ours;
    auto batch = decoder.Next();
    if (!batch) {
      OnSideEnded(side);
      continue;
    }
    side.bytes += batch->bytes;
    Consume(side, *batch);
    decoder.Recycle(std::move(batch));
  }
  PairRemaining();
  AdvanceAll();
  return Collect(canary, ours);
}

void DiffSession::Consume(Side& side, const EventBatch& batch) {
  for (const DecodedEvent& e : batch.events) Route(side, batch, e);
}

void DiffSession::Route(Side& side, const EventBatch& batch, const DecodedEvent& e) {
  ThreadStream& t = side.Get(e.tid);
  if (t.total == 0) {
    t.first_seen = side.events;
    t.first_idx = e.idx;
  }
  ++t.total;
  ++side.events;
  t.last_idx = e.idx;
  if (e.first_call_of_thread) {
    t.first_call = batch.names[e.call_name];
    const Side& other = side.canary ? ours_ : canary_;
    if (other.ended) DropIfUnpairable(t, side, other);
  }
  if (e.has_child_tid) {
    ThreadStream& child = side.Get(e.child_tid);
    if (!child.announced) child.parent = e.tid;
    child.announced = true;
  }
  if (!t.first_event) t.first_event = MakeEventRef(PendingEvent{e, batch.Raw(e)});
  if (side.events == options_.pairing_window) MaybeTakeWindow(side);

  if (t.dropped) return;
  PairAligner* aligner = t.pair >= 0 ? aligners_[static_cast<size_t>(t.pair)].get() : nullptr;
  if (aligner && (aligner->done() || aligner->Offer(side.canary, e, batch.Raw(e), on_children_))) {
    return;
  }
  t.pending.push_back(e, batch.Raw(e));
  if (aligner) aligner->Advance(canary_.ended, ours_.ended, on_children_);
}

void DiffSession::MaybeTakeWindow(Side& side) {
  side.window_taken = true;
  for (ThreadStream* t : side.Sorted()) {
    if (!t->announced && !t->mapped && t->total > 0 && t->first_call) {
      side.window_roots.push_back({t->tid, *t->first_call});
    }
  }
  if (canary_.window_taken && ours_.window_taken) {
    // Only names with one root on each side: a name with several may still gain a root that
    // starts later, and pairing now would break "ascending tid within a name". Those wait for
    // the end of input.
    std::map<std::string, std::pair<int, int>> counts;
    for (const auto& c : canary_.window_roots) ++counts[c.first_call].first;
    for (const auto& o : ours_.window_roots) ++counts[o.first_call].second;
    auto unambiguous = [&](const std::vector<PairingCandidate>& roots) {
      std::vector<PairingCandidate> out;
      for (const auto& r : roots) {
        if (counts[r.first_call] == std::pair<int, int>{1, 1}) out.push_back(r);
      }
      return out;
    };
    PairCandidates(unambiguous(canary_.window_roots), unambiguous(ours_.window_roots));
  }
}

void DiffSession::PairCandidates(const std::vector<PairingCandidate>& c,
                                 const std::vector<PairingCandidate>& o) {
  for (const auto& [ct, ot] : PairByFirstCall(c, o)) {
    ThreadStream* cs = canary_.Find(ct);
    ThreadStream* os = ours_.Find(ot);
    if (cs && os && cs->pair < 0 && os->pair < 0 && !cs->dropped && !os->dropped) {
      Pair(*cs, *os, PairingMethod::kFirstCall);
    }
  }
}

void DiffSession::Pair(ThreadStream& c, ThreadStream& o, PairingMethod method) {
  c.pair = o.pair = static_cast<int>(aligners_.size());
  aligners_.push_back(std::make_unique<PairAligner>(c, o, method, options_.context));
  aligners_.back()->Advance(canary_.ended, ours_.ended, on_children_);
}

void DiffSession::PairChildren(uint64_t canary_tid, uint64_t ours_tid) {
  ThreadStream& c = canary_.Get(canary_tid);
  ThreadStream& o = ours_.Get(ours_tid);
  if (c.pair >= 0 || o.pair >= 0 || c.mapped || o.mapped || c.dropped || o.dropped) return;
  Pair(c, o, PairingMethod::kLineage);
}

void DiffSession::OnSideEnded(Side& side) {
  side.ended = true;
  AdvanceAll();
  // With one input complete, a thread of the other whose first-call group has no unpaired
  // partner left can never pair: stop buffering it.
  if (canary_.ended != ours_.ended) {
    Side& open = canary_.ended ? ours_ : canary_;
    DropUnpairable(open, side);
  }
}

void DiffSession::DropUnpairable(Side& side, const Side& other) {
  for (auto& [tid, t] : side.threads) DropIfUnpairable(*t, side, other);
}

// Once `other` has ended, no comparison can pair threads by lineage any more, and the end-of-input
// pairing only matches first-call groups: a thread with no unpaired partner in its group is done.
void DiffSession::DropIfUnpairable(ThreadStream& t, Side& side, const Side& other) {
  if (t.pair >= 0 || t.dropped || t.mapped || !t.first_call) return;
  if (t.announced) {
    // Lineage can still pair it until its creator's pair has compared its last event.
    ThreadStream* parent = side.Find(t.parent);
    bool parent_done =
        parent && parent->pair >= 0 && aligners_[static_cast<size_t>(parent->pair)]->done();
    if (!parent_done) return;
  }
  for (const auto& [otid, ot] : other.threads) {
    if (ot->pair < 0 && !ot->mapped && !ot->dropped && ot->total > 0 &&
        ot->first_call.value_or("") == *t.first_call) {
      return;
    }
  }
  t.dropped = true;
  t.pending.clear();
}

size_t DiffSession::PairedPending(const Side& side) {
  size_t n = 0;
  for (const auto& [tid, t] : side.threads) {
    if (t->pair >= 0) n += t->pending.size();
  }
  return n;
}

bool DiffSession::CanaryIsBehind() const {
  constexpr size_t kSlack = 4096;  // about one batch of events
  size_t canary_waiting = PairedPending(canary_);
  size_t ours_waiting = PairedPending(ours_);
  if (canary_waiting > ours_waiting + kSlack) return false;
  if (ours_waiting > canary_waiting + kSlack) return true;
  return canary_.bytes <= ours_.bytes;
}

// End of input: threads still unpaired are paired by first call one generation at a time —
// roots first, then threads whose creator is settled (paired, or itself offered already) —
// aligning after each round, so a thread.create compared in one round pairs its children by
// lineage before they could be paired by first call in the next.
void DiffSession::PairRemaining() {
  for (;;) {
    std::vector<PairingCandidate> c = ReadyForFirstCall(canary_);
    std::vector<PairingCandidate> o = ReadyForFirstCall(ours_);
    if (c.empty() && o.empty()) break;
    PairCandidates(c, o);
    AdvanceAll();
  }
  // Whatever is left (a creation cycle in a malformed log): one last round.
  PairCandidates(Unpaired(canary_), Unpaired(ours_));
  AdvanceAll();
}

std::vector<PairingCandidate> DiffSession::ReadyForFirstCall(Side& side) {
  std::vector<PairingCandidate> ready;
  for (ThreadStream* t : side.Sorted()) {
    if (t->considered || t->pair >= 0 || t->mapped || t->dropped || t->total == 0) continue;
    if (t->announced) {
      ThreadStream* parent = side.Find(t->parent);
      bool settled = !parent || parent->pair >= 0 || parent->considered || parent->total == 0;
      if (!settled) continue;
    }
    ready.push_back({t->tid, t->first_call.value_or("")});
  }
  for (const auto& r : ready) side.Find(r.tid)->considered = true;
  return ready;
}

std::vector<PairingCandidate> DiffSession::Unpaired(Side& side) {
  std::vector<PairingCandidate> out;
  for (ThreadStream* t : side.Sorted()) {
    if (t->pair >= 0 || t->mapped || t->dropped || t->total == 0) continue;
    out.push_back({t->tid, t->first_call.value_or("")});
  }
  return out;
}

void DiffSession::AdvanceAll() {
  // Advancing a pair can pair children (lineage), which appends aligners: index, don't iterate.
  for (size_t i = 0; i < aligners_.size(); ++i) {
    aligners_[i]->Advance(canary_.ended, ours_.ended, on_children_);
  }
}

// Events from seekable inputs were kept as offsets: read back the few a report shows.
void DiffSession::FetchRawLines(Divergence& d) const {
  std::optional<LineFetcher> canary, ours;
  auto fetch = [&](std::optional<EventRef>& ref, bool canary_side) {
    if (ref) Fetch(*ref, canary_side ? canary : ours, canary_side);
  };
  fetch(d.canary, true);
  fetch(d.canary_next, true);
  fetch(d.ours, false);
  fetch(d.ours_next, false);
  for (MatchedPair& m : d.context) {
    Fetch(m.canary, canary, true);
    Fetch(m.ours, ours, false);
  }
}

void DiffSession::Fetch(EventRef& ref, std::optional<LineFetcher>& fetcher,
                        bool canary_side) const {
  if (!ref.raw.empty() || ref.size == 0) return;
  if (!fetcher) fetcher.emplace(canary_side ? options_.canary_path : options_.ours_path);
  ref.raw = fetcher->Fetch(ref.offset, ref.size);
}

DiffResult DiffSession::Collect(const SideDecoder& c, const SideDecoder& o) const {
  DiffResult r;
  r.canary_path = options_.canary_path;
  r.ours_path = options_.ours_path;
  r.canary_engine = c.engine();
  r.ours_engine = o.engine();
  r.rules = options_.profile.DescribeRules();
  r.context_events = static_cast<int>(options_.context);
  r.allow_truncation = options_.allow_truncation;
  r.canary_events = canary_.events;
  r.ours_events = ours_.events;
  for (const auto& aligner : aligners_) {
    PairResult p = aligner->Result(options_.allow_truncation);
    if (p.divergence) {
      FetchRawLines(*p.divergence);
      DescribeDivergence(p, options_.profile);
    }
    r.pairs.push_back(std::move(p));
  }
  std::sort(r.pairs.begin(), r.pairs.end(),
            [](const PairResult& a, const PairResult& b) { return a.canary_tid < b.canary_tid; });
  for (const Side* side : {&canary_, &ours_}) {
    for (ThreadStream* t : const_cast<Side*>(side)->Sorted()) {
      if (t->pair >= 0 || t->total == 0) continue;
      UnpairedThread u;
      u.canary_side = side->canary;
      u.tid = t->tid;
      u.events = t->total;
      u.first_call = t->first_call.value_or("");
      u.first_idx = t->first_idx;
      u.last_idx = t->last_idx;
      u.first_event = t->first_event;
      r.unpaired.push_back(std::move(u));
    }
  }
  return r;
}

}  // namespace

DiffResult RunDiff(const DiffOptions& options) {
  DiffSession session(options);
  DiffResult result = session.Run();
  bool both_have_threads = result.canary_events > 0 && result.ours_events > 0;
  for (const PairResult& p : result.pairs) {
    if (p.method == PairingMethod::kTidMap && p.canary_total == 0 && p.ours_total == 0) {
      throw UsageError("--tid-map " + std::to_string(p.canary_tid) + "=" +
                       std::to_string(p.ours_tid) +
                       ": neither thread has any event (is the map for these logs?)");
    }
  }
  if (result.pairs.empty() && both_have_threads) {
    throw UsageError(
        "no thread of " + options.canary_path + " pairs with a thread of " + options.ours_path +
        " (first kernel.call names differ): pass --tid-map CANARY=OURS,... to pair them by hand");
  }
  return result;
}

}  // namespace de
