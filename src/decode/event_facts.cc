#include "diff_events/decode/event_facts.h"

#include <string>

#include "diff_events/decode/json_hash.h"

namespace de {
namespace {

namespace od = simdjson::ondemand;

// Every string under `value` (any depth), as text or as keys: a signal call may name its
// handle in any field.
template <typename Sink>
void CollectStrings(od::value value, Sink& sink, int depth) {
  if (depth > 64) return;
  switch (value.type()) {
    case od::json_type::string: {
      std::string_view s;
      if (!value.get_string().get(s)) sink(s);
      break;
    }
    case od::json_type::object:
      for (auto field : value.get_object()) CollectStrings(field.value(), sink, depth + 1);
      break;
    case od::json_type::array:
      for (auto element : value.get_array()) CollectStrings(element.value(), sink, depth + 1);
      break;
    default:
      break;
  }
}

void ReadNumber(od::value value, EventFacts& facts) {
  int64_t n = 0;
  if (!value.get_int64().get(n)) {
    facts.number = n;
    facts.has_number = true;
  }
}

void ReadPayload(od::object payload, EventClass cls, EventBatch& batch, EventFacts& facts) {
  auto text = [&](std::string_view s) { batch.AddFactString(facts, s); };
  auto key = [&](std::string_view s) { batch.AddFactKey(facts, HandleKey(s)); };
  for (auto field : payload) {
    std::string_view name;
    if (field.unescaped_key().get(name)) return;
    od::value value = field.value();
    if (cls == EventClass::kWaitBegin && name == "handles") {
      CollectStrings(value, text, 0);
    } else if (cls == EventClass::kWaitBegin && name == "timeout_ns") {
      ReadNumber(value, facts);
    } else if (cls == EventClass::kHandleCreate && name == "handle_semantic_id") {
      CollectStrings(value, text, 0);
    } else if (cls == EventClass::kHandleCreate && name == "object_type") {
      ReadNumber(value, facts);
    } else if (cls == EventClass::kHandleDestroy && name == "handle_semantic_id") {
      CollectStrings(value, key, 0);
    } else if (cls == EventClass::kKernelCall && name == "args_resolved") {
      CollectStrings(value, key, 0);
    }
  }
}

}  // namespace

uint64_t HandleKey(std::string_view semantic_id) { return HashBytes(semantic_id); }

void ExtractFacts(od::document& doc, EventClass cls, EventBatch& batch, EventFacts& facts) {
  batch.BeginFacts(facts);
  facts.number = 0;
  facts.has_number = false;
  doc.rewind();
  od::object event;
  if (doc.get_object().get(event)) return;
  for (auto field : event) {
    std::string_view key;
    if (field.unescaped_key().get(key) || key != "payload") continue;
    od::object payload;
    if (!field.value().get_object().get(payload)) ReadPayload(payload, cls, batch, facts);
    break;
  }
}

}  // namespace de
