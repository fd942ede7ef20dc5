#include "diff_events/decode/event_facts.h"

#include <string>

namespace de {
namespace {

namespace od = simdjson::ondemand;

// Every string under `value` (any depth): a signal call may name its handle in any field.
void CollectStrings(od::value value, std::vector<std::string>& out, int depth) {
  if (depth > 64) return;
  switch (value.type()) {
    case od::json_type::string: {
      std::string_view s;
      if (!value.get_string().get(s)) out.emplace_back(s);
      break;
    }
    case od::json_type::object:
      for (auto field : value.get_object()) CollectStrings(field.value(), out, depth + 1);
      break;
    case od::json_type::array:
      for (auto element : value.get_array()) CollectStrings(element.value(), out, depth + 1);
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

void ReadPayload(od::object payload, EventClass cls, EventFacts& facts) {
  for (auto field : payload) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return;
    od::value value = field.value();
    if (cls == EventClass::kWaitBegin && key == "handles") {
      CollectStrings(value, facts.handles, 0);
    } else if (cls == EventClass::kWaitBegin && key == "timeout_ns") {
      ReadNumber(value, facts);
    } else if (cls == EventClass::kHandleCreate && key == "handle_semantic_id") {
      CollectStrings(value, facts.handles, 0);
    } else if (cls == EventClass::kHandleCreate && key == "object_type") {
      ReadNumber(value, facts);
    } else if (cls == EventClass::kKernelCall && key == "args_resolved") {
      CollectStrings(value, facts.handles, 0);
    }
  }
}

}  // namespace

EventFacts ExtractFacts(od::document& doc, EventClass cls) {
  EventFacts facts;
  doc.rewind();
  od::object event;
  if (doc.get_object().get(event)) return facts;
  for (auto field : event) {
    std::string_view key;
    if (field.unescaped_key().get(key) || key != "payload") continue;
    od::object payload;
    if (!field.value().get_object().get(payload)) ReadPayload(payload, cls, facts);
    break;
  }
  return facts;
}

}  // namespace de
