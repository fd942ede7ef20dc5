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
};

extern const EngineStyle kCanaryStyle;
extern const EngineStyle kOursStyle;

// The engine-local tid of guest thread `index` (0 = main) among `threads`.
uint32_t EngineTid(const EngineStyle& style, int index, int threads);

class EngineRun {
 public:
  EngineRun(const PlanOptions& options, const std::vector<ThreadPlan>& plan,
            const EngineStyle& style, const std::string& path);

  // Writes the whole log and commits the file; throws std::runtime_error on I/O failure.
  void Run();
  uint64_t events() const { return events_; }
  uint64_t bytes() const { return out_.bytes_written(); }

 private:
  struct Handle {
    uint64_t semantic;
    uint32_t raw;
    uint8_t type;
  };
  struct ThreadState {
    ThreadState(uint64_t seed, int index, const ThreadPlan& plan, uint32_t tid);
    int index;
    const ThreadPlan* plan;
    uint32_t tid;
    Rng behavior;  // same in both engines
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

  void Step(int t);
  void RunOp(ThreadState& s, int op);
  void CreateThread(ThreadState& s, int child);
  void ResumeThread(ThreadState& s);
  void ExitThread(ThreadState& s);

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
};

}  // namespace bench
