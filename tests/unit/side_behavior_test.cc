// Handle aggregates of destroyed handles: forgotten once neither engine can end waiting on them,
// kept while the other engine may still (it is behind, or it ended blocked on them).
#include "diff_events/behavior/side_behavior.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "diff_events/behavior/stable_store.h"
#include "diff_events/canon/profile.h"
#include "diff_events/decode/event_facts.h"

namespace {

constexpr int kHandles = 5000;  // more destroys than a sweep waits for

std::string HandleName(int i) { return "h" + std::to_string(i); }

class Side {
 public:
  Side() : behavior_(profile_, std::nullopt) {
    de::EventBatch batch;
    batch.new_names = {"NtSetEvent"};
    names_.Append(batch);
  }
  void Create(uint64_t tid, int handle) {
    de::EventFacts f = Begin();
    batch_.AddFactString(f, HandleName(handle));
    f.number = 1;  // an Event
    f.has_number = true;
    Observe(tid, de::EventClass::kHandleCreate, 0, &f);
  }
  void Signal(uint64_t tid, int handle) {
    de::EventFacts f = Begin();
    batch_.AddFactKey(f, de::HandleKey(HandleName(handle)));
    Observe(tid, de::EventClass::kKernelCall, 1, &f);
  }
  void Destroy(uint64_t tid, int handle) {
    de::EventFacts f = Begin();
    batch_.AddFactKey(f, de::HandleKey(HandleName(handle)));
    Observe(tid, de::EventClass::kHandleDestroy, 0, &f);
  }
  void WaitBegin(uint64_t tid, int handle) {
    de::EventFacts f = Begin();
    batch_.AddFactString(f, HandleName(handle));
    Observe(tid, de::EventClass::kWaitBegin, 0, &f);
  }
  // A Thread handle (object type 5) for `child`, then the thread.create that names it.
  void CreateThread(uint64_t tid, int handle, uint64_t child) {
    de::EventFacts f = Begin();
    batch_.AddFactString(f, HandleName(handle));
    f.number = 5;
    f.has_number = true;
    Observe(tid, de::EventClass::kHandleCreate, 0, &f);
    de::DecodedEvent e;
    e.tid = tid;
    e.idx = ++idx_;
    e.event_class = de::EventClass::kThreadCreate;
    e.has_child_tid = true;
    e.child_tid = child;
    behavior_.Observe(e, nullptr, batch_, names_);
  }
  uint64_t Exit(uint64_t tid) {
    Observe(tid, de::EventClass::kThreadExit, 0, nullptr);
    return idx_;
  }
  std::vector<de::Signaler> Signalers(int handle) const {
    return behavior_.SignalersOf(HandleName(handle), names_);
  }
  // Creates, signals and destroys every handle on thread `tid`.
  void Churn(uint64_t tid) {
    for (int i = 0; i < kHandles; ++i) {
      Create(tid, i);
      Signal(tid, i);
      Destroy(tid, i);
    }
  }
  size_t SignalersOf(int handle) const {
    return behavior_.SignalersOf(HandleName(handle), names_).size();
  }
  de::SideBehavior& behavior() { return behavior_; }

 private:
  de::EventFacts Begin() {
    batch_.Clear();
    de::EventFacts f;
    batch_.BeginFacts(f);
    return f;
  }
  void Observe(uint64_t tid, de::EventClass cls, uint32_t name_id, const de::EventFacts* f) {
    de::DecodedEvent e;
    e.tid = tid;
    e.idx = ++idx_;
    e.event_class = cls;
    e.name_id = name_id;
    behavior_.Observe(e, f, batch_, names_);
  }
  de::EventBatch batch_;
  de::Profile profile_ = de::DefaultProfile();
  de::SideBehavior behavior_;
  de::EventNames names_;
  uint64_t idx_ = 0;
};

}  // namespace

TEST_CASE("Destroyed handles are kept while the other engine is behind", "[behavior]") {
  Side canary, ours;
  canary.Churn(1);
  de::SideBehavior::ForgetDestroyedHandles(canary.behavior(), false, ours.behavior(), false);
  CHECK(canary.behavior().handle_aggregates() == kHandles);  // ours may still wait on any
  CHECK(canary.SignalersOf(7) == 1);

  ours.WaitBegin(2, 7);  // never ends
  ours.Churn(1);
  de::SideBehavior::ForgetDestroyedHandles(canary.behavior(), false, ours.behavior(), false);
  // Destroyed on both sides: gone, but for the one ours waits on.
  CHECK(canary.behavior().handle_aggregates() == 1);
  CHECK(ours.behavior().handle_aggregates() == 1);
  CHECK(canary.SignalersOf(7) == 1);
  CHECK(ours.behavior().ObjectTypeOf(HandleName(7)) == "Event");
}

