// The record builders of EngineRun: schema-v1 lines formatted straight into the output buffer.
#include "engine_run.h"

namespace bench {

// The event numbered s.cut, and every later one of the same op, are formatted as usual and
// taken back when the op ends (Step); ours, wedging, cuts each thread after its next wait.begin.
void EngineRun::Envelope(ThreadState& s, std::string_view kind, bool deterministic) {
  host_ns_ += 300 + jitter_.Below(2200);
  s.cycle += 35 + jitter_.Below(12);
  if (s.events_left > 0) --s.events_left;
  if (s.event_idx >= s.cut && !Cut()) cut_position_ = out_.bytes_written();
  if (!Cut()) {
    ++events_;
    ++s.logged;
    if (wedging_ && kind == "wait.begin") s.cut = s.event_idx + 1;
    if (style_.is_ours && options_.shape == Shape::kSeed && events_ >= options_.wedge_events)
      wedging_ = true;
  }
  out_.BeginRecord();
  out_.Str(R"({"engine":")");
  out_.Str(style_.name);
  out_.Str(R"(","tid":)");
  out_.U64(s.tid);
  out_.Str(R"(,"tid_event_idx":)");
  out_.U64(s.event_idx++);
  out_.Str(R"(,"host_ns":)");
  out_.U64(host_ns_);
  out_.Str(R"(,"guest_cycle":)");
  out_.U64(s.cycle);
  out_.Str(deterministic ? R"(,"deterministic":true,"kind":")"
                         : R"(,"deterministic":false,"kind":")");
  out_.Str(kind);
  out_.Str(R"(","payload":{)");
}

void EngineRun::Call(ThreadState& s, std::string_view name, int ord) {
  Envelope(s, "kernel.call");
  out_.Str(R"("name":")");
  out_.Str(name);
  out_.Str(R"(","ord":)");
  out_.U64(static_cast<uint64_t>(ord));
  out_.Str(R"(,"args_resolved":{)");
}

void EngineRun::Return(ThreadState& s, std::string_view name, uint64_t value) {
  Envelope(s, "kernel.return");
  out_.Str(R"("name":")");
  out_.Str(name);
  out_.Str(R"(","return_value":)");
  out_.U64(value);
  out_.Str(R"(,"status":)");
  out_.QuotedHex(value & 0xFFFFFFFF, 8);
  out_.Str("}}\n");
}

void EngineRun::ReturnAddress(ThreadState& s, std::string_view name, uint32_t address) {
  s.last_alloc = address;
  Return(s, name, address);
}

void EngineRun::HandleCreate(ThreadState& s, const Handle& h) {
  Envelope(s, "handle.create");
  out_.Str(R"("raw_handle_id":)");
  out_.QuotedHex(h.raw, 8, style_.raw_handle_upper);
  out_.Str(R"(,"handle_semantic_id":)");
  out_.QuotedBareHex(h.semantic, 16);
  out_.Str(R"(,"object_type":)");
  out_.U64(h.type);
  out_.Str("}}\n");
}

void EngineRun::HandleDestroy(ThreadState& s, const Handle& h) {
  Envelope(s, "handle.destroy");
  out_.Str(R"("raw_handle_id":)");
  out_.QuotedHex(h.raw, 8, style_.raw_handle_upper);
  out_.Str(R"(,"handle_semantic_id":)");
  out_.QuotedBareHex(h.semantic, 16);
  out_.Str("}}\n");
}

void EngineRun::WaitBegin(ThreadState& s, const uint64_t* handles, int count, int64_t timeout) {
  Envelope(s, "wait.begin");
  out_.Str(R"("handles":[)");
  for (int i = 0; i < count; ++i) {
    if (i > 0) out_.Char(',');
    out_.QuotedBareHex(handles[i], 16);
  }
  out_.Str(R"(],"timeout_ns":)");
  out_.I64(timeout);
  out_.Str(count > 1 ? ",\"wait_all\":true}}\n" : "}}\n");
}

void EngineRun::WaitEnd(ThreadState& s, uint32_t status) {
  Envelope(s, "wait.end", false);
  out_.Str(R"("wait_duration_cycles":)");
  out_.U64(jitter_.Percent(90) ? 800 + jitter_.Below(9000) : 100000 + jitter_.Below(2000000));
  out_.Str(R"(,"status":)");
  out_.QuotedHex(status, 8);
  out_.Str("}}\n");
}

}  // namespace bench
