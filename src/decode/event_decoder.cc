#include "diff_events/decode/event_decoder.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "diff_events/decode/event_facts.h"
#include "diff_events/decode/json_hash.h"
#include "diff_events/input_error.h"

namespace de {

namespace od = simdjson::ondemand;

struct EventDecoder::PayloadFacts {
  EventClass cls = EventClass::kOther;
  EventBatch* batch = nullptr;
  uint32_t name_id = 0;
  EventFacts event_facts;     // what the thread analyses need, gathered during the hash walk
  bool facts_missed = false;  // a signal call's args came before its name: rewind for them
  bool has_name = false;
  bool tapped = false;   // a class whose payload has facts (TapFor)
  int alloc_index = -1;  // payload.name is an allocator
  uint64_t return_value_hash = 0;
  uint64_t status_hash = 0;
  bool has_child_tid = false;
  uint64_t child_tid = 0;
  int call_alloc_index = -1;  // a kernel.call of an allocator: its size is read for the block
  WalkCapture size;           // that size, when the walk of args_resolved picked it out
  // The canonical payload hash minus the raw one: nonzero when a pointer stood for a block.
  uint64_t pointer_delta = 0;
  bool has_return_address = false;
  uint64_t return_address = 0;
  // Pointer canonicalization: the blocks a value is looked up in, and who asks. Or, decoding
  // ahead of the blocks (Prepare), where every value that could point into one is collected.
  const AllocationMap* pointers = nullptr;
  std::vector<uint64_t>* candidates = nullptr;
  bool pointer_members = false;  // the class has members PointerWalk takes, and blocks exist
  uint64_t tid = 0;
  const EventDecoder* decoder = nullptr;
};

EventDecoder::EventDecoder(const Profile& profile, std::string file_name)
    : filter_(profile),
      allocators_(profile),
      file_(std::move(file_name)),
      names_(1),
      signal_calls_(profile.signal_calls),
      mask_(profile.mask),
      pointers_(profile.canonicalize_pointers && allocators_.size() > 0),
      pointer_scope_(profile.pointer_scope) {
  for (size_t i = 0; i < allocators_.size(); ++i) {
    const std::string& name = allocators_.name(static_cast<int>(i));
    allocator_hashes_.push_back(HashBytes(name));
    std::vector<std::string> keys;
    std::string error;
    auto it = profile.allocator_size_args.find(name);
    if (it != profile.allocator_size_args.end()) SplitFieldPath(it->second, keys, error);
    size_paths_.push_back(error.empty() ? keys : std::vector<std::string>{});
  }
}

bool EventDecoder::WantsFacts(EventClass cls, uint32_t name_id) const {
  if (cls == EventClass::kWaitBegin || cls == EventClass::kHandleCreate ||
      cls == EventClass::kHandleDestroy) {
    return true;
  }
  return cls == EventClass::kKernelCall && name_id != 0 && names_[name_id].signal_call;
}

void EventDecoder::Fail(const Line& line, const std::string& what) const {
  throw InputError(file_, line.number, what);
}

// After the top-level object was walked, anything but the end of the line is a second value.
static bool HasTrailingContent(od::document& doc) {
  const char* location = nullptr;
  return doc.current_location().get(location) == simdjson::SUCCESS;
}

static od::document Iterate(od::parser& parser, const Line& line) {
  return parser.iterate(
      simdjson::padded_string_view(line.text.data(), line.text.size(), line.readable));
}

std::string EventDecoder::DecodeHeader(const Line& line) {
  const std::string expected =
      R"(expected a header {"kind":"schema_version","schema_version":1,...})";
  std::string engine;
  try {
    od::document doc = Iterate(parser_, line);
    od::object obj = doc.get_object();
    std::string_view kind;
    int64_t version = -1;
    for (auto field : obj) {
      std::string_view key = field.unescaped_key();
      if (key == "kind")
        kind = field.value().get_string();
      else if (key == "schema_version")
        version = field.value().get_int64();
      else if (key == "engine")
        engine = std::string(std::string_view(field.value().get_string()));
      else
        ValidateJsonValue(field.value(), 1);  // the whole header is JSON like any event line
    }
    if (HasTrailingContent(doc)) Fail(line, "trailing content after the header object");
    if (kind != "schema_version") Fail(line, "missing schema header: " + expected);
    if (version != 1)
      Fail(line, fmt::format("unsupported schema_version {} (this build reads 1)", version));
  } catch (const simdjson::simdjson_error& e) {
    Fail(line, std::string("invalid header line (") + e.what() + "): " + expected);
  }
  return engine;
}

const EventDecoder::NameInfo& EventDecoder::Intern(std::string_view name, uint64_t bytes_hash,
                                                   EventBatch& batch) {
  const NameInfo& last = names_[last_name_id_];
  if (last_name_id_ != 0 && last.bytes_hash == bytes_hash && last.text == name) return last;
  uint32_t id = 0;
  auto it = name_ids_.find(bytes_hash);
  if (it != name_ids_.end() && names_[it->second].text == name) {
    id = it->second;
  } else if (it == name_ids_.end()) {
    id = AddName(name, bytes_hash, batch);
    name_ids_.emplace(bytes_hash, id);
  } else {  // another name with the same 64-bit hash: rare enough for a map of strings
    auto [other, inserted] = colliding_.try_emplace(std::string(name), 0);
    if (inserted) other.value() = AddName(name, bytes_hash, batch);
    id = other->second;
  }
  last_name_id_ = id;
  return names_[id];
}

uint32_t EventDecoder::AddName(std::string_view name, uint64_t bytes_hash, EventBatch& batch) {
  auto id = static_cast<uint32_t>(names_.size());
  NameInfo& info = names_.emplace_back();
  info.text.assign(name);
  info.bytes_hash = bytes_hash;
  info.alloc_index = allocators_.AllocatorIndex(name);
  info.signal_call = signal_calls_.count(info.text) > 0;
  info.masked = mask_.count(info.text) > 0;
  batch.new_names.push_back(info.text);
  return id;
}

// std::from_chars(first, last, out) for an int64: the integer at the start of the text, `out`
// untouched when there is none or it does not fit; the end of its digits, or null. Written out
// for the up to 18 digits of a clock (the library's generic version shows in the profile); 19 or
// more go to the library for its range check.
static const char* LeadingInt64(const char* first, const char* last, int64_t& out) {
  const char* p = first;
  bool negative = p != last && *p == '-';
  if (negative) ++p;
  const char* digits = p;
  const char* stop = p + std::min<ptrdiff_t>(last - p, 18);
  uint64_t v = 0;
  for (; p != stop; ++p) {
    unsigned digit = static_cast<unsigned char>(*p) - unsigned{'0'};
    if (digit > 9) break;
    v = v * 10 + digit;
  }
  if (p != last && static_cast<unsigned char>(*p) - unsigned{'0'} <= 9) {
    auto [end, ec] = std::from_chars(first, last, out);
    return ec == std::errc() ? end : nullptr;
  }
  if (p == digits) return nullptr;
  out = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return p;
}

// The engine's clock, peeked at without consuming the value (it is still hashed or validated
// below like any other field); anything but an integer leaves it 0.
static void PeekHostNs(od::value value, int64_t& out) {
  std::string_view token = value.raw_json_token();
  LeadingInt64(token.data(), token.data() + token.size(), out);
}

static uint64_t ReadIndex(od::value value, const char* field, const EventDecoder*) {
  uint64_t v = 0;
  auto err = value.get_uint64().get(v);
  if (err) {
    throw InputError(
        "", 0, fmt::format("'{}' must be a non-negative integer that fits in 64 bits", field));
  }
  return v;
}

// Which payload members carry facts, and how their strings are kept: handles awaited or created
// as text (reports name them), a signal call's arguments as keys. Null when the member has none.
StringTap EventDecoder::TapFor(PayloadFacts& facts, std::string_view key) {
  static const StringTap kText = [](void* context, std::string_view s) {
    auto* f = static_cast<PayloadFacts*>(context);
    f->batch->AddFactString(f->event_facts, s);
  };
  static const StringTap kKey = [](void* context, std::string_view s) {
    auto* f = static_cast<PayloadFacts*>(context);
    f->batch->AddFactKey(f->event_facts, HandleKey(s));
  };
  switch (facts.cls) {
    case EventClass::kWaitBegin:
      return key == "handles" ? kText : nullptr;
    case EventClass::kHandleCreate:
      return key == "handle_semantic_id" ? kText : nullptr;
    case EventClass::kKernelCall:
      if (key != "args_resolved") return nullptr;
      if (!facts.has_name) facts.facts_missed = true;  // cannot tell yet if it signals
      return facts.has_name && names_[facts.name_id].signal_call ? kKey : nullptr;
    case EventClass::kHandleDestroy:
      return key == "handle_semantic_id" ? kKey : nullptr;
    default:
      return nullptr;
  }
}

static bool NumberFactOf(EventClass cls, std::string_view key) {
  return (cls == EventClass::kWaitBegin && key == "timeout_ns") ||
         (cls == EventClass::kHandleCreate && key == "object_type");
}

// Peeked, not consumed: the value is hashed right after.
static void PeekNumber(od::value value, EventFacts& facts) {
  std::string_view token = value.raw_json_token();
  int64_t n = 0;
  const char* end = LeadingInt64(token.data(), token.data() + token.size(), n);
  if (end && (end == token.data() + token.size() || *end == ' ' || *end == ',' || *end == '}' ||
              *end == '\t')) {
    facts.number = n;
    facts.has_number = true;
  }
}

// The members whose values may be pointers passed back: a call's arguments, a thread's ctx.
bool EventDecoder::PointerWalk(const PayloadFacts& facts, std::string_view key) const {
  if (!facts.pointer_members) return false;
  return (facts.cls == EventClass::kKernelCall && key == "args_resolved") ||
         (facts.cls == EventClass::kThreadCreate && key == "ctx");
}

// An allocator call's size, picked out while its arguments are hashed, when the profile names it
// as args_resolved.KEY (the default); other paths are read afterwards (ReadPayloadInteger).
WalkCapture* EventDecoder::SizeCapture(PayloadFacts& facts, std::string_view key) const {
  if (facts.cls != EventClass::kKernelCall || facts.alloc_index < 0 || !pointers_ ||
      key != "args_resolved") {
    return nullptr;
  }
  const auto& path = size_paths_[static_cast<size_t>(facts.alloc_index)];
  if (path.size() != 2 || path[0] != "args_resolved") return nullptr;
  facts.size.key = path[1];
  return &facts.size;
}

bool EventDecoder::MapAddress(void* context, uint64_t address, uint64_t& hash) {
  const auto& facts = *static_cast<const PayloadFacts*>(context);
  if (facts.candidates) {
    facts.candidates->push_back(address);  // the walk goes on as if it pointed nowhere
    return false;
  }
  std::optional<PointerTarget> target = facts.pointers->Find(address, facts.tid);
  if (!target) return false;
  constexpr uint64_t kTagPointer = 0x504f494e54000009ULL;
  uint64_t allocator = facts.decoder->allocator_hashes_[static_cast<size_t>(target->alloc_index)];
  hash = MixHash(MixHash(kTagPointer ^ allocator, static_cast<uint64_t>(target->ordinal)),
                 target->offset * 2 + (target->other_thread ? 1 : 0));
  return true;
}

static std::string_view TrimmedToken(od::value value) {
  std::string_view token = value.raw_json_token();
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
  return token;
}

// A member the profile ignores (thread.create ctx by default) still compares when it points into
// a known block: its allocation identity is the same in both engines, its address is not.
bool EventDecoder::HashPointerMember(od::value member, PayloadFacts& facts, uint64_t& hash) {
  std::string_view token = TrimmedToken(member);
  bool is_string = !token.empty() && token.front() == '"';
  uint64_t address = 0;
  if (is_string && (token.size() < 4 || token[1] != '0' || (token[2] != 'x' && token[2] != 'X')))
    return false;
  return ParseAddress(token, address) && MapAddress(&facts, address, hash);
}

uint64_t EventDecoder::HashPayload(od::value payload, std::string_view kind, PayloadFacts& facts) {
  const PathNode* rules = filter_.PayloadRules(kind);
  if (payload.is_null()) return 0;  // a null payload is an absent one (absent hashes as 0)
  if (payload.type() != od::json_type::object) return HashJsonValue(payload, rules, 1);
  facts.pointer_members =
      (facts.candidates || (facts.pointers && !facts.pointers->empty())) &&
      (facts.cls == EventClass::kKernelCall || facts.cls == EventClass::kThreadCreate);
  uint64_t sum = 0;
  for (auto field : payload.get_object()) {
    std::string_view key = KeyText(field);
    const PathNode* child = rules ? rules->Child(key) : nullptr;
    od::value member = field.value();
    if (child && child->ignored) {
      if (key == "child_tid" && kind == "thread.create" && member.type() == od::json_type::number) {
        facts.has_child_tid = member.get_uint64().get(facts.child_tid) == simdjson::SUCCESS;
        if (!facts.has_child_tid) ValidateJsonValueFast(member, 2);
      } else if (uint64_t pointer = 0;
                 PointerWalk(facts, key) && HashPointerMember(member, facts, pointer)) {
        // Compared after all: as written in the raw hash, as its allocation in the canonical.
        uint64_t raw = MemberHash(key, HashJsonValue(member, nullptr, 2));
        sum += raw;
        facts.pointer_delta += MemberHash(key, pointer) - raw;
      } else {
        ValidateJsonValueFast(member, 2);  // not compared, but validated like the rest
      }
      continue;
    }
    if (member.is_null()) continue;
    uint64_t h;
    if (key == "name" && member.type() == od::json_type::string) {
      std::string_view name = StringText(member);
      uint64_t bytes_hash = HashBytes(name);
      h = StringValueHashOfBytes(bytes_hash);
      facts.has_name = true;
      const NameInfo& info = Intern(name, bytes_hash, *facts.batch);
      facts.alloc_index = info.alloc_index;
      facts.name_id = static_cast<uint32_t>(&info - names_.data());
    } else if (StringTap tap = facts.tapped ? TapFor(facts, key) : nullptr;
               tap || (facts.alloc_index >= 0 && SizeCapture(facts, key)) ||
               PointerWalk(facts, key)) {
      WalkHooks hooks;
      hooks.tap = tap;
      hooks.tap_context = &facts;
      hooks.capture = facts.alloc_index >= 0 ? SizeCapture(facts, key) : nullptr;
      if (PointerWalk(facts, key)) {
        hooks.address_map = &EventDecoder::MapAddress;
        hooks.map_context = &facts;
        if (facts.pointers) {
          hooks.address_low = facts.pointers->lowest();
          hooks.address_high = facts.pointers->highest_end();
        }
      }
      DualHash dual = HashJsonValueHooked(member, child, 2, hooks);
      h = dual.raw;
      if (dual.hit) facts.pointer_delta += MemberHash(key, dual.canon) - MemberHash(key, dual.raw);
    } else if (key == "child_tid" && kind == "thread.create") {
      facts.has_child_tid = member.get_uint64().get(facts.child_tid) == simdjson::SUCCESS;
      h = facts.has_child_tid ? UnsignedIntegerHash(facts.child_tid)
                              : HashJsonValue(member, child, 2);
    } else {
      if (NumberFactOf(facts.cls, key)) PeekNumber(member, facts.event_facts);
      // Only an allocator's return is recorded (its name usually comes first).
      if (pointers_ && facts.cls == EventClass::kKernelReturn && key == "return_value" &&
          (facts.alloc_index >= 0 || !facts.has_name)) {
        facts.has_return_address = ParseAddress(TrimmedToken(member), facts.return_address);
      }
      h = HashJsonValue(member, child, 2);
    }
    uint64_t contribution = MemberHash(key, h);
    if (key == "return_value") facts.return_value_hash = contribution;
    if (key == "status") facts.status_hash = contribution;
    sum += contribution;
  }
  if (kind == "kernel.call" && facts.alloc_index >= 0 && pointers_) {
    facts.call_alloc_index = facts.alloc_index;
  }
  if (kind == "kernel.return" && facts.alloc_index >= 0) {
    // Canonicalization is applied to the hash directly: the address-bearing members are
    // swapped for the sentinel's, which the decoder fills in once the ordinal is known.
    sum -= facts.return_value_hash + facts.status_hash;
  } else {
    facts.alloc_index = -1;
  }
  return sum;
}

// The non-negative integer (or hex string) at payload.<path>, 0 when absent or not one. Rewinds
// the document: called after everything else was taken from it.
static uint64_t ReadPayloadInteger(od::document& doc, const std::vector<std::string>& path) {
  doc.rewind();
  for (auto field : doc.get_object()) {
    if (field.unescaped_key().value() != "payload") continue;
    od::value v = field.value();
    for (const std::string& key : path) {
      od::object obj;
      if (v.get_object().get(obj)) return 0;
      bool found = false;
      for (auto member : obj) {
        if (member.unescaped_key().value() == key) {
          v = member.value();
          found = true;
          break;
        }
      }
      if (!found) return 0;
    }
    uint64_t n = 0;
    return ParseAddress(TrimmedToken(v), n) ? n : 0;
  }
  return 0;
}

void EventDecoder::Decode(const Line& line, EventBatch& batch) {
  Prepared prepared;
  ParseLine(line, batch, prepared, nullptr);
  ApplyState(batch.events.back(), prepared);
}

void EventDecoder::Prepare(const Line& line, PreparedBatch& out) {
  if (out.batch->events.empty() && out.batch->new_names.empty()) out.first_new_name = name_count();
  Prepared p;
  p.candidates_begin = static_cast<uint32_t>(out.candidates.size());
  ParseLine(line, *out.batch, p, pointers_ ? &out.candidates : nullptr);
  p.candidates_end = static_cast<uint32_t>(out.candidates.size());
  out.prepared.push_back(p);
  out.lines.push_back(line);
}

void EventDecoder::Complete(PreparedBatch& in) {
  EventBatch& batch = *in.batch;
  // The names the other decoder met first here get our ids (ours may know them already).
  EventBatch names;
  for (size_t i = 0; i < batch.new_names.size(); ++i) {
    const std::string& name = batch.new_names[i];
    if (foreign_ids_.size() != in.first_new_name + i)
      throw std::logic_error("name ids out of step");
    foreign_ids_.push_back(
        static_cast<uint32_t>(&Intern(name, HashBytes(name), names) - names_.data()));
  }
  batch.new_names = std::move(names.new_names);
  EventBatch scratch;
  for (size_t i = 0; i < batch.events.size(); ++i) {
    DecodedEvent& e = batch.events[i];
    e.name_id = foreign_ids_[e.name_id];
    const Prepared& p = in.prepared[i];
    const uint64_t* candidates = in.candidates.data();
    if (PointsIntoBlock(e, candidates + p.candidates_begin, candidates + p.candidates_end)) {
      // Hashed as if it pointed nowhere: hash it again with the blocks known by now.
      scratch.Clear();
      Prepared again;
      ParseLine(in.lines[i], scratch, again, nullptr);
      e.fingerprint = scratch.events.back().fingerprint;
      e.raw_fingerprint = scratch.events.back().raw_fingerprint;
    }
    ApplyState(e, p);
  }
}

// Whether a pointer lookup of the parse would have found a block for one of these values.
bool EventDecoder::PointsIntoBlock(const DecodedEvent& e, const uint64_t* begin,
                                   const uint64_t* end) const {
  if (begin == end) return false;
  const AllocationMap* map = nullptr;
  if (pointer_scope_ == Profile::PointerScope::kEngine) {
    map = &engine_allocations_;
  } else if (auto it = threads_.find(e.tid); it != threads_.end() && it->second.allocating) {
    map = &it->second.allocating->allocations;
  }
  if (!map || map->empty()) return false;
  for (const uint64_t* a = begin; a != end; ++a) {
    // A superset of what the walk would look up: a false hit only costs a second parse.
    if (*a >= map->lowest() && *a <= map->highest_end() && map->Find(*a, e.tid)) return true;
  }
  return false;
}

// Everything of a line that needs no state from the lines before it but the names: the parse,
// the checks, the hashes, the facts. With `candidates`, pointers are not looked up (the blocks
// are not known yet): every value the lookup would have been asked about is collected.
void EventDecoder::ParseLine(const Line& line, EventBatch& batch, Prepared& out,
                             std::vector<uint64_t>* candidates) {
  DecodedEvent e;
  e.line = line.number;
  e.offset = line.offset;
  bool has_tid = false, has_idx = false, payload_seen_early = false;
  std::string_view kind;
  bool has_kind = false, has_payload = false;
  uint64_t others = 0, payload_hash = 0;
  PayloadFacts facts;
  facts.batch = &batch;
  facts.decoder = this;
  facts.candidates = candidates;
  batch.BeginFacts(facts.event_facts);
  auto find_pointers = [&] {
    if (!pointers_ || candidates) return;
    facts.tid = e.tid;
    if (pointer_scope_ == Profile::PointerScope::kEngine) {
      facts.pointers = &engine_allocations_;
    } else if (auto it = threads_.find(e.tid); it != threads_.end()) {
      if (it->second.allocating) facts.pointers = &it->second.allocating->allocations;
    }
  };
  uint64_t alloc_size = 0;
  try {
    od::document doc = Iterate(parser_, line);
    od::object obj;
    if (doc.get_object().get(obj)) Fail(line, "expected a JSON object (one event per line)");
    for (auto field : obj) {
      std::string_view key = KeyText(field);
      if (key == "host_ns") PeekHostNs(field.value(), e.host_ns);
      if (key == "tid") {
        if (has_tid) Fail(line, "duplicate key 'tid'");
        e.tid = ReadIndex(field.value(), "tid", this);
        has_tid = true;
      } else if (key == "tid_event_idx") {
        if (has_idx) Fail(line, "duplicate key 'tid_event_idx'");
        e.idx = ReadIndex(field.value(), "tid_event_idx", this);
        has_idx = true;
      } else if (key == "kind") {
        if (has_kind) Fail(line, "duplicate key 'kind'");
        od::value v = field.value();
        od::json_type type;
        if (v.type().get(type) || type != od::json_type::string)
          Fail(line, "'kind' must be a string");
        kind = StringText(v);
        has_kind = true;
        facts.cls = EventClassOf(kind);
        facts.tapped =
            facts.cls == EventClass::kKernelCall || facts.cls == EventClass::kWaitBegin ||
            facts.cls == EventClass::kHandleCreate || facts.cls == EventClass::kHandleDestroy;
      } else if (key == "payload") {
        if (has_payload) Fail(line, "duplicate key 'payload'");
        has_payload = true;
        // Its ignore rules depend on kind, its pointers on the thread: hash it after a rewind.
        if (!has_kind || (pointers_ && !has_tid)) {
          payload_seen_early = true;
          continue;
        }
        find_pointers();
        payload_hash = HashPayload(field.value(), kind, facts);
      } else if (filter_.IgnoresTopLevel(key)) {
        ValidateJsonValueFast(field.value(), 1);  // not compared, but validated like the rest
      } else {
        od::value v = field.value();
        if (!v.is_null()) others += MemberHash(key, HashJsonValue(v, nullptr, 1));
      }
    }
    if (HasTrailingContent(doc)) Fail(line, "trailing content after the event object");
    if (!has_tid) Fail(line, "missing 'tid'");
    if (!has_idx) Fail(line, "missing 'tid_event_idx'");
    if (!has_kind) Fail(line, "missing 'kind'");
    std::string kind_copy;
    if (payload_seen_early) {
      kind_copy.assign(kind);  // the rewind invalidates the view
      doc.rewind();
      find_pointers();
      // By unescaped key, as the first pass matched it (find_field compares the raw key and
      // misses "p\u0061yload").
      for (auto field : doc.get_object()) {
        if (field.unescaped_key().value() != "payload") continue;
        payload_hash = HashPayload(field.value(), kind_copy, facts);
        break;
      }
      kind = kind_copy;
    }
    uint64_t kind_hash = HashBytes(kind);
    e.fingerprint = MixHash(MixHash(kind_hash, payload_hash + facts.pointer_delta), others);
    e.raw_fingerprint =
        facts.pointer_delta ? MixHash(MixHash(kind_hash, payload_hash), others) : e.fingerprint;
    e.event_class = facts.cls;
    e.name_id = facts.name_id;
    if (!WantsFacts(e.event_class, e.name_id)) {
      batch.DropFacts(facts.event_facts);  // e.g. a call's args, tapped before its name
    } else {
      if (facts.facts_missed) {
        batch.DropFacts(facts.event_facts);
        ExtractFacts(doc, e.event_class, batch, facts.event_facts);
      }
      facts.event_facts.event = static_cast<uint32_t>(batch.events.size());
      batch.facts.push_back(facts.event_facts);
    }
    if (facts.call_alloc_index >= 0) {
      const auto& path = size_paths_[static_cast<size_t>(facts.call_alloc_index)];
      if (facts.size.found) {
        alloc_size = facts.size.value;
      } else if (!path.empty()) {
        alloc_size = ReadPayloadInteger(doc, path);
      }
    }
  } catch (const InputError& err) {
    if (err.file().empty()) Fail(line, err.what_only());
    throw;
  } catch (const simdjson::simdjson_error& err) {
    Fail(line, std::string("invalid JSON: ") + err.what());
  }

  e.has_child_tid = facts.has_child_tid;
  e.child_tid = facts.child_tid;
  e.raw_offset = static_cast<uint32_t>(batch.text.size());
  e.raw_size = static_cast<uint32_t>(line.text.size());
  if (keep_text_) batch.text.append(line.text);
  batch.events.push_back(e);
  out.alloc_index = facts.alloc_index;
  out.call_alloc_index = facts.call_alloc_index;
  out.alloc_size = alloc_size;
  out.has_name = facts.has_name;
  out.has_return_address = facts.has_return_address;
  out.return_address = facts.return_address;
}

// The per-thread state a line changes and is checked against, in file order: index order,
// allocator ordinals and the blocks they hand out, masks, the first call.
void EventDecoder::ApplyState(DecodedEvent& e, const Prepared& p) {
  auto [it, inserted] = threads_.try_emplace(e.tid);
  ThreadState& thread = it.value();
  if (!inserted && e.idx <= thread.last_idx) {
    throw InputError(file_, e.line,
                     fmt::format("tid_event_idx {} of tid {} does not increase (previous was {})",
                                 e.idx, e.tid, thread.last_idx));
  }
  thread.last_idx = e.idx;
  if (p.alloc_index >= 0) {
    std::vector<int64_t>& counters = thread.Alloc().alloc_counters;
    counters.resize(allocators_.size(), 0);
    e.alloc_ordinal = AllocatorOrdinals::Next(counters, p.alloc_index);
    // Stands for <ALLOC_NAME_ORDINAL> without formatting it on the hot path.
    uint64_t sentinel =
        MixHash(names_[e.name_id].bytes_hash, static_cast<uint64_t>(e.alloc_ordinal));
    e.fingerprint = MixHash(e.fingerprint, sentinel);
    e.raw_fingerprint = MixHash(e.raw_fingerprint, sentinel);
  }
  if (p.call_alloc_index >= 0) {
    std::vector<uint64_t>& sizes = thread.Alloc().pending_sizes;
    sizes.resize(allocators_.size(), 0);
    sizes[static_cast<size_t>(p.call_alloc_index)] = p.alloc_size;
  }
  if (e.alloc_ordinal >= 0 && p.has_return_address && p.return_address != 0) {
    TrackAllocation(thread, e, p);
  }
  e.masked = !mask_.empty() && Masked(thread, e, p.has_name);
  if (e.event_class == EventClass::kKernelCall && p.has_name && !thread.seen_call && !e.masked) {
    thread.seen_call = true;
    e.first_call_of_thread = true;
  }
}

// The block an allocator's return hands out, with the size its call asked for (0: unknown).
void EventDecoder::TrackAllocation(ThreadState& thread, const DecodedEvent& e,
                                   const Prepared& facts) {
  uint64_t size = 0;
  auto index = static_cast<size_t>(facts.alloc_index);
  Allocating& allocating = thread.Alloc();
  if (index < allocating.pending_sizes.size()) {
    size = allocating.pending_sizes[index];
    allocating.pending_sizes[index] = 0;
  }
  AllocationMap& map = pointer_scope_ == Profile::PointerScope::kEngine ? engine_allocations_
                                                                        : allocating.allocations;
  map.Record(facts.return_address, size, facts.alloc_index, e.alloc_ordinal, e.tid, e.line);
}

std::shared_ptr<const SidePointers> EventDecoder::TakePointers() {
  if (!pointers_) return nullptr;
  std::vector<std::string> names;
  for (size_t i = 0; i < allocators_.size(); ++i)
    names.push_back(allocators_.name(static_cast<int>(i)));
  auto pointers = std::make_shared<SidePointers>(pointer_scope_ == Profile::PointerScope::kEngine,
                                                 std::move(names));
  pointers->EngineMap() = std::move(engine_allocations_);
  for (auto it = threads_.begin(); it != threads_.end(); ++it)
    if (it->second.allocating && !it->second.allocating->allocations.empty())
      pointers->ThreadMap(it->first) = std::move(it.value().allocating->allocations);
  return pointers;
}

// A masked call, its return, and the waits it began (CallMaskState).
bool EventDecoder::Masked(ThreadState& thread, const DecodedEvent& e, bool has_name) {
  bool name_masked = e.name_id != 0 && names_[e.name_id].masked;
  return thread.mask.Masked(e.event_class, has_name, name_masked);
}

}  // namespace de
