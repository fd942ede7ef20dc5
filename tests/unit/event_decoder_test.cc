// EventDecoder: what is compared (the fingerprint), canonicalization, and the error messages
// for malformed lines, on Line objects built in memory with simdjson's padding.
#include "diff_events/decode/event_decoder.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "diff_events/canon/profile.h"
#include "diff_events/input_error.h"

namespace {

// Owns the bytes behind a Line: the text followed by kLinePadding readable bytes.
struct OwnedLine {
  OwnedLine(const std::string& text, uint64_t number)
      : storage(std::make_unique<std::string>(text + std::string(de::kLinePadding, '\0'))) {
    line.text = std::string_view(storage->data(), text.size());
    line.number = number;
    line.readable = storage->size();
  }
  std::unique_ptr<std::string> storage;
  de::Line line;
};

std::string Event(const std::string& kind, const std::string& payload, uint64_t tid = 1,
                  uint64_t idx = 0) {
  return R"({"engine":"canary","tid":)" + std::to_string(tid) + R"(,"tid_event_idx":)" +
         std::to_string(idx) + R"(,"host_ns":5,"guest_cycle":6,"deterministic":true,"kind":")" +
         kind + R"(","payload":)" + payload + "}";
}

// Decodes a sequence of lines with one decoder (one side of a diff).
class Side {
 public:
  explicit Side(const de::Profile& profile = de::DefaultProfile())
      : profile_(profile), decoder_(profile_, "side.jsonl") {}
  const de::DecodedEvent& Decode(const std::string& text) {
    OwnedLine owned(text, ++line_number_);
    decoder_.Decode(owned.line, batch_);
    return batch_.events.back();
  }
  const de::EventBatch& batch() const { return batch_; }

 private:
  de::Profile profile_;
  de::EventDecoder decoder_;
  de::EventBatch batch_;
  uint64_t line_number_ = 0;
};

uint64_t Fingerprint(const std::string& text, const de::Profile& profile = de::DefaultProfile()) {
  Side side(profile);
  return side.Decode(text).fingerprint;
}

// The message of the InputError that decoding `lines` (after a valid header) throws.
std::string ErrorOf(const std::vector<std::string>& lines) {
  de::Profile profile = de::DefaultProfile();
  de::EventDecoder decoder(profile, "bad.jsonl");
  de::EventBatch batch;
  uint64_t number = 1;
  try {
    for (const std::string& text : lines) {
      OwnedLine owned(text, ++number);
      decoder.Decode(owned.line, batch);
    }
  } catch (const de::InputError& e) {
    return e.what();
  }
  return "<no error>";
}

std::string HeaderError(const std::string& text) {
  de::Profile profile = de::DefaultProfile();
  de::EventDecoder decoder(profile, "h.jsonl");
  OwnedLine owned(text, 1);
  try {
    decoder.DecodeHeader(owned.line);
  } catch (const de::InputError& e) {
    return e.what();
  }
  return "<no error>";
}

}  // namespace

TEST_CASE("Payload key order does not matter", "[decode]") {
  CHECK(Fingerprint(Event("kernel.call", R"({"name":"A","ord":1,"args":{"x":1,"y":[1,2]}})")) ==
        Fingerprint(Event("kernel.call", R"({"args":{"y":[1,2],"x":1},"ord":1,"name":"A"})")));
}

TEST_CASE("Top-level key order does not matter, payload before kind included", "[decode]") {
  std::string usual =
      R"({"tid":1,"tid_event_idx":0,"kind":"handle.create","payload":{"raw_handle_id":"0x1","t":2}})";
  std::string payload_first =
      R"({"payload":{"t":2,"raw_handle_id":"0x2"},"kind":"handle.create","tid_event_idx":0,"tid":1})";
  CHECK(Fingerprint(usual) == Fingerprint(payload_first));
  CHECK(Fingerprint(payload_first) !=
        Fingerprint(R"({"payload":{"t":3},"kind":"handle.create","tid_event_idx":0,"tid":1})"));
}

