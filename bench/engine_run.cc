#include "engine_run.h"

#include <algorithm>
#include <numeric>

namespace bench {
namespace {

enum Op : int {
  kCriticalSection,
  kWaitSingle,
  kWaitMultiple,
  kSetEvent,
  kReleaseSemaphore,
  kHeapAlloc,
  kPhysicalAllocEx,
  kPhysicalAlloc,
  kVirtualAlloc,
  kKernelStack,
  kCreateEvent,
  kCreateSemaphore,
  kCreateFile,
  kClose,
  kTlsGet,
  kTlsSet,
  kReadFile,
  kQueryAttributes,
  kStatusToDos,
  kDelay,
  kInitAnsi,
  kPerfFrequency,
  kDuplicate,
  kImport,
  kOpCount
};

// Relative frequency of each op, shaped after the sample logs (critical sections dominate).
constexpr int kOpWeights[kOpCount] = {190, 80, 7,  45, 40, 60, 12, 3,  7,  2, 18, 6,
                                      25,  30, 50, 7,  45, 40, 20, 12, 10, 8, 8,  30};

std::vector<uint8_t> BuildOpTable() {
  std::vector<uint8_t> table;
  for (int op = 0; op < kOpCount; ++op) table.insert(table.end(), kOpWeights[op], op);
  return table;
}
const std::vector<uint8_t> kOpTable = BuildOpTable();

// A thread's first op depends on its entry point only, so a worker pool's threads share it.
constexpr Op kFirstOps[] = {kCriticalSection, kTlsGet,   kPerfFrequency,
                            kHeapAlloc,       kInitAnsi, kQueryAttributes};

constexpr uint8_t kEventType = 1, kSemaphoreType = 2, kFileType = 3, kThreadType = 5;
constexpr size_t kMaxLiveHandles = 12;
constexpr uint64_t kExitEvents = 2;

constexpr std::string_view kPaths[] = {R"(game:\\default.xex)",
                                       R"(game:\\media\\ui\\title.xui)",
                                       R"(game:\\media\\audio\\bank0.xwb)",
                                       R"(game:\\media\\audio\\bank1.xwb)",
                                       R"(game:\\data\\levels\\l01.pak)",
                                       R"(game:\\data\\levels\\l02.pak)",
                                       R"(cache:\\shader_cache.bin)",
                                       R"(game:\\media\\fonts\\main.xpr)"};
constexpr std::string_view kAnsiStrings[] = {"XAudio", "XMP", "Content", "Dashboard", "xam"};
constexpr std::string_view kImports[] = {"XamGetSystemVersion", "XNotifyGetNext",
                                         "XamUserGetSigninState", "XamInputGetState"};

template <typename T, size_t N>
const T& PickFrom(const T (&items)[N], Rng& rng) {
  return items[rng.Below(static_cast<uint32_t>(N))];
}

// Handles every thread may use: created by the main thread's first ops.
uint64_t GlobalHandle(uint64_t seed, uint8_t type) { return Mix64(seed * 977 + type); }

// The ops where ours makes another call than canary: the first, then every `diverge_every`.
bool DivergesAt(const ThreadPlan& p, uint64_t op) {
  if (p.diverge_at_op < 0 || op < static_cast<uint64_t>(p.diverge_at_op)) return false;
  uint64_t since = op - static_cast<uint64_t>(p.diverge_at_op);
  return since == 0 || (p.diverge_every > 0 && since % p.diverge_every == 0);
}

bool IsAllocator(int op) {
  return op == kHeapAlloc || op == kPhysicalAllocEx || op == kPhysicalAlloc ||
         op == kVirtualAlloc || op == kKernelStack;
}

}  // namespace

const EngineStyle kCanaryStyle = {"canary",   false,      1935433700, 0xF8000080, true,
                                  0xBC000000, 0x70000000, 0xCA11A57,  5};
const EngineStyle kOursStyle = {"ours",     true,       1727481960, 0x00001200, false,
                                0x40000000, 0x30000000, 0x0BE5EED,  1};

uint32_t EngineTid(const EngineStyle& style, int index, int threads) {
  if (!style.is_ours) return 5 + static_cast<uint32_t>(index);
  int stride = threads * 3 / 5 + 1;  // a permutation of 0..threads-1 keeping main at tid 1
  while (std::gcd(stride, threads) != 1) ++stride;
  return 1 + static_cast<uint32_t>((static_cast<int64_t>(index) * stride) % threads);
}

namespace {

// The behaviour stream of a thread, or of a group of threads that act alike for a while.
uint64_t StreamSeed(uint64_t seed, uint64_t identity) { return Mix64(seed) ^ Mix64(identity + 1); }
constexpr uint64_t kGroupIdentity = 1ULL << 32;

Scheduler PickScheduler(const PlanOptions& o, const EngineStyle& style) {
  switch (o.shape) {
    case Shape::kClassic:
      return Scheduler::kUniform;
    case Shape::kAb:
      return style.is_ours ? Scheduler::kSerialHigh : Scheduler::kSerialLow;
    case Shape::kMany:
      return style.is_ours ? Scheduler::kUniform : Scheduler::kSerialLow;
    default:
      return Scheduler::kWeighted;
  }
}

}  // namespace

EngineRun::ThreadState::ThreadState(uint64_t seed, int i, const ThreadPlan& p, uint32_t t,
                                    bool is_ours)
    : index(i),
      plan(&p),
      tid(t),
      behavior(StreamSeed(seed, p.behavior_group >= 0
                                    ? kGroupIdentity + static_cast<uint64_t>(p.behavior_group)
                                    : static_cast<uint64_t>(i))),
      identity(p.behavior_group >= 0 ? kGroupIdentity + static_cast<uint64_t>(p.behavior_group)
                                     : static_cast<uint64_t>(i)),
      cut(std::min(p.cut_at, is_ours ? p.ours_cut_at : UINT64_MAX)),
      cycle(1000 + 40 * static_cast<uint64_t>(i)),
      events_left(p.event_budget) {}

EngineRun::EngineRun(const PlanOptions& options, const std::vector<ThreadPlan>& plan,
                     const EngineStyle& style, const std::string& path)
    : options_(options),
      plan_(plan),
      style_(style),
      out_(path),
      scheduler_(options.seed ^ style.scheduler_salt),
      jitter_(options.seed ^ (style.scheduler_salt << 1)),
      host_ns_(style.host_ns_start),
      next_raw_handle_(style.raw_handle_base),
      scheduler_kind_(PickScheduler(options, style)),
      next_tid_(style.tid_base) {
  threads_.reserve(plan.size());
  bool classic = options.shape == Shape::kClassic;
  for (size_t i = 0; i < plan.size(); ++i) {
    int index = static_cast<int>(i);
    uint32_t tid = classic ? EngineTid(style, index, static_cast<int>(plan.size())) : 0;
    threads_.emplace_back(options.seed, index, plan[i], tid, style.is_ours);
  }
}

void EngineRun::Run() {
  out_.BeginRecord();
  out_.Str(R"({"kind":"schema_version","schema_version":1,"engine":")");
  out_.Str(style_.name);
  out_.Str("\"}\n");
  for (size_t i = 0; i < plan_.size(); ++i)
    if (plan_[i].parent < 0) runnable_.push_back(static_cast<int>(i));
  bool serial =
      scheduler_kind_ == Scheduler::kSerialLow || scheduler_kind_ == Scheduler::kSerialHigh;
  while (!runnable_.empty()) {
    size_t k = serial ? 0 : PickThread();  // runnable_[k] stays put: a burst only appends
    int t = serial ? TakeSerial() : runnable_[k];
    ThreadState& s = threads_[static_cast<size_t>(t)];
    if (s.tid == 0) s.tid = next_tid_++;  // not numbered at its creation: numbered now
    uint32_t burst = Burst();
    if (options_.skew && style_.is_ours) burst *= 1 + static_cast<uint32_t>(t % 4);
    for (; burst > 0 && !s.exited && !s.stopped; --burst) Step(t);
    if (!serial && (s.exited || s.stopped)) {
      runnable_[k] = runnable_.back();
      runnable_.pop_back();
    }
  }
  out_.Commit();
}

// The serial schedulers run a thread to its end: it leaves the run queue (a heap on the thread
// number) when it starts.
int EngineRun::TakeSerial() {
  auto after = [this](int a, int b) {
    return scheduler_kind_ == Scheduler::kSerialLow ? a > b : a < b;
  };
  if (!serial_heap_) {
    std::make_heap(runnable_.begin(), runnable_.end(), after);
    serial_heap_ = true;
  }
  std::pop_heap(runnable_.begin(), runnable_.end(), after);
  int t = runnable_.back();
  runnable_.pop_back();
  return t;
}

void EngineRun::MakeRunnable(int t) {
  runnable_.push_back(t);
  if (serial_heap_)
    std::push_heap(runnable_.begin(), runnable_.end(), [this](int a, int b) {
      return scheduler_kind_ == Scheduler::kSerialLow ? a > b : a < b;
    });
}

size_t EngineRun::PickThread() {
  size_t n = runnable_.size();
  if (scheduler_kind_ == Scheduler::kUniform) return scheduler_.Below(static_cast<uint32_t>(n));
  uint64_t total = 0;
  for (int t : runnable_) total += threads_[static_cast<size_t>(t)].events_left + 1;
  uint64_t pick = scheduler_.Next() % total;
  for (size_t k = 0; k < n; ++k) {
    uint64_t w = threads_[static_cast<size_t>(runnable_[k])].events_left + 1;
    if (pick < w) return k;
    pick -= w;
  }
  return n - 1;
}

uint32_t EngineRun::Burst() {
  switch (scheduler_kind_) {
    case Scheduler::kSerialLow:
    case Scheduler::kSerialHigh:
      return UINT32_MAX;
    case Scheduler::kWeighted:
      return style_.is_ours ? scheduler_.Between(2, 10) : scheduler_.Between(1, 6);
    default:
      return scheduler_.Between(1, 6);
  }
}

// Every op starts here: room for the whole op without a flush, so a cut inside it can be taken
// back; a thread of a group leaves the group's stream at its first op past the shared events.
void EngineRun::BeginOp(ThreadState& s) {
  out_.Reserve(64 * 1024);
  cut_position_ = kNoCut;
  const ThreadPlan& p = *s.plan;
  if (p.behavior_group >= 0 && s.identity != static_cast<uint64_t>(s.index) &&
      s.event_idx >= p.group_events) {
    s.identity = static_cast<uint64_t>(s.index);
    s.behavior = Rng(StreamSeed(options_.seed, s.identity));
  }
}

void EngineRun::Step(int t) {
  ThreadState& s = threads_[static_cast<size_t>(t)];
  const ThreadPlan& p = *s.plan;
  BeginOp(s);
  if (s.pending_resume >= 0) {
    ResumeThread(s);
  } else if (s.next_child < p.children.size() && s.op >= ChildCreationOp(s.next_child)) {
    CreateThread(s, p.children[s.next_child++]);
  } else if (s.events_left <= kExitEvents + 6 && s.next_child == p.children.size()) {
    ExitThread(s);
    return;
  } else if (s.op == 0 && p.unique_first) {
    UniqueFirstCall(s);
  } else if (s.index == 0 && s.op < 4) {
    constexpr Op kProcessSetup[] = {kCriticalSection, kCreateSemaphore, kCreateEvent, kCreateFile};
    RunOp(s, kProcessSetup[s.op]);
  } else if (s.op == 0) {
    RunOp(s, kFirstOps[Mix64(p.entry) % (sizeof(kFirstOps) / sizeof(kFirstOps[0]))]);
  } else if (DivergesAt(p, s.op)) {
    Signal(s, style_.is_ours);  // the injected branch: ours releases where canary sets
  } else {
    RunOp(s, kOpTable[s.behavior.Below(static_cast<uint32_t>(kOpTable.size()))]);
  }
  ++s.op;
  if (Cut()) {
    out_.Rewind(cut_position_);
    s.stopped = true;
  }
}

void EngineRun::RunOp(ThreadState& s, int op) {
  switch (op) {
    case kCriticalSection:
      return CriticalSection(s);
    case kWaitSingle:
      return WaitSingle(s);
    case kWaitMultiple:
      return WaitMultiple(s);
    case kSetEvent:
    case kReleaseSemaphore:
      return Signal(s, op == kReleaseSemaphore);
    case kCreateEvent:
    case kCreateSemaphore:
    case kCreateFile:
      return s.handles.size() >= kMaxLiveHandles ? CloseHandle(s) : CreateObject(s, op);
    case kClose:
      return s.handles.size() > 2 ? CloseHandle(s) : SimpleCall(s, kTlsGet);
    case kImport:
      return ImportCall(s);
    default:
      return IsAllocator(op) ? Allocate(s, op) : SimpleCall(s, op);
  }
}

// ---- threads ----

void EngineRun::CreateThread(ThreadState& s, int child) {
  const ThreadPlan& c = plan_[static_cast<size_t>(child)];
  Call(s, "RtlAllocateHeap", 262);
  out_.Str(R"("heap":"0x82b00000","flags":8,"size":32)");
  EndCall();
  ReturnAddress(s, "RtlAllocateHeap", Allocation(32));
  ThreadState& child_state = threads_[static_cast<size_t>(child)];
  // Ours, when it logs no child_tid, numbers a thread when it first runs: its tids then come in
  // another order than its creations (and than canary's).
  if (child_state.tid == 0 && (options_.child_tid || !style_.is_ours))
    child_state.tid = next_tid_++;
  Call(s, "ExCreateThread", 13);
  out_.Str(R"("entry":)");
  out_.QuotedHex(c.entry, 8);
  out_.Str(c.suspended ? R"(,"stack_size":65536,"suspended":true)"
                       : R"(,"stack_size":65536,"suspended":false)");
  EndCall();
  Handle h = NewHandle(s, kThreadType);
  HandleCreate(s, h);
  Envelope(s, "thread.create");
  out_.Str(R"("entry":)");
  out_.QuotedHex(c.entry, 8);
  out_.Str(R"(,"ctx":)");
  out_.QuotedHex(s.last_alloc, 8);
  out_.Str(R"(,"stack":)");
  out_.QuotedHex(style_.stack_base + 0x40000 * ++stacks_ - 0x100, 8);
  out_.Str(c.suspended ? R"(,"suspended":true)" : R"(,"suspended":false)");
  if (options_.child_tid) {
    out_.Str(R"(,"child_tid":)");
    out_.U64(child_state.tid);
  }
  out_.Str("}}\n");
  bool created = !Cut();  // a thread.create that is not in the log creates nothing
  Return(s, "ExCreateThread", 0);
  if (!created) return;
  if (c.suspended) {
    s.pending_resume = child;
  } else {
    MakeRunnable(child);
  }
}

void EngineRun::ResumeThread(ThreadState& s) {
  Call(s, "NtResumeThread", 231);
  out_.Str(R"("handle":)");
  out_.QuotedBareHex(s.handles.back().semantic, 16);
  EndCall();
  bool resumed = !Cut();
  Return(s, "NtResumeThread", 1);
  if (resumed) MakeRunnable(s.pending_resume);
  s.pending_resume = -1;
}

void EngineRun::ExitThread(ThreadState& s) {
  Call(s, "ExTerminateThread", 17);
  out_.Str(R"("exit_code":0)");
  EndCall();
  Envelope(s, "thread.exit");
  out_.Str("\"exit_code\":0}}\n");
  s.exited = true;
}

// ---- ops ----

// A first call that names its thread: a KeTlsSetValue of a 32-bit value of the thread's own.
void EngineRun::UniqueFirstCall(ThreadState& s) {
  Call(s, "KeTlsSetValue", 340);
  out_.Str(R"("index":)");
  out_.U64(s.behavior.Below(8));
  out_.Str(R"(,"value":)");
  out_.QuotedHex(static_cast<uint32_t>(s.behavior.Next()), 8);
  EndCall();
  Return(s, "KeTlsSetValue", 1);
}

void EngineRun::SimpleCall(ThreadState& s, int op) {
  Rng& r = s.behavior;
  switch (op) {
    case kTlsGet: {
      uint32_t index = r.Below(8);
      Call(s, "KeTlsGetValue", 339);
      out_.Str(R"("index":)");
      out_.U64(index);
      EndCall();
      return Return(s, "KeTlsGetValue", 16 + index * 3);
    }
    case kTlsSet:
      Call(s, "KeTlsSetValue", 340);
      out_.Str(R"("index":)");
      out_.U64(r.Below(8));
      out_.Str(R"(,"value":)");
      out_.QuotedHex(r.Below(256), 8);
      EndCall();
      return Return(s, "KeTlsSetValue", 1);
    case kReadFile:
      Call(s, "NtReadFile", 226);
      out_.Str(R"("handle":)");
      out_.QuotedBareHex(PickHandle(s, kFileType), 16);
      out_.Str(R"(,"length":32768,"offset":)");
      out_.U64(32768ULL * r.Below(4096));
      EndCall();
      return Return(s, "NtReadFile", 0);
    case kQueryAttributes: {
      bool missing = r.Percent(20);
      Call(s, "NtQueryFullAttributesFile", 223);
      out_.Str(R"("path":")");
      out_.Str(PickFrom(kPaths, r));
      out_.Char('"');
      EndCall();
      return Return(s, "NtQueryFullAttributesFile", missing ? 0xC0000034 : 0);
    }
    case kStatusToDos:
      Call(s, "RtlNtStatusToDosError", 301);
      out_.Str(R"("status":"0xc0000034")");
      EndCall();
      return Return(s, "RtlNtStatusToDosError", 2);
    case kDelay:
      Call(s, "KeDelayExecutionThread", 89);
      out_.Str(R"("mode":1,"alertable":false,"interval_ns":)");
      out_.I64(-100000 * static_cast<int64_t>(r.Between(1, 10)));
      EndCall();
      return Return(s, "KeDelayExecutionThread", 0);
    case kInitAnsi:
      Call(s, "RtlInitAnsiString", 289);
      out_.Str(R"("src":")");
      out_.Str(PickFrom(kAnsiStrings, r));
      out_.Char('"');
      EndCall();
      return Return(s, "RtlInitAnsiString", 0);
    case kPerfFrequency:
      Call(s, "KeQueryPerformanceFrequency", 104);
      EndCall();
      return Return(s, "KeQueryPerformanceFrequency", 50000000);
    default:  // kDuplicate
      Call(s, "NtDuplicateObject", 219);
      out_.Str(R"("handle":)");
      out_.QuotedBareHex(PickHandle(s, kEventType), 16);
      out_.Str(R"(,"options":2)");
      EndCall();
      return Return(s, "NtDuplicateObject", 0);
  }
}

void EngineRun::CriticalSection(ThreadState& s) {
  uint32_t cs = 0x828f3bc4 + 0x4c * s.behavior.Below(16);
  if (s.index == 0 && s.op == 0) {
    Call(s, "RtlInitializeCriticalSection", 291);
    out_.Str(R"("cs":)");
    out_.QuotedHex(cs, 8);
    EndCall();
    return Return(s, "RtlInitializeCriticalSection", 0);
  }
  Call(s, "RtlEnterCriticalSection", 274);
  out_.Str(R"("cs":)");
  out_.QuotedHex(cs, 8);
  EndCall();
  Return(s, "RtlEnterCriticalSection", 0);
  Call(s, "RtlLeaveCriticalSection", 294);
  out_.Str(R"("cs":)");
  out_.QuotedHex(cs, 8);
  EndCall();
  Return(s, "RtlLeaveCriticalSection", 0);
}

void EngineRun::Allocate(ThreadState& s, int op) {
  uint32_t size = 16u << s.behavior.Below(10);
  switch (op) {
    case kHeapAlloc:
      Call(s, "RtlAllocateHeap", 262);
      out_.Str(R"("heap":"0x82b00000","flags":8,"size":)");
      out_.U64(size);
      EndCall();
      return ReturnAddress(s, "RtlAllocateHeap", Allocation(size));
    case kPhysicalAllocEx:
      Call(s, "MmAllocatePhysicalMemoryEx", 186);
      out_.Str(R"("flags":0,"size":)");
      out_.U64(size * 256);
      out_.Str(
          R"(,"protect":"0x20000004","min_address":"0x00000000","max_address":"0xffffffff","alignment":4096)");
      EndCall();
      return ReturnAddress(s, "MmAllocatePhysicalMemoryEx", Allocation(size * 256));
    case kPhysicalAlloc:
      Call(s, "MmAllocatePhysicalMemory", 185);
      out_.Str(R"("flags":0,"size":)");
      out_.U64(size * 256);
      out_.Str(R"(,"protect":"0x20000004")");
      EndCall();
      return ReturnAddress(s, "MmAllocatePhysicalMemory", Allocation(size * 256));
    case kVirtualAlloc:
      Call(s, "NtAllocateVirtualMemory", 204);
      out_.Str(R"("size":)");
      out_.U64(size * 64);
      out_.Str(R"(,"type":"0x00003000","protect":"0x00000004")");
      EndCall();
      return ReturnAddress(s, "NtAllocateVirtualMemory", Allocation(size * 64));
    default:  // kKernelStack
      Call(s, "MmCreateKernelStack", 184);
      out_.Str(R"("size":16384,"flags":0)");
      EndCall();
      return ReturnAddress(s, "MmCreateKernelStack", Allocation(16384));
  }
}

void EngineRun::CreateObject(ThreadState& s, int op) {
  if (op == kCreateEvent) {
    Call(s, "NtCreateEvent", 210);
    out_.Str(s.behavior.Percent(50) ? R"("event_type":1,"initial_state":false)"
                                    : R"("event_type":0,"initial_state":false)");
  } else if (op == kCreateSemaphore) {
    Call(s, "NtCreateSemaphore", 214);
    out_.Str(R"("initial":0,"maximum":2147483647)");
  } else {
    Call(s, "NtCreateFile", 211);
    out_.Str(R"("path":")");
    out_.Str(PickFrom(kPaths, s.behavior));
    out_.Str(R"(","desired_access":"0x80100080","share":1,"disposition":1,"options":"0x00000060")");
  }
  EndCall();
  uint8_t type = op == kCreateEvent       ? kEventType
                 : op == kCreateSemaphore ? kSemaphoreType
                                          : kFileType;
  Handle h = NewHandle(s, type);
  if (s.index == 0 && s.op < 4) h.semantic = GlobalHandle(options_.seed, type);
  HandleCreate(s, h);
  Return(s,
         op == kCreateEvent       ? "NtCreateEvent"
         : op == kCreateSemaphore ? "NtCreateSemaphore"
                                  : "NtCreateFile",
         0);
}

void EngineRun::CloseHandle(ThreadState& s) {
  size_t i = s.behavior.Below(static_cast<uint32_t>(s.handles.size()));
  Handle h = s.handles[i];
  s.handles[i] = s.handles.back();
  s.handles.pop_back();
  Call(s, "NtClose", 187);
  out_.Str(R"("handle":)");
  out_.QuotedBareHex(h.semantic, 16);
  EndCall();
  HandleDestroy(s, h);
  Return(s, "NtClose", 0);
}

void EngineRun::Signal(ThreadState& s, bool release) {
  uint64_t h = PickHandle(s, release ? kSemaphoreType : kEventType);
  if (release) {
    Call(s, "NtReleaseSemaphore", 229);
    out_.Str(R"("handle":)");
    out_.QuotedBareHex(h, 16);
    out_.Str(R"(,"count":1)");
  } else {
    Call(s, "NtSetEvent", 236);
    out_.Str(R"("handle":)");
    out_.QuotedBareHex(h, 16);
  }
  EndCall();
  Return(s, release ? "NtReleaseSemaphore" : "NtSetEvent", 0);
}

void EngineRun::WaitSingle(ThreadState& s) {
  Rng& r = s.behavior;
  uint64_t h = PickHandle(s, r.Percent(60) ? kEventType : kSemaphoreType);
  bool finite = r.Percent(15);
  bool timed_out = finite && r.Percent(40);
  int64_t timeout_ns = finite ? 1000000 * static_cast<int64_t>(r.Between(1, 16)) : -1;
  Call(s, "NtWaitForSingleObjectEx", 234);
  out_.Str(R"("handle":)");
  out_.QuotedBareHex(h, 16);
  out_.Str(R"(,"alertable":false,"timeout":)");
  out_.I64(finite ? -timeout_ns / 100 : -1);
  EndCall();
  WaitBegin(s, &h, 1, timeout_ns);
  WaitEnd(s, timed_out ? 0x102 : 0);
  Return(s, "NtWaitForSingleObjectEx", timed_out ? 0x102 : 0);
}

void EngineRun::WaitMultiple(ThreadState& s) {
  uint64_t hs[2] = {PickHandle(s, kEventType), PickHandle(s, kSemaphoreType)};
  Call(s, "NtWaitForMultipleObjectsEx", 233);
  out_.Str(R"("count":2,"handles":[)");
  out_.QuotedBareHex(hs[0], 16);
  out_.Str(", ");
  out_.QuotedBareHex(hs[1], 16);
  out_.Str(R"(],"wait_type":0,"alertable":false,"timeout":-1)");
  EndCall();
  WaitBegin(s, hs, 2, -1);
  WaitEnd(s, 0);
  Return(s, "NtWaitForMultipleObjectsEx", 0);
}

void EngineRun::ImportCall(ThreadState& s) {
  bool by_name = s.behavior.Percent(40);
  uint32_t ord = 500 + s.behavior.Below(12);
  Envelope(s, "import.call");
  if (by_name) {
    out_.Str(R"("name":")");
    out_.Str(PickFrom(kImports, s.behavior));
    out_.Str("\"}}\n");
  } else {
    out_.Str(R"("ord":)");
    out_.U64(ord);
    out_.Str("}}\n");
  }
}

// ---- engine-local resources ----

EngineRun::Handle EngineRun::NewHandle(ThreadState& s, uint8_t type) {
  uint64_t semantic = Mix64(options_.seed ^ Mix64((s.identity << 40) + s.handle_serial++));
  Handle h{semantic, next_raw_handle_, type};
  next_raw_handle_ += 4;
  s.handles.push_back(h);
  return h;
}

uint64_t EngineRun::PickHandle(ThreadState& s, uint8_t type) {
  size_t n = s.handles.size();
  size_t start = n ? s.behavior.Below(static_cast<uint32_t>(n)) : 0;
  for (size_t k = 0; k < n; ++k) {
    const Handle& h = s.handles[(start + k) % n];
    if (h.type == type) return h.semantic;
  }
  return GlobalHandle(options_.seed, type);
}

uint32_t EngineRun::Allocation(uint32_t size) {
  uint32_t address = style_.alloc_base + alloc_bump_;
  alloc_bump_ = (alloc_bump_ + ((size + 31) & ~31u)) & 0x03FFFFFF;
  return address;
}

}  // namespace bench