TEST_CASE("Once the other engine ended, only what it ends waiting on is kept", "[behavior]") {
  Side canary, ours;
  ours.WaitBegin(2, 9);
  canary.Churn(1);
  de::SideBehavior::ForgetDestroyedHandles(canary.behavior(), false, ours.behavior(), true);
  CHECK(canary.behavior().handle_aggregates() == 1);
  CHECK(canary.SignalersOf(9) == 1);
  CHECK(canary.SignalersOf(8) == 0);
}

TEST_CASE("A handle this side's own thread waits on is kept", "[behavior]") {
  Side canary, ours;
  canary.WaitBegin(2, 3);
  canary.Churn(1);
  ours.Churn(1);
  de::SideBehavior::ForgetDestroyedHandles(canary.behavior(), false, ours.behavior(), false);
  CHECK(canary.SignalersOf(3) == 1);
  CHECK(ours.SignalersOf(3) == 1);
  CHECK(canary.behavior().handle_aggregates() == 1);
}

// What a thread did with handles lives behind a pointer made at its first such event; the
// lifetime reads the same either way, and TakeLifeOf moves the activity bins out once.
TEST_CASE("Lifetimes: blocked, handle counts, and the activity taken once", "[behavior]") {
  Side side;
  side.Create(1, 4);
  side.Signal(1, 4);
  side.WaitBegin(2, 4);  // thread 2 never touched a handle before: its first such event
  side.Signal(3, 4);     // a thread that only signals is not blocked
  de::SideBehavior& b = side.behavior();
  CHECK(b.LifeOf(2).end == de::EndState::kBlocked);
  REQUIRE(b.LifeOf(2).wait);
  CHECK(b.LifeOf(2).wait->handles == std::vector<std::string>{HandleName(4)});
  CHECK(b.LifeOf(2).wait->object_types == std::vector<std::string>{"Event"});
  CHECK(b.LifeOf(3).end == de::EndState::kCut);
  CHECK(b.HandlesOf(1).created == 1);
  CHECK(b.HandlesOf(3).created == 0);
  CHECK(b.LifeOf(1).activity.total() == 2);

  de::Lifetime taken = b.TakeLifeOf(1);
  CHECK(taken.events == 2);
  CHECK(taken.activity.total() == 2);
  CHECK(b.LifeOf(1).events == 2);  // the counts stay
  CHECK(b.LifeOf(1).activity.empty());
  CHECK(b.TakeLifeOf(99).events == 0);  // never seen
}

// Collect releases each paired thread's record once its lifetime and calls are taken; a Thread
// handle's signaler (the thread's exit) must still be found afterwards.
TEST_CASE("A released thread's record goes, its exit still signals its handle", "[behavior]") {
  Side side;
  side.Signal(0, 4);  // tid 0: a released record, reset, must not read as this one
  side.CreateThread(1, 9, 7);
  side.Signal(7, 4);
  uint64_t exit_idx = side.Exit(7);
  de::SideBehavior& b = side.behavior();
  REQUIRE(side.Signalers(9).size() == 1);
  CHECK(b.LifeOf(7).events == 2);
  b.Release(7);
  b.Release(7);   // twice: nothing more happens
  b.Release(99);  // never seen
  CHECK(b.LifeOf(7).events == 0);
  CHECK(b.CallsOf(7, de::EventNames()).empty());
  CHECK(b.Tids() == std::vector<uint64_t>{0, 1});
  std::vector<de::Signaler> signalers = side.Signalers(9);
  REQUIRE(signalers.size() == 1);
  CHECK(signalers[0].tid == 7);
  CHECK(signalers[0].name == "thread.exit");
  CHECK(signalers[0].first_idx == exit_idx);
  CHECK(b.LifeOf(1).events == 2);  // the others stay
}

TEST_CASE("StableStore frees a full chunk once all its records are released", "[behavior]") {
  de::StableStore<int, 4> store;
  for (int i = 0; i < 6; ++i) store.emplace_back() = i;
  for (size_t i = 0; i < 3; ++i) store.Release(i);
  CHECK(store.held(0));
  store.Release(3);
  CHECK_FALSE(store.held(0));  // records 0-3: freed
  store.Release(4);
  store.Release(5);
  CHECK(store.held(4));  // the last chunk is not full yet: kept for what comes next
  store.emplace_back() = 6;
  CHECK(store[6] == 6);
  CHECK(store.size() == 7);
}