TEST_CASE("Array order matters", "[decode]") {
  CHECK(Fingerprint(Event("kernel.call", R"({"name":"A","v":[1,2]})")) !=
        Fingerprint(Event("kernel.call", R"({"name":"A","v":[2,1]})")));
}

TEST_CASE("A null member equals an absent one, at any depth", "[decode]") {
  CHECK(Fingerprint(Event("kernel.call", R"({"name":"A","extra":null})")) ==
        Fingerprint(Event("kernel.call", R"({"name":"A"})")));
  CHECK(Fingerprint(Event("kernel.call", R"({"name":"A","args":{"a":1,"b":null}})")) ==
        Fingerprint(Event("kernel.call", R"({"name":"A","args":{"a":1}})")));
  CHECK(Fingerprint(Event("kernel.call", R"({"name":"A","extra":0})")) !=
        Fingerprint(Event("kernel.call", R"({"name":"A"})")));
  CHECK(Fingerprint(Event("kernel.call", R"({"name":"A","extra":{}})")) !=
        Fingerprint(Event("kernel.call", R"({"name":"A"})")));
}

TEST_CASE("Numbers compare by value, never equal to strings", "[decode]") {
  auto with = [](const std::string& v) {
    return Fingerprint(Event("kernel.return", R"({"name":"A","return_value":)" + v + "}"));
  };
  CHECK(with("1") == with("1.0"));
  CHECK(with("1") == with("1e0"));
  CHECK(with("-3") == with("-3.0"));
  CHECK(with("1") != with("1.5"));
  CHECK(with("1") != with("\"1\""));
  CHECK(with("0") != with("false"));
  CHECK(with("0") != with("null"));
  CHECK(with("18446744073709551615") != with("18446744073709551614"));
  CHECK(with("123456789012345678901234567890") == with("123456789012345678901234567890"));
  CHECK(with("123456789012345678901234567890") != with("123456789012345678901234567891"));
}

TEST_CASE("A different or extra payload field changes the fingerprint", "[decode]") {
  uint64_t base = Fingerprint(Event("kernel.call", R"({"name":"A","args":{"h":"ev1"}})"));
  CHECK(base != Fingerprint(Event("kernel.call", R"({"name":"A","args":{"h":"ev2"}})")));
  CHECK(base != Fingerprint(Event("kernel.call", R"({"name":"A","args":{"h":"ev1","n":1}})")));
  CHECK(base != Fingerprint(Event("kernel.call", R"({"name":"B","args":{"h":"ev1"}})")));
  CHECK(base != Fingerprint(Event("kernel.return", R"({"name":"A","args":{"h":"ev1"}})")));
  // Swapping values between keys must not collide (members are hashed with their key).
  CHECK(Fingerprint(Event("kernel.call", R"({"a":1,"b":2})")) !=
        Fingerprint(Event("kernel.call", R"({"a":2,"b":1})")));
}

TEST_CASE("Engine-local top-level fields are not compared", "[decode]") {
  CHECK(Fingerprint(R"({"engine":"canary","tid":1,"tid_event_idx":0,"host_ns":1,"guest_cycle":2,)"
                    R"("deterministic":true,"kind":"k","payload":{"a":1}})") ==
        Fingerprint(R"({"engine":"ours","tid":7,"tid_event_idx":0,"host_ns":9,"guest_cycle":8,)"
                    R"("deterministic":false,"kind":"k","payload":{"a":1}})"));
}

TEST_CASE("Default ignored payload fields are not compared", "[decode]") {
  CHECK(Fingerprint(Event("handle.create", R"({"raw_handle_id":"0xF8000080","sem":"abc"})")) ==
        Fingerprint(Event("handle.create", R"({"raw_handle_id":"0x10","sem":"abc"})")));
  CHECK(Fingerprint(Event("handle.destroy", R"({"raw_handle_id":"0x1","sem":"abc"})")) ==
        Fingerprint(Event("handle.destroy", R"({"sem":"abc"})")));
  CHECK(Fingerprint(Event("wait.end", R"({"handle":"h","wait_duration_cycles":100})")) ==
        Fingerprint(Event("wait.end", R"({"handle":"h","wait_duration_cycles":7})")));
  CHECK(Fingerprint(Event("thread.create",
                          R"({"entry":"0x8","ctx":"0xbc","stack":"0x70","child_tid":6})")) ==
        Fingerprint(Event("thread.create",
                          R"({"entry":"0x8","ctx":"0x40","stack":"0x71","child_tid":33})")));
  // The same field name under another kind is compared.
  CHECK(Fingerprint(Event("kernel.call", R"({"raw_handle_id":"0x1"})")) !=
        Fingerprint(Event("kernel.call", R"({"raw_handle_id":"0x2"})")));
  CHECK(Fingerprint(Event("thread.create", R"({"entry":"0x8"})")) !=
        Fingerprint(Event("thread.create", R"({"entry":"0x9"})")));
}

