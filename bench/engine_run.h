// One engine running the planned guest program and writing its schema-v1 event log.
//
// Each guest thread draws its behaviour (which calls, which arguments, which results) from its
// own random stream seeded by (seed, thread), so its event sequence is the same in both engines.
// Everything an engine decides for itself comes from separate streams: the scheduler (host-time
// interleaving), tids, raw handle ids, allocator addresses, stacks, clocks and wait durations.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "event_plan.h"
#include "out_file.h"
#include "rng.h"

namespace bench {

struct EngineStyle {
  std::string_view name;  // "canary" or "ours"
  bool is_ours;
  uint64_t host_ns_start;
  uint32_t raw_handle_base;
  bool raw_handle_upper;  // canary prints 0xF8000080, ours 0x00001200
  uint32_t alloc_base;    // canary 0xBC000000, ours 0x40000000
  uint32_t stack_base;
  uint64_t scheduler_salt;
  uint32_t tid_base;  // shapes other than kClassic: tids handed out in creation order from here
};

extern const EngineStyle kCanaryStyle;
extern const EngineStyle kOursStyle;

// kClassic's engine-local tid of guest thread `index` (0 = main) among `threads`.
uint32_t EngineTid(const EngineStyle& style, int index, int threads);

// How an engine picks the next thread to run.
enum class Scheduler {
  kUniform,    // a random runnable thread, a burst of 1-6 ops (kClassic)
  kWeighted,   // a random runnable thread weighted by its events left, so every thread spans the
               // whole log, a burst of 1-6 ops (canary) or 2-10 (ours)
  kSerialLow,  // the lowest-numbered runnable thread, to its end
  kSerialHigh  // the highest-numbered runnable thread, to its end
};

class EngineRun {
 public:
  EngineRun(const PlanOptions& options, const std::vector<ThreadPlan>& plan,
            const EngineStyle& style, const std::string& path);

  // Writes the whole log and commits the file; throws std::runtime_error on I/O failure.
  void Run();
  uint64_t events() const { return events_; }
  uint64_t bytes() const { return out_.bytes_written(); }
  // After Run(): guest thread i's tid (0: never ran) and the events of it in the log.
  uint32_t tid_of(int i) const { return threads_[static_cast<size_t>(i)].tid; }
  uint64_t events_of(int i) const { return threads_[static_cast<size_t>(i)].logged; }

 private:
  struct Handle {
    uint64_t semantic;
    uint32_t raw;
    uint8_t type;
  };
  struct ThreadState {
    ThreadState(uint64_t seed, int index, const ThreadPlan& plan, uint32_t tid, bool is_ours);
    int index;
    const ThreadPlan* plan;
    uint32_t tid;
    Rng behavior;          // same in both engines
    uint64_t identity;     // names the stream `behavior` draws from (handle ids derive from it)
    uint64_t cut;          // the log stops this thread before its event `cut`
    uint64_t logged = 0;   // events of this thread in the log
    bool stopped = false;  // cut: never runs again, never exits
    uint64_t event_idx = 0;
    uint64_t cycle;
    uint64_t events_left;
    uint64_t op = 0;
    size_t next_child = 0;
    int pending_resume = -1;  // a child created suspended, resumed by the next op
    bool exited = false;
    uint32_t last_alloc = 0;
    uint64_t handle_serial = 0;
    std::vector<Handle> handles;  // live handles this thread created
  };

  size_t PickThread();
  int TakeSerial();
  void MakeRunnable(int t);
  uint32_t Burst();
  void Step(int t);
  void BeginOp(ThreadState& s);
  bool Cut() const { return cut_position_ != kNoCut; }
  void RunOp(ThreadState& s, int op);
  void CreateThread(ThreadState& s, int child);
  void ResumeThread(ThreadState& s);
  void ExitThread(ThreadState& s);
  void UniqueFirstCall(ThreadState& s);

  // Record builders.
  void Envelope(ThreadState& s, std::string_view kind, bool deterministic = true);
  void Call(ThreadState& s, std::string_view name, int ord);
  void EndCall() { out_.Str("}}}\n"); }
  void Return(ThreadState& s, std::string_view name, uint64_t value);
  void ReturnAddress(ThreadState& s, std::string_view name, uint32_t address);
  void HandleCreate(ThreadState& s, const Handle& h);
  void HandleDestroy(ThreadState& s, const Handle& h);
  void WaitBegin(ThreadState& s, const uint64_t* handles, int count, int64_t timeout_ns);
  void WaitEnd(ThreadState& s, uint32_t status);

  // Ops: one guest-level action each, 1 to 6 events.
  void SimpleCall(ThreadState& s, int op);
  void CriticalSection(ThreadState& s);
  void Allocate(ThreadState& s, int op);
  void CreateObject(ThreadState& s, int op);
  void CloseHandle(ThreadState& s);
  void Signal(ThreadState& s, bool release);
  void WaitSingle(ThreadState& s);
  void WaitMultiple(ThreadState& s);
  void ImportCall(ThreadState& s);

  Handle NewHandle(ThreadState& s, uint8_t type);
  uint64_t PickHandle(ThreadState& s, uint8_t type);
  uint32_t Allocation(uint32_t size);

  const PlanOptions options_;
  const std::vector<ThreadPlan>& plan_;
  const EngineStyle& style_;
  OutFile out_;
  Rng scheduler_;
  Rng jitter_;
  std::vector<ThreadState> threads_;
  std::vector<int> runnable_;
  uint64_t host_ns_;
  uint32_t next_raw_handle_;
  uint32_t alloc_bump_ = 0;
  uint32_t stacks_ = 0;
  uint64_t events_ = 0;
  Scheduler scheduler_kind_;
  uint32_t next_tid_;
  bool serial_heap_ = false;
  bool wedging_ = false;  // kSeed, ours: every thread stops after its next wait.begin
  static constexpr uint64_t kNoCut = UINT64_MAX;
  uint64_t cut_position_ = kNoCut;  // where the running op's cut event starts in the output
};

}  // namespace bench
