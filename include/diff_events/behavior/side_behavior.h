// What each thread of one engine did, aggregated as the events stream by: its lifetime and how
// it ended, how often it made each kernel call, and who signals which handle. Memory is one
// aggregate per thread, per (thread, call name) and per (handle, thread, call): bounded by
// threads, call sites and handles, never by events. A destroyed handle's aggregate goes once
// neither engine can end waiting on it (ForgetDestroyedHandles), so handles count while live,
// or while the other engine has not destroyed them yet, or while a thread waits on them.
#pragma once

#include <tsl/robin_map.h>
#include <tsl/robin_set.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diff_events/align/diff_result.h"
#include "diff_events/behavior/activity_bins.h"
#include "diff_events/behavior/stable_store.h"
#include "diff_events/canon/profile.h"
#include "diff_events/decode/event.h"
#include "diff_events/decode/tid_map.h"
#include "diff_events/small_list.h"

namespace de {

// An engine's host-time window [from, to] in ns (--canary-window / --ours-window).
struct HostWindow {
  int64_t from = 0;
  int64_t to = 0;
  bool Contains(int64_t ns) const { return ns >= from && ns <= to; }
};

// Parses "1.9s..2.1s" (units ns, us, ms, s; a bare number is ns). Throws UsageError.
HostWindow ParseHostWindow(const std::string& text, const std::string& option);

class SideBehavior {
 public:
  SideBehavior(const Profile& profile, std::optional<HostWindow> window);

  // Every event of the side, in file order; `facts` (in `batch`) when the decoder pulled any out.
  void Observe(const DecodedEvent& e, const EventFacts* facts, const EventBatch& batch,
               const EventNames& names);

  Lifetime LifeOf(uint64_t tid) const;
  // The same, once per thread at the end: its activity bins move into the result (100 000
  // threads' bins must not be held twice); LifeOf afterwards shows none.
  Lifetime TakeLifeOf(uint64_t tid);
  // Call name → count, for the thread's kernel.calls inside the window.
  std::map<std::string, uint64_t> CallsOf(uint64_t tid, const EventNames& names) const;
  // Once its lifetime and calls are taken: the thread's record goes (what 100 000 records hold
  // must not stay beside their results). Only its exit is kept, for SignalersOf; LifeOf,
  // CallsOf and HandlesOf then answer as for a thread never seen.
  void Release(uint64_t tid);
  // Everyone who signals `handle` on this side, by tid then name.
  std::vector<Signaler> SignalersOf(const std::string& handle, const EventNames& names) const;
  // "Event", the number when the profile does not name it, "" when no handle.create named it.
  std::string ObjectTypeOf(const std::string& handle) const;

  // Drops the aggregates of destroyed handles that no report can ask for any more: those no
  // thread of either side waits on now, and that the other side has destroyed too or (its
  // stream over) does not end blocked on. Cheap unless enough destroys piled up since the last
  // sweep; call it as events stream by.
  static void ForgetDestroyedHandles(SideBehavior& canary, bool canary_ended, SideBehavior& ours,
                                     bool ours_ended);
  size_t handle_aggregates() const { return handles_.size(); }
  // Every thread seen, in the order of its first event.
  std::vector<uint64_t> Tids() const;
  // The thread's handle.create and handle.destroy events (inside the window).
  struct HandleCounts {
    uint64_t created = 0;
    uint64_t destroyed = 0;
  };
  HandleCounts HandlesOf(uint64_t tid) const;