TEST_CASE("Dotted ignore paths from a profile skip nested fields only", "[decode]") {
  de::Profile p = de::DefaultProfile();
  p.ignored_payload_paths["kernel.call"] = {"args_resolved.ctx", "a.b.c"};
  auto fp = [&](const std::string& payload) {
    return Fingerprint(Event("kernel.call", payload), p);
  };
  CHECK(fp(R"({"name":"A","args_resolved":{"ctx":"0x1","n":1}})") ==
        fp(R"({"name":"A","args_resolved":{"ctx":"0x2","n":1}})"));
  CHECK(fp(R"({"name":"A","args_resolved":{"ctx":"0x1","n":1}})") ==
        fp(R"({"name":"A","args_resolved":{"n":1}})"));
  CHECK(fp(R"({"name":"A","args_resolved":{"ctx":"0x1","n":1}})") !=
        fp(R"({"name":"A","args_resolved":{"ctx":"0x1","n":2}})"));
  CHECK(fp(R"({"name":"A","ctx":"0x1"})") != fp(R"({"name":"A","ctx":"0x2"})"));
  CHECK(fp(R"({"a":{"b":{"c":1,"d":1}}})") == fp(R"({"a":{"b":{"c":2,"d":1}}})"));
  CHECK(fp(R"({"a":{"b":{"c":1,"d":1}}})") != fp(R"({"a":{"b":{"c":1,"d":2}}})"));
}

TEST_CASE("A profile's ignored top-level field is not compared", "[decode]") {
  de::Profile p = de::DefaultProfile();
  CHECK(Fingerprint(R"({"tid":1,"tid_event_idx":0,"kind":"k","seq":1})", p) !=
        Fingerprint(R"({"tid":1,"tid_event_idx":0,"kind":"k","seq":2})", p));
  p.ignored_fields.insert("seq");
  CHECK(Fingerprint(R"({"tid":1,"tid_event_idx":0,"kind":"k","seq":1})", p) ==
        Fingerprint(R"({"tid":1,"tid_event_idx":0,"kind":"k","seq":2})", p));
}

TEST_CASE("Allocator returns compare by per-(tid, name) ordinal, not address", "[decode]") {
  auto ret = [](uint64_t tid, uint64_t idx, const std::string& name, const std::string& addr) {
    return Event(
        "kernel.return",
        R"({"name":")" + name + R"(","return_value":")" + addr + R"(","status":")" + addr + R"("})",
        tid, idx);
  };
  Side canary, ours;
  // Same ordinals, different addresses: equal.
  const de::DecodedEvent& c0 = canary.Decode(ret(1, 0, "RtlAllocateHeap", "0xBC000000"));
  const de::DecodedEvent& o0 = ours.Decode(ret(7, 0, "RtlAllocateHeap", "0x40000000"));
  CHECK(c0.alloc_ordinal == 0);
  CHECK(o0.alloc_ordinal == 0);
  CHECK(c0.fingerprint == o0.fingerprint);
  uint64_t c1 = canary.Decode(ret(1, 1, "RtlAllocateHeap", "0xBC000100")).fingerprint;
  CHECK(canary.batch().events.back().alloc_ordinal == 1);
  // Another name and another thread count on their own.
  CHECK(canary.Decode(ret(1, 2, "NtAllocateVirtualMemory", "0xBC100000")).alloc_ordinal == 0);
  CHECK(canary.Decode(ret(2, 0, "RtlAllocateHeap", "0xBC200000")).alloc_ordinal == 0);
  CHECK(canary.Decode(ret(1, 3, "RtlAllocateHeap", "0xBC000200")).alloc_ordinal == 2);
  // Ours allocates once more in between: its next return has ordinal 2 where canary had 1.
  ours.Decode(ret(7, 1, "RtlAllocateHeap", "0x40000100"));
  uint64_t o2 = ours.Decode(ret(7, 2, "RtlAllocateHeap", "0x40000200")).fingerprint;
  CHECK(ours.batch().events.back().alloc_ordinal == 2);
  CHECK(c1 != o2);
  // A call (not a return) is not canonicalized; neither is a non-allocator's return.
  CHECK(canary.Decode(Event("kernel.call", R"({"name":"RtlAllocateHeap","size":8})", 1, 4))
            .alloc_ordinal == -1);
  CHECK(canary.Decode(ret(1, 5, "NtClose", "0x0")).alloc_ordinal == -1);
}

