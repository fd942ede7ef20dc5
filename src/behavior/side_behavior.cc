#include "diff_events/behavior/side_behavior.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "diff_events/decode/event_facts.h"
#include "diff_events/input_error.h"

namespace de {
namespace {

int64_t ParseDuration(const std::string& text, const std::string& option) {
  size_t unit = text.find_first_not_of("0123456789.");
  std::string number = text.substr(0, unit);
  std::string suffix = unit == std::string::npos ? "" : text.substr(unit);
  double scale = suffix.empty() || suffix == "ns" ? 1
                 : suffix == "us"                 ? 1e3
                 : suffix == "ms"                 ? 1e6
                 : suffix == "s"                  ? 1e9
                                                  : -1;
  char* end = nullptr;
  double value = std::strtod(number.c_str(), &end);
  if (number.empty() || *end != '\0' || scale < 0 || !std::isfinite(value * scale) ||
      value * scale > 9.2e18) {
    throw UsageError(option + ": '" + text + "' is not a time (e.g. 1.9s, 250ms, 40us, 1200ns)");
  }
  return static_cast<int64_t>(std::llround(value * scale));
}

}  // namespace

HostWindow ParseHostWindow(const std::string& text, const std::string& option) {
  size_t dots = text.find("..");
  if (dots == std::string::npos) {
    throw UsageError(option + ": expected FROM..TO (e.g. 1.9s..2.1s), got '" + text + "'");
  }
  HostWindow w{ParseDuration(text.substr(0, dots), option),
               ParseDuration(text.substr(dots + 2), option)};
  if (w.from > w.to) throw UsageError(option + ": '" + text + "' ends before it starts");
  return w;
}

SideBehavior::SideBehavior(const Profile& profile, std::optional<HostWindow> window)
    : window_(window),
      exit_calls_(profile.thread_exit_calls),
      object_type_names_(profile.object_types) {
  for (const auto& [number, name] : object_type_names_) {
    if (name == "Thread") thread_object_types_.push_back(number);
  }
}

SideBehavior::NameRole SideBehavior::RoleOf(uint32_t name_id, const EventNames& names) {
  if (name_id < name_roles_.size() && name_roles_[name_id] != NameRole::kUnknown)
    return name_roles_[name_id];
  return LookUpRole(name_id, names);
}

SideBehavior::NameRole SideBehavior::LookUpRole(uint32_t name_id, const EventNames& names) {
  if (name_id >= name_roles_.size()) name_roles_.resize(names.size(), NameRole::kUnknown);
  NameRole& role = name_roles_[name_id];
  if (role == NameRole::kUnknown) {
    role = exit_calls_.count(names[name_id]) ? NameRole::kExit : NameRole::kOther;
  }
  return role;
}

void SideBehavior::CountCall(ThreadAggregate& t, uint32_t name_id) {
  auto it = std::lower_bound(t.calls.begin(), t.calls.end(), name_id,
                             [](const CallCount& call, uint32_t id) { return call.name_id < id; });
  if (it == t.calls.end() || it->name_id != name_id) it = t.calls.insert(it, {name_id, 0});
  ++it->count;
}

SideBehavior::ThreadAggregate& SideBehavior::ThreadOf(uint64_t tid) {
  if (last_thread_ && last_tid_ == tid) return *last_thread_;
  return LookUpThread(tid);
}

SideBehavior::ThreadAggregate& SideBehavior::LookUpThread(uint64_t tid) {
  auto [it, inserted] = threads_.try_emplace(tid, nullptr);
  if (inserted) {
    it.value() = &thread_store_.emplace_back();
    it.value()->tid = tid;
    it.value()->index = static_cast<uint32_t>(thread_store_.size() - 1);
  }
  last_tid_ = tid;
  last_thread_ = it->second;
  return *last_thread_;
}

void SideBehavior::Release(uint64_t tid) {
  auto it = threads_.find(tid);
  if (it == threads_.end()) return;
  ThreadAggregate* t = it->second;
  if (t->exited) released_exits_[tid] = t->exit_idx;
  if (last_thread_ == t) last_thread_ = nullptr;
  uint32_t index = t->index;
  *t = ThreadAggregate{};  // its call list, bins and handle use go now, whatever the chunk does
  threads_.erase(it);
  thread_store_.Release(index);
}

const SideBehavior::ThreadAggregate* SideBehavior::FindThread(uint64_t tid) const {
  auto it = threads_.find(tid);
  return it == threads_.end() ? nullptr : it->second;
}

void SideBehavior::Observe(const DecodedEvent& e, const EventFacts* facts, const EventBatch& batch,
                           const EventNames& names) {
  ThreadAggregate& t = ThreadOf(e.tid);
  t.activity.Add(e.host_ns);  // every event: the n-th one must be the stream's n-th
  bool inside = !window_ || window_->Contains(e.host_ns);
  if (inside) {
    ++t.events;
    if (t.events == 1) t.first_host_ns = e.host_ns;
    t.last_host_ns = e.host_ns;
  }
  switch (e.event_class) {
    case EventClass::kKernelCall:
      if (inside) {
        ++t.kernel_calls;
        CountCall(t, e.name_id);
      }
      if (e.name_id && RoleOf(e.name_id, names) == NameRole::kExit) t.Exit(e.idx);
      break;
    case EventClass::kThreadExit:
      t.Exit(e.idx);
      break;
    case EventClass::kWaitEnd:
      if (t.handle_use) t.handle_use->waiting = false;
      break;
    case EventClass::kHandleCreate:
      if (inside) ++t.Use().handles.created;
      break;
    case EventClass::kHandleDestroy:
      if (inside) ++t.Use().handles.destroyed;
      break;
    case EventClass::kThreadCreate:
      if (!t.handle_use) break;
      if (e.has_child_tid && t.handle_use->last_thread_handle) {
        // gone if destroyed since
        HandleAggregate* h = FindHandle(t.handle_use->last_thread_handle);
        if (h) {
          h->thread_tid = e.child_tid;
          h->has_thread_tid = true;
        }
      }
      t.handle_use->last_thread_handle = 0;
      break;
    default:
      break;
  }
  if (facts) ObserveFacts(t, e, *facts, batch);
}

void SideBehavior::ObserveFacts(ThreadAggregate& t, const DecodedEvent& e, const EventFacts& facts,
                                const EventBatch& batch) {
  switch (e.event_class) {
    case EventClass::kWaitBegin: {
      HandleUse& use = t.Use();
      if (!use.open_wait) use.open_wait = std::make_unique<AwaitedHandles>();
      AwaitedHandles& wait = *use.open_wait;
      wait.handles.resize(facts.strings());  // assigned in place: no allocation once warm
      for (size_t i = 0; i < facts.strings(); ++i) wait.handles[i] = batch.FactString(facts, i);
      wait.timeout_ns.reset();
      if (facts.has_number) wait.timeout_ns = facts.number;
      wait.idx = e.idx;
      use.waiting = true;
      break;
    }
    case EventClass::kHandleCreate: {
      if (facts.strings() == 0) break;
      uint64_t key = HandleKey(batch.FactString(facts, 0));
      HandleAggregate& h = HandleAt(key);
      if (facts.has_number) {
        h.object_type = facts.number;
        h.has_object_type = true;
      }
      bool thread_type =
          facts.has_number &&
          std::count(thread_object_types_.begin(), thread_object_types_.end(), facts.number) > 0;
      if (thread_type) t.Use().last_thread_handle = key;
      break;
    }
    case EventClass::kHandleDestroy:
      ObserveDestroy(facts, batch);
      break;
    case EventClass::kKernelCall:  // a signal call: every string it passes may be a handle
      for (size_t i = 0; i < facts.keys(); ++i) CountSignal(t, e, batch.FactKey(facts, i));
      break;
    default:
      break;
  }
}

uint32_t SideBehavior::HandleSlot(uint64_t key) {
  auto [it, inserted] = handles_.try_emplace(key, 0);
  if (!inserted) return it->second;
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<uint32_t>(handle_store_.size());
    handle_store_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  it.value() = slot;
  return slot;
}

SideBehavior::HandleAggregate& SideBehavior::HandleAt(uint64_t key) {
  return handle_store_[HandleSlot(key)];
}

SideBehavior::HandleAggregate* SideBehavior::FindHandle(uint64_t key) {
  auto it = handles_.find(key);
  return it == handles_.end() ? nullptr : &handle_store_[it->second];
}

const SideBehavior::HandleAggregate* SideBehavior::FindHandle(uint64_t key) const {
  auto it = handles_.find(key);
  return it == handles_.end() ? nullptr : &handle_store_[it->second];
}

void SideBehavior::ForgetHandle(uint64_t key) {
  auto it = handles_.find(key);
  if (it == handles_.end()) return;
  handle_store_[it->second] = HandleAggregate{};
  free_slots_.push_back(it->second);
  handles_.erase(it);
  ++handle_generation_;
}

void SideBehavior::CountSignal(ThreadAggregate& t, const DecodedEvent& e, uint64_t handle) {
  SiteRef& last = t.Use().last_site;
  if (last.generation == handle_generation_ && last.handle == handle && last.name_id == e.name_id) {
    ++handle_store_[last.aggregate].sites[last.site].count;
    return;
  }
  uint32_t slot = HandleSlot(handle);
  std::vector<SignalSite>& sites = handle_store_[slot].sites;
  auto site = std::find_if(sites.begin(), sites.end(), [&](const SignalSite& s) {
    return s.tid == e.tid && s.name_id == e.name_id;
  });
  if (site == sites.end()) {
    site = sites.insert(sites.end(), {e.tid, e.name_id, 1, e.idx});
  } else {
    ++site->count;
  }
  last = {handle, e.name_id, slot, static_cast<uint32_t>(site - sites.begin()), handle_generation_};
}

// A destroyed handle stays (marked) until a sweep finds that nothing can wait on it any more:
// the other engine runs the same program behind or ahead of this one and may still end blocked
// on it, and then the report lists this side's signalers of it.
void SideBehavior::ObserveDestroy(const EventFacts& facts, const EventBatch& batch) {
  if (facts.keys() == 0) return;
  uint64_t key = batch.FactKey(facts, 0);
  HandleAggregate& h = HandleAt(key);
  if (h.destroyed) return;
  h.destroyed = true;
  destroyed_.push_back(key);
}

tsl::robin_set<uint64_t> SideBehavior::AwaitedNow() const {
  tsl::robin_set<uint64_t> awaited;
  for (size_t i = 0; i < thread_store_.size(); ++i) {
    const ThreadAggregate& t = thread_store_[i];
    if (!t.waiting()) continue;
    for (const std::string& h : t.handle_use->open_wait->handles) awaited.insert(HandleKey(h));
  }
  return awaited;
}

// Whether this side can no longer need `handle`: it destroyed it (or, its stream over, it does
// not end waiting on it), and no thread of it waits on it now.
bool SideBehavior::Forgettable(uint64_t handle, bool ended,
                               const tsl::robin_set<uint64_t>& awaited) const {
  if (awaited.count(handle)) return false;
  if (ended) return true;
  const HandleAggregate* h = FindHandle(handle);
  return h && h->destroyed;
}

void SideBehavior::Sweep(SideBehavior& side, const tsl::robin_set<uint64_t>& awaited,
                         SideBehavior& other, bool other_ended,
                         const tsl::robin_set<uint64_t>& other_awaited) {
  size_t kept = 0;
  for (uint64_t handle : side.destroyed_) {
    if (!side.FindHandle(handle)) continue;  // forgotten with the other side's copy
    if (awaited.count(handle) || !other.Forgettable(handle, other_ended, other_awaited)) {
      side.destroyed_[kept++] = handle;
      continue;
    }
    side.ForgetHandle(handle);
    other.ForgetHandle(handle);
  }
  side.destroyed_.resize(kept);
  side.next_sweep_ = std::max(kMinSweep, 2 * kept);
}

void SideBehavior::ForgetDestroyedHandles(SideBehavior& canary, bool canary_ended,
                                          SideBehavior& ours, bool ours_ended) {
  if (canary.destroyed_.size() < canary.next_sweep_ && ours.destroyed_.size() < ours.next_sweep_)
    return;
  tsl::robin_set<uint64_t> canary_awaited = canary.AwaitedNow();
  tsl::robin_set<uint64_t> ours_awaited = ours.AwaitedNow();
  Sweep(canary, canary_awaited, ours, ours_ended, ours_awaited);
  Sweep(ours, ours_awaited, canary, canary_ended, canary_awaited);
}

Lifetime SideBehavior::LifeOf(uint64_t tid) const {
  const ThreadAggregate* t = FindThread(tid);
  if (!t) return Lifetime{};
  Lifetime life = LifeBut(*t);
  life.activity = t->activity;
  return life;
}

Lifetime SideBehavior::TakeLifeOf(uint64_t tid) {
  auto it = threads_.find(tid);
  if (it == threads_.end()) return Lifetime{};
  Lifetime life = LifeBut(*it->second);
  life.activity = std::move(it->second->activity);
  it->second->activity = ActivityBins{};
  return life;
}

Lifetime SideBehavior::LifeBut(const ThreadAggregate& t) const {
  Lifetime life;
  life.events = t.events;
  life.kernel_calls = t.kernel_calls;
  if (t.events) {
    life.first_host_ns = t.first_host_ns;
    life.last_host_ns = t.last_host_ns;
  }
  if (t.exited) {
    life.end = EndState::kExited;
    life.exit_idx = t.exit_idx;
  } else if (t.waiting()) {
    life.end = EndState::kBlocked;
    life.wait = *t.handle_use->open_wait;
    for (const std::string& h : life.wait->handles)
      life.wait->object_types.push_back(ObjectTypeOf(h));
  }
  return life;
}

std::map<std::string, uint64_t> SideBehavior::CallsOf(uint64_t tid, const EventNames& names) const {
  std::map<std::string, uint64_t> out;
  const ThreadAggregate* t = FindThread(tid);
  if (!t) return out;
  for (const auto& [name_id, count] : t->calls) out[names[name_id]] += count;
  return out;
}

std::vector<uint64_t> SideBehavior::Tids() const {
  std::vector<uint64_t> out;
  out.reserve(thread_store_.size());
  for (size_t i = 0; i < thread_store_.size(); ++i) {
    if (!thread_store_.held(i)) continue;
    // A released record is reset (its tid 0) but its chunk may stay: only mapped ones count.
    auto it = threads_.find(thread_store_[i].tid);
    if (it != threads_.end() && it->second == &thread_store_[i]) out.push_back(it->first);
  }
  return out;
}

SideBehavior::HandleCounts SideBehavior::HandlesOf(uint64_t tid) const {
  const ThreadAggregate* t = FindThread(tid);
  return t && t->handle_use ? t->handle_use->handles : HandleCounts{};
}

std::vector<Signaler> SideBehavior::SignalersOf(const std::string& handle,
                                                const EventNames& names) const {
  std::vector<Signaler> out;
  const HandleAggregate* h = FindHandle(HandleKey(handle));
  if (!h) return out;
  for (const SignalSite& s : h->sites) {
    out.push_back({s.tid, names[s.name_id], s.count, s.first_idx});
  }
  if (h->has_thread_tid) {
    const ThreadAggregate* thread = FindThread(h->thread_tid);
    if (thread && thread->exited) {
      out.push_back({h->thread_tid, "thread.exit", 1, thread->exit_idx});
    } else if (auto exit = released_exits_.find(h->thread_tid); exit != released_exits_.end()) {
      out.push_back({h->thread_tid, "thread.exit", 1, exit->second});
    }
  }
  std::sort(out.begin(), out.end(), [](const Signaler& a, const Signaler& b) {
    return std::tie(a.tid, a.name) < std::tie(b.tid, b.name);
  });
  return out;
}

std::string SideBehavior::ObjectTypeOf(const std::string& handle) const {
  const HandleAggregate* h = FindHandle(HandleKey(handle));
  if (!h || !h->has_object_type) return "";
  auto name = object_type_names_.find(h->object_type);
  return name != object_type_names_.end() ? name->second : std::to_string(h->object_type);
}

}  // namespace de
