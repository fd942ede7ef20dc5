#include "diff_events/align/difference_description.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <unordered_map>
#include <utility>
#include <vector>

#include "diff_events/canon/allocator_ordinals.h"
#include "diff_events/canon/field_filter.h"
#include "diff_events/canon/pointer_identity.h"
#include "diff_events/decode/json_hash.h"

namespace de {
namespace {

namespace od = simdjson::ondemand;

// A value as the walker handed it over: canonical (what is compared) and as written (what is
// shown).
struct Node {
  enum class Type : uint8_t { kNull, kBool, kString, kNumber, kObject, kArray };
  Type type = Type::kNull;
  std::string text;   // scalars: canonical text (a string's unescaped value)
  std::string token;  // numbers: the literal as written
  // A scalar passed where pointers compare by allocation identity that stood for a block: the
  // sentinel it was hashed as ("<ALLOC_RtlAllocateHeap_3>+0x10"); empty otherwise.
  std::string sentinel;
  std::vector<std::pair<std::string, Node>> members;  // objects, in line order
  std::vector<Node> elements;                         // arrays
};

struct DescribeSink {
  using Value = Node;
  using Object = Node;
  using Array = Node;
  static Node Scalar(Node::Type type, std::string text) {
    Node n;
    n.type = type;
    n.text = std::move(text);
    return n;
  }
  Value Null() { return Scalar(Node::Type::kNull, "null"); }
  Value Bool(bool b) { return Scalar(Node::Type::kBool, b ? "true" : "false"); }
  Value String(std::string_view s) { return Scalar(Node::Type::kString, std::string(s)); }
  Value Number(const CanonicalNumber& n, std::string_view token) {
    Node node = Scalar(Node::Type::kNumber, CanonicalNumberText(n));
    node.token = std::string(token);
    return node;
  }
  Object BeginObject() { return Scalar(Node::Type::kObject, ""); }
  void Member(Object& o, std::string_view key, Value v) {
    o.members.emplace_back(std::string(key), std::move(v));
  }
  Value EndObject(Object& o) { return std::move(o); }
  Array BeginArray() { return Scalar(Node::Type::kArray, ""); }
  void Element(Array& a, Value v) { a.elements.push_back(std::move(v)); }
  Value EndArray(Array& a) { return std::move(a); }
};

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  out += '"';
}

// Compact JSON as written (numbers keep their literal), for the summary.
void AppendShown(std::string& out, const Node& n) {
  switch (n.type) {
    case Node::Type::kString:
      AppendJsonString(out, n.text);
      return;
    case Node::Type::kNumber:
      out += n.token;
      return;
    case Node::Type::kObject: {
      out += '{';
      for (size_t i = 0; i < n.members.size(); ++i) {
        if (i) out += ',';
        AppendJsonString(out, n.members[i].first);
        out += ':';
        AppendShown(out, n.members[i].second);
      }
      out += '}';
      return;
    }
    case Node::Type::kArray:
      out += '[';
      for (size_t i = 0; i < n.elements.size(); ++i) {
        if (i) out += ',';
        AppendShown(out, n.elements[i]);
      }
      out += ']';
      return;
    default:
      out += n.text;
  }
}

// A value as the one-line summary shows it; huge values are cut (the raw events show them whole).
// A pointer shows the block it stood for beside it: "'0x40001010'
// (<ALLOC_RtlAllocateHeap_3>+0x10)".
std::string Show(const Node* n) {
  constexpr size_t kMaxShown = 120;
  if (!n) return "<absent>";
  std::string text;
  if (n->type == Node::Type::kString) {
    text = "'" + n->text + "'";
  } else {
    AppendShown(text, *n);
  }
  if (text.size() > kMaxShown)
    text = fmt::format("{}… ({} bytes)", Utf8Prefix(text, kMaxShown), text.size());
  if (!n->sentinel.empty()) text += " (" + n->sentinel + ")";
  return text;
}

// Text equal for two values exactly when they are equal (key order aside): for repeated keys,
// which the hash counts as a multiset of members.
std::string CanonicalText(const Node& n) {
  std::string out;
  switch (n.type) {
    case Node::Type::kString:
      AppendJsonString(out, n.text);
      return out;
    case Node::Type::kObject: {
      std::vector<std::string> members;
      for (const auto& [key, value] : n.members) {
        std::string m;
        AppendJsonString(m, key);
        members.push_back(m + ":" + CanonicalText(value));
      }
      std::sort(members.begin(), members.end());
      return "{" + fmt::format("{}", fmt::join(members, ",")) + "}";
    }
    case Node::Type::kArray: {
      out = "[";
      for (size_t i = 0; i < n.elements.size(); ++i) {
        if (i) out += ',';
        out += CanonicalText(n.elements[i]);
      }
      return out + "]";
    }
    default:
      return n.text;
  }
}

std::string JoinPath(const std::string& path, std::string_view key) {
  std::string out = path;
  if (!out.empty()) out += '.';
  for (char c : key) {
    if (c == '.' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

bool Report(const std::string& path, const std::string& canary, const std::string& ours,
            EventDifference& out) {
  out.field = path;
  out.summary = fmt::format("{}: canary={} ours={}", path, canary, ours);
  return true;
}

// How scalars compare. kCanonical: a pointer by the block it stood for, as the canonical hash
// does. kSkipAddresses: two scalars that both read as addresses count as equal (when the blocks
// are not known, so a raw address is not named before the real difference).
enum class Compare { kAsWritten, kSkipAddresses, kCanonical };

bool FirstDifference(const Node& c, const Node& o, const std::string& path, EventDifference& out,
                     Compare mode);

using KeyIndex = std::unordered_map<std::string_view, std::vector<const Node*>>;

KeyIndex IndexMembers(const Node& n) {
  KeyIndex index;
  index.reserve(n.members.size());
  for (const auto& [key, value] : n.members) index[key].push_back(&value);
  return index;
}

std::string ShowAll(const std::vector<const Node*>& values) {
  std::vector<std::string> shown;
  for (const Node* v : values) shown.push_back(Show(v));
  return fmt::format("{}", fmt::join(shown, " and "));
}

std::vector<std::string> SortedCanonical(const std::vector<const Node*>& values) {
  std::vector<std::string> texts;
  for (const Node* v : values) texts.push_back(CanonicalText(*v));
  std::sort(texts.begin(), texts.end());
  return texts;
}

// Canary's key order first, then keys only ours has; each key once (linear in the keys).
bool ObjectDifference(const Node& c, const Node& o, const std::string& path, EventDifference& out,
                      Compare mode) {
  KeyIndex ci = IndexMembers(c), oi = IndexMembers(o);
  for (const auto& [key, value] : c.members) {
    const std::vector<const Node*>& cs = ci[key];
    if (cs.front() != &value) continue;  // a repeated key, already compared
    std::string sub = JoinPath(path, key);
    auto it = oi.find(key);
    if (it == oi.end()) return Report(sub, ShowAll(cs), "<absent>", out);
    const std::vector<const Node*>& os = it->second;
    if (cs.size() == 1 && os.size() == 1) {
      if (FirstDifference(value, *os.front(), sub, out, mode)) return true;
    } else if (SortedCanonical(cs) != SortedCanonical(os)) {
      return Report(sub, ShowAll(cs), ShowAll(os), out);
    }
  }
  for (const auto& [key, value] : o.members) {
    const std::vector<const Node*>& os = oi[key];
    if (os.front() != &value || ci.count(key)) continue;
    return Report(JoinPath(path, key), "<absent>", ShowAll(os), out);
  }
  return false;
}

bool ArrayDifference(const Node& c, const Node& o, const std::string& path, EventDifference& out,
                     Compare mode) {
  size_t common = std::min(c.elements.size(), o.elements.size());
  for (size_t i = 0; i < common; ++i) {
    if (FirstDifference(c.elements[i], o.elements[i], fmt::format("{}[{}]", path, i), out, mode))
      return true;
  }
  if (c.elements.size() == o.elements.size()) return false;
  std::string sub = fmt::format("{}[{}]", path, common);
  if (c.elements.size() > common) return Report(sub, Show(&c.elements[common]), "<absent>", out);
  return Report(sub, "<absent>", Show(&o.elements[common]), out);
}

bool ReadsAsAddress(const Node& n) {
  uint64_t address = 0;
  bool hex = n.text.size() > 2 && n.text[0] == '0' && (n.text[1] == 'x' || n.text[1] == 'X');
  return (n.type == Node::Type::kNumber || (n.type == Node::Type::kString && hex)) &&
         ParseAddress(n.text, address);
}

bool FirstDifference(const Node& c, const Node& o, const std::string& path, EventDifference& out,
                     Compare mode) {
  if (c.type == o.type && c.type == Node::Type::kObject)
    return ObjectDifference(c, o, path, out, mode);
  if (c.type == o.type && c.type == Node::Type::kArray)
    return ArrayDifference(c, o, path, out, mode);
  if (mode == Compare::kCanonical && (!c.sentinel.empty() || !o.sentinel.empty())) {
    if (c.sentinel == o.sentinel) return false;
  } else if (c.type == o.type && c.text == o.text) {
    return false;
  }
  if (mode == Compare::kSkipAddresses && ReadsAsAddress(c) && ReadsAsAddress(o)) return false;
  return Report(path, Show(&c), Show(&o), out);
}

// An allocator return is compared by its ordinal: return_value and status give way to one
// sentinel (the decoder takes both out of the hash and mixes the sentinel in).
void CanonicalizeAllocatorReturn(Node& payload, int64_t ordinal) {
  std::string name;
  for (const auto& [key, value] : payload.members) {
    if (key == "name" && value.type == Node::Type::kString) name = value.text;
  }
  Node sentinel = DescribeSink::Scalar(Node::Type::kString, AllocatorSentinel(name, ordinal));
  std::vector<std::pair<std::string, Node>> members;
  bool placed = false;
  for (auto& member : payload.members) {
    if (member.first != "return_value" && member.first != "status") {
      members.push_back(std::move(member));
    } else if (!placed) {
      members.emplace_back("return_value", sentinel);
      placed = true;
    }
  }
  if (!placed) members.emplace_back("return_value", sentinel);
  payload.members = std::move(members);
}

// One event as it is compared: kind, the canonical payload and the compared top-level fields.
struct CanonicalEvent {
  bool ok = false;
  std::string kind;
  Node top;
};

// Where one side's pointers are looked up: its blocks, and the thread and line of the event.
struct PointerScope {
  const SidePointers* blocks = nullptr;
  uint64_t tid = 0;
  uint64_t line = 0;
  bool* forgotten = nullptr;  // set when a block the event saw is no longer known
};

// The address a scalar is looked up as, with the decoder's rules: a non-negative integer below
// 10^18, or a hex string of at most 16 digits.
bool LookedUpAddress(const Node& n, uint64_t& address) {
  bool digits = !n.text.empty() && std::all_of(n.text.begin(), n.text.end(),
                                               [](char ch) { return ch >= '0' && ch <= '9'; });
  if (n.type == Node::Type::kNumber) return digits && ParseAddress(n.text, address);
  bool hex = n.text.size() > 2 && n.text[0] == '0' && (n.text[1] == 'x' || n.text[1] == 'X');
  return n.type == Node::Type::kString && hex && ParseAddress(n.text, address);
}

// Gives every scalar under `n` that stood for a block its sentinel.
void MarkPointers(Node& n, const PointerScope& scope) {
  for (auto& member : n.members) MarkPointers(member.second, scope);
  for (Node& element : n.elements) MarkPointers(element, scope);
  uint64_t address = 0;
  if (!LookedUpAddress(n, address)) return;
  if (auto sentinel = scope.blocks->SentinelAt(scope.tid, scope.line, address, *scope.forgotten))
    n.sentinel = *sentinel;
}

// A thread.create's ctx that the profile ignores still compares when it points into a block (the
// decoder's HashPointerMember): read it back from the line.
void AddIgnoredContext(od::document& doc, Node& payload, const PointerScope& scope) {
  doc.rewind();
  for (auto field : doc.get_object()) {
    if (field.unescaped_key().value() != "payload") continue;
    od::object object;
    if (field.value().get_object().get(object)) return;
    for (auto member : object) {
      if (member.unescaped_key().value() != "ctx") continue;
      DescribeSink sink;
      Node ctx = JsonWalker<DescribeSink>(sink).Walk(member.value(), nullptr, 2);
      MarkPointers(ctx, scope);
      if (!ctx.sentinel.empty()) payload.members.emplace_back("ctx", std::move(ctx));
      return;
    }
  }
}

// The members the decoder looks pointers up in: a call's arguments, a thread's ctx.
void MarkEventPointers(od::document& doc, CanonicalEvent& e, const FieldFilter& filter,
                       const PointerScope& scope) {
  if (e.kind != "kernel.call" && e.kind != "thread.create") return;
  std::string_view key = e.kind == "kernel.call" ? "args_resolved" : "ctx";
  Node* payload = nullptr;
  for (auto& [name, value] : e.top.members) {
    if (name == "payload" && value.type == Node::Type::kObject) payload = &value;
  }
  bool added = !payload;
  if (added) {  // an empty payload was left out; a ctx it ignored may still count
    Node empty;
    empty.type = Node::Type::kObject;
    e.top.members.emplace_back("payload", std::move(empty));
    payload = &e.top.members.back().second;
  }
  bool present = false;
  for (auto& [name, value] : payload->members) {
    if (name != key) continue;
    MarkPointers(value, scope);
    present = true;
  }
  const PathNode* rules = filter.PayloadRules(e.kind);
  const PathNode* ctx_rule = rules ? rules->Child("ctx") : nullptr;
  if (!present && e.kind == "thread.create" && ctx_rule && ctx_rule->ignored)
    AddIgnoredContext(doc, *payload, scope);
  if (added && payload->members.empty()) e.top.members.pop_back();  // still {}: absent
}

CanonicalEvent Canonicalize(const EventRef& ref, const FieldFilter& filter,
                            const PointerScope& pointers) {
  CanonicalEvent e;
  e.top.type = Node::Type::kObject;
  try {
    simdjson::padded_string padded(ref.raw);
    od::parser parser;
    od::document doc = parser.iterate(padded);
    for (auto field : doc.get_object()) {
      if (field.unescaped_key().value() == "kind") {
        e.kind = std::string(std::string_view(field.value().get_string()));
        break;
      }
    }
    doc.rewind();
    DescribeSink sink;
    JsonWalker<DescribeSink> walker(sink);
    for (auto field : doc.get_object()) {
      std::string key(std::string_view(field.unescaped_key()));
      od::value value = field.value();
      // tid and tid_event_idx pair and order events; they are never compared as values.
      if (key == "tid" || key == "tid_event_idx" || key == "kind") continue;
      if (key == "payload") {
        if (value.is_null()) continue;
        Node payload = walker.Walk(value, filter.PayloadRules(e.kind), 1);
        bool is_object = payload.type == Node::Type::kObject;
        if (is_object && ref.alloc_ordinal >= 0 && e.kind == "kernel.return")
          CanonicalizeAllocatorReturn(payload, ref.alloc_ordinal);
        if (is_object && payload.members.empty()) continue;  // {} hashes as absent
        e.top.members.emplace_back(key, std::move(payload));
      } else if (!filter.IgnoresTopLevel(key) && !value.is_null()) {
        e.top.members.emplace_back(key, walker.Walk(value, nullptr, 1));
      }
    }
    if (pointers.blocks) MarkEventPointers(doc, e, filter, pointers);
    e.ok = true;
  } catch (const simdjson::simdjson_error&) {
    e.ok = false;
  }
  return e;
}

std::string LastIdx(const std::optional<uint64_t>& idx) {
  return idx ? std::to_string(*idx) : "<none>";
}

}  // namespace

std::string_view Utf8Prefix(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

EventDifference DescribeDifference(const EventRef& canary, const EventRef& ours,
                                   const Profile& profile, const PointerSides& sides) {
  EventDifference d;
  // Masked streams are compared by position: their tid_event_idx may differ.
  if (canary.idx != ours.idx && profile.mask.empty()) {
    d.field = "tid_event_idx";
    d.summary = fmt::format("tid_event_idx: canary={} ours={}", canary.idx, ours.idx);
    return d;
  }
  FieldFilter filter(profile);
  bool pointers = profile.canonicalize_pointers && profile.canonicalize_allocators;
  bool blocks_known = pointers && sides.canary && sides.ours;
  PointerScope canary_scope, ours_scope;
  bool forgotten = false;
  if (blocks_known) {
    canary_scope = PointerScope{sides.canary, sides.canary_tid, canary.line, &forgotten};
    ours_scope = PointerScope{sides.ours, sides.ours_tid, ours.line, &forgotten};
  }
  CanonicalEvent c = Canonicalize(canary, filter, canary_scope);
  CanonicalEvent o = Canonicalize(ours, filter, ours_scope);
  if (forgotten) {  // described as if the blocks were not known
    blocks_known = false;
    c = Canonicalize(canary, filter, PointerScope{});
    o = Canonicalize(ours, filter, PointerScope{});
  }
  if (!c.ok || !o.ok) {
    d.summary = "the events differ (their lines could not be read back)";
    return d;
  }
  if (c.kind != o.kind) {
    Node ck = DescribeSink::Scalar(Node::Type::kString, c.kind);
    Node ok = DescribeSink::Scalar(Node::Type::kString, o.kind);
    Report("kind", Show(&ck), Show(&ok), d);
    return d;
  }
  // Pointers first as the canonical hash saw them, so a field that differs only as a raw
  // address is not named; without the blocks, any two addresses are passed over first.
  if (blocks_known && FirstDifference(c.top, o.top, "", d, Compare::kCanonical)) return d;
  if (pointers && FirstDifference(c.top, o.top, "", d, Compare::kSkipAddresses)) return d;
  if (!FirstDifference(c.top, o.top, "", d, Compare::kAsWritten))
    d.summary = "the events are equal under the profile";
  return d;
}

namespace {

// A value as an event line shows it: strings without quotes, anything long cut.
std::string ShortValue(od::value v) {
  std::string text;
  if (v.type() == od::json_type::string) {
    text = std::string(std::string_view(v.get_string()));
  } else if (v.type() == od::json_type::array || v.type() == od::json_type::object) {
    return "…";
  } else {
    std::string_view raw = v.raw_json_token();
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t')) raw.remove_suffix(1);
    text = std::string(raw);
  }
  constexpr size_t kMax = 40;
  if (text.size() > kMax) {
    size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "…";
  }
  return text;
}

// The few payload fields that tell one call from another: its arguments, what it returned,
// the handles it names.
void AppendKeyFields(od::object payload, std::string& name, std::string& fields) {
  constexpr int kMaxArgs = 4;
  int args = 0;
  auto add = [&](std::string_view key, std::string value) {
    fields += " " + std::string(key) + "=" + value;
  };
  for (auto member : payload) {
    std::string_view key = member.unescaped_key();
    od::value v = member.value();
    if (key == "name" && v.type() == od::json_type::string) {
      name = std::string(std::string_view(v.get_string()));
    } else if (key == "args_resolved" && v.type() == od::json_type::object) {
      for (auto arg : v.get_object()) {
        std::string_view arg_key = arg.unescaped_key();
        if (args++ < kMaxArgs) add(arg_key, ShortValue(arg.value()));
      }
    } else if (key == "handles" && v.type() == od::json_type::array) {
      std::string list;
      for (auto h : v.get_array()) list += (list.empty() ? "" : ",") + ShortValue(h.value());
      add(key, "[" + list + "]");
    } else if (key == "return_value" || key == "handle_semantic_id" || key == "object_type" ||
               key == "entry" || key == "exit_code") {
      add(key, ShortValue(v));
    }
  }
}

}  // namespace

std::string EventSummary(const EventRef& event) {
  std::string kind = "?", name, fields;
  try {
    simdjson::padded_string padded(event.raw);
    od::parser parser;
    od::document doc = parser.iterate(padded);
    for (auto field : doc.get_object()) {
      std::string_view key = field.unescaped_key();
      od::value value = field.value();
      if (key == "kind" && value.type() == od::json_type::string) {
        kind = std::string(std::string_view(value.get_string()));
      } else if (key == "payload" && value.type() == od::json_type::object) {
        AppendKeyFields(value.get_object(), name, fields);
      }
    }
  } catch (const simdjson::simdjson_error&) {
  }
  std::string text = fmt::format("[{}] {}", event.idx, kind);
  if (!name.empty()) text += " " + name;
  return text + fields;
}

void Summarize(EventRef& event) {
  if (event.summary.empty()) event.summary = EventSummary(event);
}

void DescribeDivergence(PairResult& pair, const Profile& profile, const SidePointers* canary,
                        const SidePointers* ours) {
  Divergence& d = *pair.divergence;
  switch (d.kind) {
    case DivergenceKind::kEventsDiffer: {
      PointerSides sides{canary, pair.canary_tid, ours, pair.ours_tid};
      EventDifference diff = DescribeDifference(*d.canary, *d.ours, profile, sides);
      d.field = std::move(diff.field);
      d.summary = std::move(diff.summary);
      break;
    }
    case DivergenceKind::kOursEnds:
      d.summary =
          pair.ours_total == 0
              ? fmt::format("ours has no events; canary begins with {}", EventSummary(*d.canary))
              : fmt::format("ours ends after idx {}; canary continues with {}",
                            LastIdx(pair.ours_last_idx), EventSummary(*d.canary));
      break;
    case DivergenceKind::kCanaryEnds:
      d.summary =
          pair.canary_total == 0
              ? fmt::format("canary has no events; ours begins with {}", EventSummary(*d.ours))
              : fmt::format("canary ends after idx {}; ours continues with {}",
                            LastIdx(pair.canary_last_idx), EventSummary(*d.ours));
      break;
  }
}

}  // namespace de
