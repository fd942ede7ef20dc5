#include "diff_events/align/diff_session.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>

#include "diff_events/align/difference_description.h"
#include "diff_events/align/input_scheduler.h"
#include "diff_events/align/pair_aligner.h"
#include "diff_events/align/thread_registry.h"
#include "diff_events/decode/side_decoder.h"
#include "diff_events/explain/wait_analysis.h"
#include "diff_events/input_error.h"
#include "diff_events/io/byte_source.h"

namespace de {
namespace {

// The size of a regular file, 0 for stdin, a pipe or what cannot be stat'ed.
uint64_t FileSize(const std::string& path) {
  struct stat st;
  if (path == "-" || stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  return static_cast<uint64_t>(st.st_size);
}

// Whether a regular file's first bytes say it is not compressed.
bool PlainFile(const std::string& path) {
  unsigned char prefix[4] = {};
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  size_t n = std::fread(prefix, 1, sizeof prefix, f);
  std::fclose(f);
  return SniffCompression(prefix, n) == Compression::kNone;
}

// Splitting a big plain input's decoding across two threads (SideDecoder::Options::split): a
// compressed one keeps the other core busy decompressing already. The environment can turn it
// off, to measure what it brings.
bool SplitDecodingWanted(const std::string& path) {
  const char* v = std::getenv("DIFF_EVENTS_SPLIT_DECODE");
  if (v && std::string_view(v) == "0") return false;
  return PlainFile(path);
}

struct Side {
  Side(bool canary, Input& input, const DiffOptions& options, PendingMemory& memory)
      : threads(canary, !input.rereader, &memory),
        behavior(options.profile, canary ? options.canary_window : options.ours_window),
        path(input.path),
        rereader(input.rereader) {}

  ThreadRegistry threads;
  SideBehavior behavior;
  EventNames names;
  std::string path;
  std::shared_ptr<const LineRereader> rereader;  // null: pending events keep their text
  bool ended = false;
  uint64_t events = 0;
  uint64_t bytes = 0;
  // Unpaired threads with a known first call, per name: who may still pair with whom.
  std::map<std::string, size_t> buffering_in_group;
  // kernel.calls per name id, all of them and the masked ones (capture visibility, --mask).
  std::vector<uint64_t> calls_by_name;
  std::vector<uint64_t> masked_by_name;
  uint64_t masked_events = 0;

  // Counts the event; true when --mask drops it before alignment.
  bool CountMasked(const DecodedEvent& e) {
    bool call = e.event_class == EventClass::kKernelCall && e.name_id != 0;
    if (call) ++calls_by_name[e.name_id];
    if (!e.masked) return false;
    ++masked_events;
    if (call) ++masked_by_name[e.name_id];
    return true;
  }
  // Name → count of the names with any kernel.call.
  std::map<std::string, uint64_t> CallTotals(const std::vector<uint64_t>& by_id) const {
    std::map<std::string, uint64_t> out;
    for (size_t id = 1; id < by_id.size(); ++id) {
      if (by_id[id]) out[names[static_cast<uint32_t>(id)]] += by_id[id];
    }
    return out;
  }

  bool canary() const { return threads.canary_side(); }
  // The thread's first kernel.call name: its pairing group ("" before it made one). Valid until
  // the next batch's names are appended.
  const std::string& GroupOf(const ThreadStream& t) const {
    static const std::string kNone;
    return t.first_call_id ? names[*t.first_call_id] : kNone;
  }
};

// Every name called on either side, the largest differences first; the names are views of
// `names`, where each is kept once.
std::vector<CallCount> CallCounts(const std::map<std::string, uint64_t>& canary,
                                  const std::map<std::string, uint64_t>& ours,
                                  std::set<std::string, std::less<>>& names) {
  std::map<std::string_view, CallCount> merged;
  for (const auto& [name, n] : canary) merged[name].canary = n;
  for (const auto& [name, n] : ours) merged[name].ours = n;
  std::vector<CallCount> out;
  out.reserve(merged.size());
  for (auto& [name, c] : merged) {
    auto it = names.find(name);
    if (it == names.end()) it = names.emplace(name).first;
    c.name = *it;
    out.push_back(c);
  }
  std::stable_sort(out.begin(), out.end(), [](const CallCount& a, const CallCount& b) {
    return std::llabs(a.delta()) > std::llabs(b.delta());
  });
  return out;
}

class DiffSession {
 public:
  DiffSession(Input& canary, Input& ours, const DiffOptions& options)
      : options_(options),
        policy_(MakePairingPolicy(options.pair_by, options.pairing_prefix)),
        pending_memory_(options.pending_memory),
        canary_(true, canary, options, pending_memory_),
        ours_(false, ours, options, pending_memory_) {
    on_children_ = [this](uint64_t c, uint64_t o) { lineage_.emplace_back(c, o); };
  }

  DiffResult Run(Input& canary, Input& ours);

 private:
  Side& OtherOf(const Side& side) { return side.canary() ? ours_ : canary_; }
  const Side& SideOf(const ThreadStream& t) const { return t.canary_side ? canary_ : ours_; }

  // Streaming.
  void Route(Side& side, const EventBatch& batch, const DecodedEvent& e);
  void OnSideEnded(Side& side);
  bool CheckpointReached() const;
  void Checkpoint();

  // Pairing.
  void Pair(ThreadStream& c, ThreadStream& o, PairingMethod method,
            std::optional<PairingConfidence> confidence);
  void DrainLineage();
  bool LineagePending(const Side& side, const ThreadStream& t) const;
  bool Ripe(const Side& side, const ThreadStream& t) const;
  static ContentCandidate CandidateOf(ThreadStream& t, size_t prefix);
  void OfferGroups(const std::map<std::string, std::array<std::vector<ThreadStream*>, 2>>& groups,
                   bool final);
  void PairAtEnd();
  void DropUnpairable(Side& side);
  void DropIfUnpairable(Side& side, ThreadStream& t);
  void AdvanceAll();
  void AdvanceFrom(size_t first);  // the aligners from index `first` on

  // Results.
  void FetchRawLines(DiffResult& r) const;
  DiffResult Collect(const SideDecoder& c, const SideDecoder& o);
  void CollectVisibility(DiffResult& r) const;

  const DiffOptions& options_;
  std::unique_ptr<PairingPolicy> policy_;
  PendingMemory pending_memory_;  // before the sides: their queues account to it to the end
  Side canary_;
  Side ours_;
  std::vector<std::unique_ptr<PairAligner>> aligners_;
  std::vector<std::optional<PairingConfidence>> confidences_;  // per aligner
  std::deque<std::pair<uint64_t, uint64_t>> lineage_;          // children met, not yet paired
  ChildPairing on_children_;
  uint64_t next_checkpoint_ = 0;
  std::map<std::string, std::array<size_t, 2>> last_offer_;  // per group: candidates offered
  std::vector<ThreadStream*> paired_log_;                    // threads paired, in order
  std::array<bool, 2> split_ = {false, false};               // decoded by two threads
};

DiffResult DiffSession::Run(Input& canary_input, Input& ours_input) {
  for (const auto& [c, o] : options_.tid_map) {
    ThreadStream& ct = canary_.threads.Get(c);
    ThreadStream& ot = ours_.threads.Get(o);
    ct.mapped = ot.mapped = true;
    Pair(ct, ot, PairingMethod::kTidMap, std::nullopt);
  }
  next_checkpoint_ = std::max<uint64_t>(options_.pairing_window, 1);
  // Rereadable inputs' lines are read back by offset for the few events reports show. An input
  // four times the other's size (the users' usual case: ours wedged early) decompresses ahead,
  // on the core the small side leaves idle.
  uint64_t canary_size = FileSize(canary_.path), ours_size = FileSize(ours_.path);
  bool both_known = canary_size > 0 && ours_size > 0;
  auto options_for = [&](const Input& input, bool lopsided) {
    SideDecoder::Options o;
    o.keep_text = !input.rereader;
    o.read_ahead = lopsided;
    o.split = lopsided && SplitDecodingWanted(input.path);
    return o;
  };
  SideDecoder::Options canary_options =
      options_for(canary_input, both_known && canary_size / 4 > ours_size);
  SideDecoder::Options ours_options =
      options_for(ours_input, both_known && ours_size / 4 > canary_size);
  split_ = {canary_options.split, ours_options.split};
  SideDecoder canary(std::move(canary_input.bytes), canary_.path == "-" ? "<stdin>" : canary_.path,
                     options_.profile, canary_options);
  SideDecoder ours(std::move(ours_input.bytes), ours_.path == "-" ? "<stdin>" : ours_.path,
                   options_.profile, ours_options);
  canary.Start();
  ours.Start();
  while (!canary_.ended || !ours_.ended) {
    bool take_canary =
        ReadCanaryNext({canary_.ended, canary_.bytes, canary_.threads.PairedPending()},
                       {ours_.ended, ours_.bytes, ours_.threads.PairedPending()});
    Side& side = take_canary ? canary_ : ours_;
    SideDecoder& decoder = take_canary ? canary : ours;
    auto batch = decoder.Next();
    if (!batch) {
      OnSideEnded(side);
    } else {
      side.bytes += batch->bytes;
      side.names.Append(*batch);
      side.calls_by_name.resize(side.names.size());
      side.masked_by_name.resize(side.names.size());
      const std::vector<EventFacts>& facts = batch->facts;
      size_t next_facts = 0;
      for (size_t i = 0; i < batch->events.size(); ++i) {
        const DecodedEvent& e = batch->events[i];
        bool has_facts = next_facts < facts.size() && facts[next_facts].event == i;
        side.behavior.Observe(e, has_facts ? &facts[next_facts++] : nullptr, *batch, side.names);
        if (!side.CountMasked(e)) Route(side, *batch, e);
      }
      decoder.Recycle(std::move(batch));
    }
    SideBehavior::ForgetDestroyedHandles(canary_.behavior, canary_.ended, ours_.behavior,
                                         ours_.ended);
    if (CheckpointReached()) Checkpoint();
  }
  PairAtEnd();
  return Collect(canary, ours);
}

void DiffSession::Route(Side& side, const EventBatch& batch, const DecodedEvent& e) {
  ThreadStream& t = side.threads.Get(e.tid);
  if (t.total == 0) {
    t.first_seen = side.events;
    t.first_idx = e.idx;
  }
  ++t.total;
  t.last_seen = side.events++;
  t.last_idx = e.idx;
  if (e.has_child_tid) {
    ThreadStream& child = side.threads.Get(e.child_tid);
    if (!child.announced) child.parent = e.tid;
    child.announced = true;
  }
  if (e.first_call_of_thread) {
    t.first_call_id = e.name_id;
    if (t.buffering()) {
      ++side.buffering_in_group[side.GroupOf(t)];
      if (OtherOf(side).ended) DropIfUnpairable(side, t);
    }
  }

  if (t.state == ThreadState::kDropped) {
    // Dropped at its first event, which was never queued: keep it for the report.
    if (t.total == 1)
      t.dropped_first = MakeEventRef(PendingEvent{e, side.rereader ? "" : batch.Raw(e)});
    return;
  }
  PairAligner* aligner = t.paired() ? aligners_[static_cast<size_t>(t.pair)].get() : nullptr;
  if (aligner && (aligner->Swallow(side.canary()) ||
                  aligner->Offer(side.canary(), e, batch.Raw(e), on_children_))) {
    DrainLineage();
    return;
  }
  t.pending.push_back(e, batch.Raw(e));
  if (aligner) aligner->Advance(canary_.ended, ours_.ended, on_children_);
  DrainLineage();
}

void DiffSession::OnSideEnded(Side& side) {
  side.ended = true;
  AdvanceAll();
  Side& other = OtherOf(side);
  // A thread of the ended side that never made a kernel.call can only meet such threads now.
  for (ThreadStream* t : side.threads.Buffering()) {
    if (!t->first_call_id) ++side.buffering_in_group[""];
  }
  if (!other.ended) DropUnpairable(other);
}

bool DiffSession::CheckpointReached() const {
  auto reached = [&](const Side& s) { return s.ended || s.events >= next_checkpoint_; };
  return options_.pairing_window > 0 && reached(canary_) && reached(ours_) &&
         !(canary_.ended && ours_.ended);
}

// Mid-stream pairing: ripe candidates of each first-call group are offered to the policy,
// which pairs only what threads still to come cannot change. Bounds how long threads are
// buffered before the end of input.
void DiffSession::Checkpoint() {
  while (CheckpointReached()) next_checkpoint_ += std::max<uint64_t>(options_.pairing_window, 1);
  std::map<std::string, std::array<std::vector<ThreadStream*>, 2>> groups;
  for (Side* side : {&canary_, &ours_}) {
    for (ThreadStream* t : side->threads.Buffering()) {
      if (t->mapped || !t->first_call_id || LineagePending(*side, *t) || !Ripe(*side, *t)) continue;
      groups[side->GroupOf(*t)][side->canary() ? 0 : 1].push_back(t);
    }
  }
  // A group whose candidates are the ones offered last time gets the same answer: skip it.
  for (auto it = groups.begin(); it != groups.end();) {
    std::array<size_t, 2> sizes{it->second[0].size(), it->second[1].size()};
    auto [last, inserted] = last_offer_.try_emplace(it->first, sizes);
    bool same = !inserted && last->second == sizes;
    last->second = sizes;
    it = same || sizes[0] == 0 || sizes[1] == 0 ? groups.erase(it) : std::next(it);
  }
  OfferGroups(groups, false);
  if (canary_.ended != ours_.ended) DropUnpairable(canary_.ended ? ours_ : canary_);
}

bool DiffSession::Ripe(const Side& side, const ThreadStream& t) const {
  // Its first K events are known, or it has gone quiet for a whole pairing window.
  return side.ended || t.total >= options_.pairing_prefix ||
         side.events - t.last_seen >= options_.pairing_window;
}

// Lineage may still pair an announced thread while its creator is unpaired, or paired and its
// comparison still running (the creators' thread.create events may yet meet).
bool DiffSession::LineagePending(const Side& side, const ThreadStream& t) const {
  if (!t.announced) return false;
  const ThreadStream* parent = side.threads.Find(t.parent);
  if (!parent || parent->total == 0) return false;
  if (parent->buffering()) return !parent->offered;
  if (parent->paired()) return !aligners_[static_cast<size_t>(parent->pair)]->done();
  return false;
}

// Reading a spilled queue's front may load it back from the file: not const.
ContentCandidate DiffSession::CandidateOf(ThreadStream& t, size_t prefix) {
  ContentCandidate c;
  c.tid = t.tid;
  c.order = t.first_seen;
  c.prefix = t.pending.FrontFingerprints(prefix);
  return c;
}

void DiffSession::OfferGroups(
    const std::map<std::string, std::array<std::vector<ThreadStream*>, 2>>& groups, bool final) {
  for (const auto& [group_name, sides] : groups) {
    const std::string& name = group_name;  // a lambda below cannot capture a structured binding
    std::vector<ContentCandidate> cs, os;
    cs.reserve(sides[0].size());
    os.reserve(sides[1].size());
    for (ThreadStream* t : sides[0]) cs.push_back(CandidateOf(*t, options_.pairing_prefix));
    for (ThreadStream* t : sides[1]) os.push_back(CandidateOf(*t, options_.pairing_prefix));
    PairingRound round;
    round.final = final;
    auto counted = [&](const Side& s) {
      auto it = s.buffering_in_group.find(name);
      return it == s.buffering_in_group.end() ? 0 : it->second;
    };
    round.whole_group = counted(canary_) == cs.size() && counted(ours_) == os.size();
    for (const PairingProposal& p : policy_->Propose(cs, os, round)) {
      ThreadStream* c = canary_.threads.Find(p.canary_tid);
      ThreadStream* o = ours_.threads.Find(p.ours_tid);
      if (c && o && c->buffering() && o->buffering()) Pair(*c, *o, p.method, p.confidence);
    }
  }
}

void DiffSession::Pair(ThreadStream& c, ThreadStream& o, PairingMethod method,
                       std::optional<PairingConfidence> confidence) {
  int index = static_cast<int>(aligners_.size());
  for (auto [side, t] : {std::pair{&canary_, &c}, std::pair{&ours_, &o}}) {
    if (t->first_call_id && t->buffering()) --side->buffering_in_group[side->GroupOf(*t)];
    side->threads.MarkPaired(*t, index);
    paired_log_.push_back(t);
  }
  aligners_.push_back(
      std::make_unique<PairAligner>(c, o, method, options_.context, options_.resync));
  confidences_.push_back(confidence);
  aligners_.back()->Advance(canary_.ended, ours_.ended, on_children_);
}

// Children met in the aligner pair here, iteratively: a creation chain thousands deep must not
// recurse through Pair → Advance → Pair.
void DiffSession::DrainLineage() {
  while (!lineage_.empty()) {
    auto [ct, ot] = lineage_.front();
    lineage_.pop_front();
    ThreadStream& c = canary_.threads.Get(ct);
    ThreadStream& o = ours_.threads.Get(ot);
    if (c.buffering() && o.buffering() && !c.mapped && !o.mapped) {
      Pair(c, o, PairingMethod::kLineage, std::nullopt);
    }
  }
}

void DiffSession::AdvanceAll() { AdvanceFrom(0); }

void DiffSession::AdvanceFrom(size_t first) {
  // Advancing can pair children, which appends aligners: index, don't iterate.
  for (size_t i = first; i < aligners_.size(); ++i) {
    aligners_[i]->Advance(canary_.ended, ours_.ended, on_children_);
    DrainLineage();
  }
}

void DiffSession::DropUnpairable(Side& side) {
  for (ThreadStream* t : side.threads.Buffering()) DropIfUnpairable(side, *t);
}

// Once the other input has ended, a thread whose group has nobody unpaired left there, and
// that lineage can no longer pair, is done: counted, not buffered.
void DiffSession::DropIfUnpairable(Side& side, ThreadStream& t) {
  if (!t.buffering() || t.mapped || !t.first_call_id || LineagePending(side, t)) return;
  const Side& other = OtherOf(side);
  const std::string& group = side.GroupOf(t);
  auto it = other.buffering_in_group.find(group);
  if (it != other.buffering_in_group.end() && it->second > 0) return;
  --side.buffering_in_group[group];
  side.threads.Drop(t);
}

// End of input: what is still unpaired is offered one generation at a time — roots and
// threads whose creator is settled first, then the children of what that round settled —
// aligning in between, so children pair by lineage before any policy sees them. Each round
// looks only at the children of the previous one: a chain 20 000 threads deep costs linear time.
void DiffSession::PairAtEnd() {
  AdvanceAll();
  std::map<uint64_t, std::vector<ThreadStream*>> children[2];
  std::vector<ThreadStream*> next;
  for (Side* side : {&canary_, &ours_}) {
    for (ThreadStream* t : side->threads.All()) {
      if (t->announced) children[side->canary() ? 0 : 1][t->parent].push_back(t);
      if (t->buffering() && !t->mapped && t->total > 0 && !LineagePending(*side, *t)) {
        next.push_back(t);
      }
    }
  }
  while (!next.empty()) {
    std::map<std::string, std::array<std::vector<ThreadStream*>, 2>> groups;
    for (ThreadStream* t : next) {
      if (!t->buffering() || t->offered) continue;
      t->offered = true;
      groups[SideOf(*t).GroupOf(*t)][t->canary_side ? 0 : 1].push_back(t);
    }
    size_t logged = paired_log_.size(), aligned = aligners_.size();
    OfferGroups(groups, true);
    // Both inputs have ended: an aligner advanced once since then has nothing new to compare.
    // Only this round's pairs advance, or a chain settled one generation per round would cost
    // rounds × pairs.
    AdvanceFrom(aligned);
    // The next generation: children of every thread this round offered or paired.
    std::vector<ThreadStream*> settled;
    for (auto& [name, sides] : groups) {
      for (auto& side : sides) settled.insert(settled.end(), side.begin(), side.end());
    }
    settled.insert(settled.end(), paired_log_.begin() + static_cast<std::ptrdiff_t>(logged),
                   paired_log_.end());
    next.clear();
    for (ThreadStream* parent : settled) {
      auto& kids = children[parent->canary_side ? 0 : 1];
      auto it = kids.find(parent->tid);
      if (it == kids.end()) continue;
      for (ThreadStream* child : it->second) {
        if (child->buffering() && !child->offered && child->total > 0) next.push_back(child);
      }
      kids.erase(it);
    }
    std::sort(next.begin(), next.end(), [](auto* a, auto* b) {
      return std::pair{!a->canary_side, a->tid} < std::pair{!b->canary_side, b->tid};
    });
  }
  // Whatever is left (a creation cycle in a malformed log): one last round for everyone.
  std::map<std::string, std::array<std::vector<ThreadStream*>, 2>> rest;
  for (Side* side : {&canary_, &ours_}) {
    for (ThreadStream* t : side->threads.Buffering()) {
      if (!t->mapped && t->total > 0) rest[side->GroupOf(*t)][side->canary() ? 0 : 1].push_back(t);
    }
  }
  size_t aligned = aligners_.size();
  OfferGroups(rest, true);
  AdvanceFrom(aligned);
}

// Events from rereadable inputs were kept as offsets: read back the few a report shows, all of a
// side in one FetchAll (a compressed input is decompressed once more, not once per line), and
// give each the summary reports show.
void DiffSession::FetchRawLines(DiffResult& r) const {
  std::array<std::vector<EventRef*>, 2> refs;  // canary, ours
  auto add = [&](EventRef& ref, bool canary_side) { refs[canary_side ? 0 : 1].push_back(&ref); };
  for (PairResult& p : r.pairs) {
    for (Hunk& h : p.hunks) {
      for (EventRef& e : h.canary_events) add(e, true);
      for (EventRef& e : h.ours_events) add(e, false);
    }
    if (!p.divergence) continue;
    Divergence& d = *p.divergence;
    for (auto [ref, canary_side] : {std::pair{&d.canary, true}, std::pair{&d.canary_next, true},
                                    std::pair{&d.ours, false}, std::pair{&d.ours_next, false}}) {
      if (*ref) add(**ref, canary_side);
    }
    for (MatchedPair& m : d.context) {
      add(m.canary, true);
      add(m.ours, false);
    }
  }
  for (UnpairedThread& u : r.unpaired) {
    if (u.first_event) add(*u.first_event, u.canary_side);
  }
  for (int s = 0; s < 2; ++s) {
    const Side& side = s == 0 ? canary_ : ours_;
    std::vector<LineRereader::Request> requests;
    for (EventRef* ref : refs[s]) {
      if (ref->raw.empty() && ref->size != 0)
        requests.push_back({ref->offset, ref->size, &ref->raw});
    }
    if (!requests.empty() && side.rereader) side.rereader->FetchAll(requests);
    for (EventRef* ref : refs[s]) Summarize(*ref);
  }
}

DiffResult DiffSession::Collect(const SideDecoder& c, const SideDecoder& o) {
  DiffResult r;
  r.canary_path = canary_.path;
  r.ours_path = ours_.path;
  r.canary_engine = c.engine();
  r.ours_engine = o.engine();
  r.rules = options_.profile.DescribeRules();
  r.context_events = static_cast<int>(options_.context);
  r.max_hunks = options_.resync.max_hunks;
  r.fold_period = options_.resync.fold_period;
  r.reorder_gap = options_.resync.reorder_gap;
  r.reorder_window = options_.resync.reorder_window;
  r.ignore_reordered = options_.resync.ignore_reordered;
  r.allow_truncation = options_.allow_truncation;
  r.canary_events = canary_.events;
  r.ours_events = ours_.events;
  // Each side's blocks, so that a difference line names what a pointer points into.
  std::shared_ptr<const SidePointers> canary_pointers = c.pointers(), ours_pointers = o.pointers();
  // Taken in canary tid order, the order reports list pairs in: no sort moves the results.
  std::vector<size_t> order(aligners_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return aligners_[a]->canary_tid() < aligners_[b]->canary_tid();
  });
  auto call_names = std::make_shared<std::set<std::string, std::less<>>>();
  r.call_names = call_names;
  for (size_t i : order) {
    PairResult p = aligners_[i]->TakeResult(options_.allow_truncation);
    // The canary thread's first call names the pair, or ours' when canary made none.
    const ThreadStream* ct = canary_.threads.Find(p.canary_tid);
    const ThreadStream* ot = ours_.threads.Find(p.ours_tid);
    p.first_call = ct && ct->first_call_id ? canary_.GroupOf(*ct) : ot ? ours_.GroupOf(*ot) : "";
    aligners_[i].reset();  // results grow as aligners go: 100 000 pairs must not hold both
    canary_.threads.Forget(p.canary_tid);  // ... nor their streams
    ours_.threads.Forget(p.ours_tid);
    p.pairing = confidences_[i];
    p.canary_life = canary_.behavior.TakeLifeOf(p.canary_tid);
    p.ours_life = ours_.behavior.TakeLifeOf(p.ours_tid);
    p.call_counts = CallCounts(canary_.behavior.CallsOf(p.canary_tid, canary_.names),
                               ours_.behavior.CallsOf(p.ours_tid, ours_.names), *call_names);
    canary_.behavior.Release(p.canary_tid);  // ... nor their behaviour records
    ours_.behavior.Release(p.ours_tid);
    r.pairs.push_back(std::move(p));
  }
  for (Side* side : {&canary_, &ours_}) {
    for (ThreadStream* t : side->threads.All()) {
      if (t->paired() || t->total == 0) continue;
      UnpairedThread u;
      u.canary_side = side->canary();
      u.tid = t->tid;
      u.events = t->total;
      u.first_call = side->GroupOf(*t);
      u.first_idx = t->FirstIdx();
      u.last_idx = t->LastIdx();
      u.first_event = t->FirstEvent();
      u.life = side->behavior.TakeLifeOf(t->tid);
      r.unpaired.push_back(std::move(u));
    }
  }
  FetchRawLines(r);
  for (PairResult& p : r.pairs) {
    if (p.divergence)
      DescribeDivergence(p, options_.profile, canary_pointers.get(), ours_pointers.get());
  }
  CollectVisibility(r);
  AnalyzeWaits(r, {canary_.behavior, canary_.names}, {ours_.behavior, ours_.names});
  ClassifyCauses(r);
  r.pending = pending_memory_.stats();
  r.canary_split_decode = split_[0];
  r.ours_split_decode = split_[1];
  return r;
}

// Calls one side logs often and the other never, and what --mask dropped.
void DiffSession::CollectVisibility(DiffResult& r) const {
  r.visibility_threshold = options_.visibility_threshold;
  std::map<std::string, uint64_t> totals[2] = {canary_.CallTotals(canary_.calls_by_name),
                                               ours_.CallTotals(ours_.calls_by_name)};
  for (int side = 0; side < 2; ++side) {
    for (const auto& [name, count] : totals[side]) {
      if (count < options_.visibility_threshold || totals[1 - side].count(name)) continue;
      r.warnings.push_back({name, side == 0, count, options_.profile.mask.count(name) > 0});
    }
  }
  std::stable_sort(
      r.warnings.begin(), r.warnings.end(),
      [](const CaptureWarning& a, const CaptureWarning& b) { return a.count > b.count; });
  std::map<std::string, uint64_t> masked[2] = {canary_.CallTotals(canary_.masked_by_name),
                                               ours_.CallTotals(ours_.masked_by_name)};
  for (const std::string& name : options_.profile.mask) {
    r.masked.push_back({name, masked[0][name], masked[1][name]});
  }
  r.canary_masked_events = canary_.masked_events;
  r.ours_masked_events = ours_.masked_events;
}

void CheckPairs(const DiffResult& result) {
  for (const PairResult& p : result.pairs) {
    if (p.method == PairingMethod::kTidMap && p.canary_total == 0 && p.ours_total == 0) {
      throw UsageError("--tid-map " + std::to_string(p.canary_tid) + "=" +
                       std::to_string(p.ours_tid) +
                       ": neither thread has any event (is the map for these logs?)");
    }
  }
  bool both_have_threads = result.canary_events > 0 && result.ours_events > 0;
  if (result.pairs.empty() && both_have_threads) {
    throw UsageError("no thread of " + result.canary_path + " pairs with a thread of " +
                     result.ours_path +
                     " (first kernel.call names differ): pass --tid-map CANARY=OURS,... to pair "
                     "them by hand");
  }
}

}  // namespace

DiffResult RunDiff(Input canary, Input ours, const DiffOptions& given) {
  DiffOptions options = given;
  if (!options.profile.mask.empty()) options.resync.compare_idx = false;
  DiffSession session(canary, ours, options);
  DiffResult result = session.Run(canary, ours);
  CheckPairs(result);
  return result;
}

DiffResult RunDiffFiles(const DiffOptions& options) {
  return RunDiff(OpenDiffInput(options.canary_path), OpenDiffInput(options.ours_path), options);
}

}  // namespace de