TEST_CASE("Allocator ordinals keep other payload fields compared", "[decode]") {
  auto ret = [](const std::string& extra) {
    return Event("kernel.return",
                 R"({"name":"RtlAllocateHeap","return_value":"0x1","status":"0x1")" + extra + "}");
  };
  CHECK(Fingerprint(ret("")) == Fingerprint(ret("")));
  CHECK(Fingerprint(ret(R"(,"size":8)")) != Fingerprint(ret(R"(,"size":16)")));
}

TEST_CASE("Turning canonicalization off, or adding an allocator, changes what is canonical",
          "[decode]") {
  auto ret = [](const std::string& name, const std::string& addr) {
    return Event("kernel.return",
                 R"({"name":")" + name + R"(","return_value":")" + addr + R"(","status":0})");
  };
  de::Profile off = de::DefaultProfile();
  off.canonicalize_allocators = false;
  CHECK(Fingerprint(ret("RtlAllocateHeap", "0xBC0"), off) !=
        Fingerprint(ret("RtlAllocateHeap", "0x40"), off));
  CHECK(Fingerprint(ret("RtlAllocateHeap", "0xBC0")) ==
        Fingerprint(ret("RtlAllocateHeap", "0x40")));
  de::Profile extra = de::DefaultProfile();
  extra.allocators.insert("MyAlloc");
  CHECK(Fingerprint(ret("MyAlloc", "0xBC0")) != Fingerprint(ret("MyAlloc", "0x40")));
  CHECK(Fingerprint(ret("MyAlloc", "0xBC0"), extra) == Fingerprint(ret("MyAlloc", "0x40"), extra));
}

TEST_CASE("Decoder reports pairing facts: first call and child tid", "[decode]") {
  Side side;
  CHECK_FALSE(side.Decode(Event("handle.create", R"({"sem":"a"})", 3, 0)).first_call_of_thread);
  const de::DecodedEvent& first = side.Decode(Event("kernel.call", R"({"name":"Boot"})", 3, 1));
  CHECK(first.first_call_of_thread);
  CHECK(first.event_class == de::EventClass::kKernelCall);
  CHECK(side.batch().new_names.at(first.name_id - 1) == "Boot");
  CHECK_FALSE(side.Decode(Event("kernel.call", R"({"name":"Next"})", 3, 2)).first_call_of_thread);
  const de::DecodedEvent& create =
      side.Decode(Event("thread.create", R"({"entry":"0x8","child_tid":44})", 3, 3));
  CHECK(create.event_class == de::EventClass::kThreadCreate);
  CHECK(create.has_child_tid);
  CHECK(create.child_tid == 44);
  CHECK(side.batch().Raw(create) ==
        Event("thread.create", R"({"entry":"0x8","child_tid":44})", 3, 3));
}

TEST_CASE("tid_event_idx must increase within a tid; gaps and other tids are fine", "[decode]") {
  CHECK(ErrorOf({Event("k", "{}", 1, 0), Event("k", "{}", 1, 5), Event("k", "{}", 2, 0),
                 Event("k", "{}", 1, 6)}) == "<no error>");
  CHECK(ErrorOf({Event("k", "{}", 1, 3), Event("k", "{}", 1, 2)}) ==
        "bad.jsonl:3: tid_event_idx 2 of tid 1 does not increase (previous was 3)");
  CHECK(ErrorOf({Event("k", "{}", 1, 3), Event("k", "{}", 1, 3)}) ==
        "bad.jsonl:3: tid_event_idx 3 of tid 1 does not increase (previous was 3)");
}

