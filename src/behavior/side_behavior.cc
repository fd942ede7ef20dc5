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
  if (name_id >= name_roles_.size()) name_roles_.resize(names.size(), NameRole::kUnknown);
  NameRole& role = name_roles_[name_id];
  if (role == NameRole::kUnknown) {
    role = exit_calls_.count(names[name_id]) ? NameRole::kExit : NameRole::kOther;
  }
  return role;
}

SideBehavior::ThreadAggregate& SideBehavior::ThreadOf(uint64_t tid) {
  if (last_thread_ && last_tid_ == tid) return *last_thread_;
  auto [it, inserted] = threads_.try_emplace(tid, nullptr);
  if (inserted) {
    it.value() = &thread_store_.emplace_back();
    it.value()->tid = tid;
  }
  last_tid_ = tid;
  last_thread_ = it->second;
  return *last_thread_;
}

const SideBehavior::ThreadAggregate* SideBehavior::FindThread(uint64_t tid) const {
  auto it = threads_.find(tid);
  return it == threads_.end() ? nullptr : it->second;
}

void SideBehavior::Observe(const DecodedEvent& e, const EventFacts* facts,
                           const EventNames& names) {
  ThreadAggregate& t = ThreadOf(e.tid);
  bool inside = !window_ || window_->Contains(e.host_ns);
  if (inside) {
    ++t.events;
    if (!t.first_host_ns) t.first_host_ns = e.host_ns;
    t.last_host_ns = e.host_ns;
  }
  switch (e.event_class) {
    case EventClass::kKernelCall:
      if (inside) {
        ++t.kernel_calls;
        ++t.calls[e.name_id];
      }
      if (e.name_id && RoleOf(e.name_id, names) == NameRole::kExit) t.exit_idx = e.idx;
      break;
    case EventClass::kThreadExit:
      t.exit_idx = e.idx;
      break;
    case EventClass::kWaitEnd:
      t.open_wait.reset();
      break;
    case EventClass::kHandleCreate:
      if (inside) ++t.handles.created;
      break;
    case EventClass::kHandleDestroy:
      if (inside) ++t.handles.destroyed;
      break;
    case EventClass::kThreadCreate:
      if (e.has_child_tid && t.last_thread_handle) {
        handles_[t.last_thread_handle].thread_tid = e.child_tid;
      }
      t.last_thread_handle = 0;
      break;
    default:
      break;
  }
  if (facts) ObserveFacts(t, e, *facts);
}

void SideBehavior::ObserveFacts(ThreadAggregate& t, const DecodedEvent& e,
                                const EventFacts& facts) {
  switch (e.event_class) {
    case EventClass::kWaitBegin: {
      AwaitedHandles wait;
      wait.handles = facts.handles;
      if (facts.has_number) wait.timeout_ns = facts.number;
      wait.idx = e.idx;
      t.open_wait = std::move(wait);
      break;
    }
    case EventClass::kHandleCreate: {
      if (facts.handles.empty()) break;
      HandleAggregate& h = handles_[HandleKey(facts.handles[0])];
      if (facts.has_number) h.object_type = facts.number;
      bool thread_type =
          facts.has_number &&
          std::count(thread_object_types_.begin(), thread_object_types_.end(), facts.number) > 0;
      if (thread_type) t.last_thread_handle = HandleKey(facts.handles[0]);
      break;
    }
    case EventClass::kKernelCall:  // a signal call: every string it passes may be a handle
      for (uint64_t handle : facts.handle_keys) {
        auto& sites = handles_[handle].sites;
        auto site = std::find_if(sites.begin(), sites.end(), [&](const SignalSite& s) {
          return s.tid == e.tid && s.name_id == e.name_id;
        });
        if (site == sites.end()) {
          sites.push_back({e.tid, e.name_id, 1, e.idx});
        } else {
          ++site->count;
        }
      }
      break;
    default:
      break;
  }
}

Lifetime SideBehavior::LifeOf(uint64_t tid) const {
  Lifetime life;
  const ThreadAggregate* found = FindThread(tid);
  if (!found) return life;
  const ThreadAggregate& t = *found;
  life.events = t.events;
  life.kernel_calls = t.kernel_calls;
  life.first_host_ns = t.first_host_ns;
  life.last_host_ns = t.last_host_ns;
  if (t.exit_idx) {
    life.end = EndState::kExited;
    life.exit_idx = t.exit_idx;
  } else if (t.open_wait) {
    life.end = EndState::kBlocked;
    life.wait = t.open_wait;
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
  for (const ThreadAggregate& t : thread_store_) out.push_back(t.tid);
  return out;
}

SideBehavior::HandleCounts SideBehavior::HandlesOf(uint64_t tid) const {
  const ThreadAggregate* t = FindThread(tid);
  return t ? t->handles : HandleCounts{};
}

std::vector<Signaler> SideBehavior::SignalersOf(const std::string& handle,
                                                const EventNames& names) const {
  std::vector<Signaler> out;
  auto it = handles_.find(HandleKey(handle));
  if (it == handles_.end()) return out;
  for (const SignalSite& s : it->second.sites) {
    out.push_back({s.tid, names[s.name_id], s.count, s.first_idx});
  }
  if (it->second.thread_tid) {
    const ThreadAggregate* thread = FindThread(*it->second.thread_tid);
    if (thread && thread->exit_idx) {
      out.push_back({*it->second.thread_tid, "thread.exit", 1, *thread->exit_idx});
    }
  }
  std::sort(out.begin(), out.end(), [](const Signaler& a, const Signaler& b) {
    return std::tie(a.tid, a.name) < std::tie(b.tid, b.name);
  });
  return out;
}

std::string SideBehavior::ObjectTypeOf(const std::string& handle) const {
  auto it = handles_.find(HandleKey(handle));
  if (it == handles_.end() || !it->second.object_type) return "";
  auto name = object_type_names_.find(*it->second.object_type);
  return name != object_type_names_.end() ? name->second : std::to_string(*it->second.object_type);
}

}  // namespace de