 private:
  enum class NameRole : uint8_t { kUnknown, kExit, kOther };
  struct SiteRef {
    uint64_t handle = 0;
    uint32_t name_id = 0;
    uint32_t aggregate = 0;   // index into handle_store_
    uint32_t site = 0;        // index into its sites
    uint64_t generation = 0;  // handle_generation_ when taken: 0 never matches
  };
  struct CallCount {
    uint32_t name_id;
    uint64_t count;
  };
  // What a thread did with handles: waits, signals, creates. Behind a pointer, made at the first
  // such event: many threads never touch a handle.
  struct HandleUse {
    // The last wait.begin, when no wait.end followed it: its storage stays for the next one
    // (behind a pointer too: creating and signalling threads need not wait).
    std::unique_ptr<AwaitedHandles> open_wait;
    bool waiting = false;
    uint64_t last_thread_handle = 0;  // a Thread handle.create not yet tied to a thread.create
    // The signal site this thread counted last: a thread signals the same handle in a loop.
    SiteRef last_site;
    HandleCounts handles;
  };
  // Every thread of a trace has one, and 100 000 of them may be waiting to pair at once: no
  // std::optional (8 bytes each for a flag), the first call name inline (SmallList).
  struct ThreadAggregate {
    uint64_t tid = 0;
    uint64_t events = 0;  // inside the window
    uint64_t kernel_calls = 0;
    int64_t first_host_ns = 0, last_host_ns = 0;  // of those events: valid once events > 0
    uint64_t exit_idx = 0;                        // valid when exited
    // Name id → count, sorted by id: a thread calls a few dozen names at most, most threads a
    // handful; a flat list is a fifth of a hash map's size for them.
    SmallList<CallCount> calls;
    ActivityBins activity;
    std::unique_ptr<HandleUse> handle_use;
    bool exited = false;
    uint32_t index = 0;  // in thread_store_
    void Exit(uint64_t idx) {
      exited = true;
      exit_idx = idx;
    }
    HandleUse& Use() {
      if (!handle_use) handle_use = std::make_unique<HandleUse>();
      return *handle_use;
    }
    bool waiting() const { return handle_use && handle_use->waiting; }
  };
  struct SignalSite {
    uint64_t tid;
    uint32_t name_id;
    uint64_t count;
    uint64_t first_idx;
  };
  // Flags beside the values, not std::optionals: 48 B instead of 64, one per live handle.
  struct HandleAggregate {
    int64_t object_type = 0;  // when has_object_type
    uint64_t thread_tid = 0;  // a Thread handle: the thread it stands for, when has_thread_tid
    std::vector<SignalSite> sites;
    bool has_object_type = false;
    bool has_thread_tid = false;
    bool destroyed = false;  // a handle.destroy named it (listed in destroyed_)
  };

  Lifetime LifeBut(const ThreadAggregate& t) const;  // all of LifeOf but the activity bins
  inline NameRole RoleOf(uint32_t name_id, const EventNames& names);
  NameRole LookUpRole(uint32_t name_id, const EventNames& names);
  void ObserveFacts(ThreadAggregate& t, const DecodedEvent& e, const EventFacts& facts,
                    const EventBatch& batch);

  std::optional<HostWindow> window_;
  std::set<std::string> exit_calls_;
  std::map<int64_t, std::string> object_type_names_;
  std::vector<int64_t> thread_object_types_;  // the numbers the profile names "Thread"
  std::vector<NameRole> name_roles_;
  inline ThreadAggregate& ThreadOf(uint64_t tid);
  static void CountCall(ThreadAggregate& t, uint32_t name_id);
  ThreadAggregate& LookUpThread(uint64_t tid);
  const ThreadAggregate* FindThread(uint64_t tid) const;

  // Stable addresses, so the last thread seen can be cached: events come in runs.
  StableStore<ThreadAggregate> thread_store_;
  TidMap<ThreadAggregate*> threads_;
  TidMap<uint64_t> released_exits_;  // a released thread's exit_idx, when it exited
  uint64_t last_tid_ = 0;
  ThreadAggregate* last_thread_ = nullptr;
  // Handle aggregates by HandleKey(), as indices into a store whose slots are reused once a
  // handle is forgotten; forgetting one changes the generation (cached SiteRefs go stale).
  tsl::robin_map<uint64_t, uint32_t> handles_;
  StableStore<HandleAggregate> handle_store_;
  std::vector<uint32_t> free_slots_;
  uint64_t handle_generation_ = 1;
  HandleAggregate& HandleAt(uint64_t key);
  uint32_t HandleSlot(uint64_t key);
  HandleAggregate* FindHandle(uint64_t key);
  const HandleAggregate* FindHandle(uint64_t key) const;
  void ForgetHandle(uint64_t key);
  void CountSignal(ThreadAggregate& t, const DecodedEvent& e, uint64_t handle);

  std::vector<uint64_t> destroyed_;  // handles destroyed and not yet forgotten
  size_t next_sweep_ = kMinSweep;    // destroyed_.size() that triggers the next sweep
  static constexpr size_t kMinSweep = 4096;

  void ObserveDestroy(const EventFacts& facts, const EventBatch& batch);
  tsl::robin_set<uint64_t> AwaitedNow() const;
  bool Forgettable(uint64_t handle, bool ended, const tsl::robin_set<uint64_t>& awaited) const;
  static void Sweep(SideBehavior& side, const tsl::robin_set<uint64_t>& awaited,
                    SideBehavior& other, bool other_ended,
                    const tsl::robin_set<uint64_t>& other_awaited);
};

}  // namespace de