TEST_CASE("Malformed event lines are InputErrors naming file and line", "[decode]") {
  const std::string ok = Event("k", "{}", 1, 0);
  const std::string idx_msg = "'tid_event_idx' must be a non-negative integer that fits in 64 bits";
  const std::string tid_msg = "'tid' must be a non-negative integer that fits in 64 bits";
  CHECK(ErrorOf({ok, R"({"tid_event_idx":1,"kind":"k","payload":{}})"}) ==
        "bad.jsonl:3: missing 'tid'");
  CHECK(ErrorOf({R"({"tid":1,"kind":"k","payload":{}})"}) ==
        "bad.jsonl:2: missing 'tid_event_idx'");
  CHECK(ErrorOf({R"({"tid":1,"tid_event_idx":0,"payload":{}})"}) == "bad.jsonl:2: missing 'kind'");
  CHECK(ErrorOf({R"({"tid":1.5,"tid_event_idx":0,"kind":"k"})"}) == "bad.jsonl:2: " + tid_msg);
  CHECK(ErrorOf({R"({"tid":"1","tid_event_idx":0,"kind":"k"})"}) == "bad.jsonl:2: " + tid_msg);
  CHECK(ErrorOf({R"({"tid":-1,"tid_event_idx":0,"kind":"k"})"}) == "bad.jsonl:2: " + tid_msg);
  CHECK(ErrorOf({R"({"tid":18446744073709551616,"tid_event_idx":0,"kind":"k"})"}) ==
        "bad.jsonl:2: " + tid_msg);
  CHECK(ErrorOf({R"({"tid":1,"tid_event_idx":-1,"kind":"k"})"}) == "bad.jsonl:2: " + idx_msg);
  CHECK(ErrorOf({R"({"tid":1,"tid_event_idx":1e3,"kind":"k"})"}) == "bad.jsonl:2: " + idx_msg);
  CHECK(ErrorOf({R"({"tid":1,"tid_event_idx":null,"kind":"k"})"}) == "bad.jsonl:2: " + idx_msg);
  CHECK(ErrorOf({R"({"tid":1,"tid_event_idx":0,"kind":7})"}) ==
        "bad.jsonl:2: 'kind' must be a string");
  CHECK(ErrorOf({R"({"tid":1,"tid":2,"tid_event_idx":0,"kind":"k"})"}) ==
        "bad.jsonl:2: duplicate key 'tid'");
  CHECK(ErrorOf({R"({"tid":1,"tid_event_idx":0,"tid_event_idx":1,"kind":"k"})"}) ==
        "bad.jsonl:2: duplicate key 'tid_event_idx'");
  CHECK(ErrorOf({R"({"tid":1,"tid_event_idx":0,"kind":"k","kind":"j"})"}) ==
        "bad.jsonl:2: duplicate key 'kind'");
  CHECK(ErrorOf({R"([1,2,3])"}) == "bad.jsonl:2: expected a JSON object (one event per line)");
  CHECK(ErrorOf({ok + ok}) == "bad.jsonl:2: trailing content after the event object");
}

TEST_CASE("Invalid JSON is an InputError naming file and line", "[decode]") {
  const std::string ok = Event("k", "{}", 1, 0);
  // Not an object at all, or an object cut short: named as such.
  for (const std::string& bad :
       {std::string("not json"), std::string(R"({"tid":1,"tid_event_idx":1,"kind":"k")")}) {
    INFO(bad);
    CHECK_THAT(ErrorOf({ok, bad}), Catch::StartsWith("bad.jsonl:3: "));
    CHECK(ErrorOf({ok, bad}) != "<no error>");
  }
  for (const std::string& bad :
       {std::string(R"({"tid":1,"tid_event_idx":1,"kind":"k","payload":{"a":1 "b":2}})"),
        std::string(R"({"tid":1,"tid_event_idx":1,"kind":"k","payload":{"s":")") + "\xC3\x28" +
            R"("}})",
        std::string(R"({"tid":1,"tid_event_idx":1,"kind":"k","payload":{"a":tru}})"),
        std::string(R"({"tid":1,"tid_event_idx":1,"kind":"k","payload":{"a":[1,2}})")}) {
    INFO(bad);
    CHECK_THAT(ErrorOf({ok, bad}), Catch::StartsWith("bad.jsonl:3: invalid JSON"));
  }
}

// Regression: fields that are not compared (ignored top-level fields, ignored payload paths)
// are still validated — simdjson on-demand only checks what it visits.
TEST_CASE("Invalid JSON inside an ignored field is still an error", "[decode]") {
  const std::string ok = Event("k", "{}", 1, 0);
  CHECK_THAT(ErrorOf({ok, R"({"tid":1,"tid_event_idx":1,"host_ns":tru,"kind":"k","payload":{}})"}),
             Catch::StartsWith("bad.jsonl:3: invalid JSON"));
  CHECK_THAT(ErrorOf({ok, R"({"tid":1,"tid_event_idx":1,"kind":"wait.end",)"
                          R"("payload":{"wait_duration_cycles":12x}})"}),
             Catch::StartsWith("bad.jsonl:3: invalid JSON"));
}

// Ignored scalars are checked on their text (ValidateJsonValueFast); what that cannot settle goes
// to the full validation, so the same values are errors either way.
TEST_CASE("Ignored scalars: valid ones pass, invalid ones are errors", "[decode]") {
  const std::string ok = Event("k", "{}", 1, 0);
  for (const char* good :
       {R"("plain")", R"("esc\u0041\n")", "12", "-3", "0", "1.5e3", "123456789012345678901234",
        "true", "false", "null", R"("")", "[1,{}]"}) {
    INFO(good);
    std::string line = std::string(R"({"tid":1,"tid_event_idx":1,"host_ns":)") + good +
                       R"(,"kind":"k","payload":{}})";
    CHECK(ErrorOf({ok, line}) == "<no error>");
  }
  for (const char* bad :
       {R"("bad\q")", R"("\u12")", "012", "-", "1.", "truex", "nul", "+1", "1e", "--1"}) {
    INFO(bad);
    std::string line = std::string(R"({"tid":1,"tid_event_idx":1,"host_ns":)") + bad +
                       R"(,"kind":"k","payload":{}})";
    CHECK_THAT(ErrorOf({ok, line}), Catch::StartsWith("bad.jsonl:3: invalid JSON"));
  }
}

TEST_CASE("Header line is checked", "[decode]") {
  de::Profile profile = de::DefaultProfile();
  de::EventDecoder decoder(profile, "h.jsonl");
  OwnedLine good(R"({"kind":"schema_version","schema_version":1,"engine":"canary"})", 1);
  CHECK(decoder.DecodeHeader(good.line) == "canary");
  OwnedLine reordered(R"({"engine":"ours","schema_version":1,"kind":"schema_version"})", 1);
  CHECK(decoder.DecodeHeader(reordered.line) == "ours");
  const std::string missing =
      R"(h.jsonl:1: missing schema header: expected a header {"kind":"schema_version","schema_version":1,...})";
  CHECK(HeaderError(Event("kernel.call", "{}")) == missing);
  CHECK(HeaderError(R"({"kind":"event","schema_version":1})") == missing);
  CHECK(HeaderError(R"({"kind":"schema_version","schema_version":2,"engine":"x"})") ==
        "h.jsonl:1: unsupported schema_version 2 (this build reads 1)");
  CHECK(HeaderError(R"({"kind":"schema_version","engine":"x"})") ==
        "h.jsonl:1: unsupported schema_version -1 (this build reads 1)");
  CHECK_THAT(HeaderError("garbage"), Catch::StartsWith("h.jsonl:1: invalid header line ("));
  CHECK(HeaderError(R"({"kind":"schema_version","schema_version":1}{})") ==
        "h.jsonl:1: trailing content after the header object");
}
