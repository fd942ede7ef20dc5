#include "diff_events/align/difference_description.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "diff_events/canon/allocator_ordinals.h"

namespace de {
namespace {

using Json = nlohmann::ordered_json;

Json Parse(const std::string& raw) { return Json::parse(raw, nullptr, false); }

void DropNulls(Json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end();) {
      if (it->is_null()) {
        it = j.erase(it);
      } else {
        DropNulls(*it);
        ++it;
      }
    }
  } else if (j.is_array()) {
    for (auto& item : j) DropNulls(item);
  }
}

void EraseDottedPath(Json& j, const std::string& path) {
  size_t dot = path.find('.');
  if (!j.is_object()) return;
  if (dot == std::string::npos) {
    j.erase(path);
    return;
  }
  auto it = j.find(path.substr(0, dot));
  if (it != j.end()) EraseDottedPath(*it, path.substr(dot + 1));
}

// The event as it is compared: ignored fields gone, allocator returns replaced by sentinels.
Json Canonical(const EventRef& ref, const Profile& profile) {
  Json j = Parse(ref.raw);
  if (!j.is_object()) return j;
  for (const std::string& field : profile.ignored_fields) j.erase(field);
  std::string kind = j.value("kind", "");
  auto payload = j.find("payload");
  if (payload != j.end()) {
    auto rules = profile.ignored_payload_paths.find(kind);
    if (rules != profile.ignored_payload_paths.end()) {
      for (const std::string& path : rules->second) EraseDottedPath(*payload, path);
    }
    if (ref.alloc_ordinal >= 0 && payload->is_object()) {
      std::string sentinel = AllocatorSentinel(payload->value("name", ""), ref.alloc_ordinal);
      if (payload->contains("return_value")) (*payload)["return_value"] = sentinel;
      if (payload->contains("status")) (*payload)["status"] = sentinel;
    }
  }
  DropNulls(j);
  return j;
}

// A value as the one-line summary shows it; huge values are cut (the raw events show them whole).
std::string Show(const Json* j) {
  constexpr size_t kMaxShown = 120;
  if (!j) return "<absent>";
  std::string text = j->is_string() ? "'" + j->get<std::string>() + "'" : j->dump();
  if (text.size() > kMaxShown)
    text = fmt::format("{}… ({} bytes)", text.substr(0, kMaxShown), text.size());
  return text;
}

bool SameValue(const Json& a, const Json& b) {
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !SameValue(*it, *other)) return false;
    }
    return true;
  }
  return a == b;
}

// Depth-first, canary's key order first, then keys only ours has.
bool FirstDifference(const Json& c, const Json& o, const std::string& path, std::string& field,
                     std::string& summary) {
  if (c.is_object() && o.is_object()) {
    for (auto it = c.begin(); it != c.end(); ++it) {
      std::string sub = path.empty() ? it.key() : path + "." + it.key();
      auto other = o.find(it.key());
      if (other == o.end()) {
        field = sub;
        summary = fmt::format("{}: canary={} ours=<absent>", sub, Show(&*it));
        return true;
      }
      if (FirstDifference(*it, *other, sub, field, summary)) return true;
    }
    for (auto it = o.begin(); it != o.end(); ++it) {
      if (c.find(it.key()) == c.end()) {
        field = path.empty() ? it.key() : path + "." + it.key();
        summary = fmt::format("{}: canary=<absent> ours={}", field, Show(&*it));
        return true;
      }
    }
    return false;
  }
  if (SameValue(c, o)) return false;
  field = path;
  summary = fmt::format("{}: canary={} ours={}", path, Show(&c), Show(&o));
  return true;
}

std::string DescribeEventsDiffer(const Divergence& d, const Profile& profile, std::string& field) {
  Json c = Canonical(*d.canary, profile);
  Json o = Canonical(*d.ours, profile);
  std::string summary;
  if (!c.is_object() || !o.is_object()) {
    // simdjson accepted it (e.g. a number beyond double range) but nlohmann can't rebuild it.
    field.clear();
    return "the events differ (see the raw events: a value is beyond what the describer reads)";
  }
  if (d.canary->idx != d.ours->idx) {
    field = "tid_event_idx";
    return fmt::format("tid_event_idx: canary={} ours={}", d.canary->idx, d.ours->idx);
  }
  c.erase("tid_event_idx");
  o.erase("tid_event_idx");
  if (c.contains("kind") && o.contains("kind") && c["kind"] != o["kind"]) {
    field = "kind";
    return fmt::format("kind: canary={} ours={}", Show(&c["kind"]), Show(&o["kind"]));
  }
  if (FirstDifference(c, o, "", field, summary)) return summary;
  field.clear();
  return "the events differ after canonicalization (hash mismatch with no visible field)";
}

std::string LastIdx(const std::optional<uint64_t>& idx) {
  return idx ? std::to_string(*idx) : "<none>";
}

}  // namespace

std::string EventSummary(const EventRef& event) {
  Json j = Parse(event.raw);
  std::string text = fmt::format("[{}] {}", event.idx, j.is_object() ? j.value("kind", "?") : "?");
  if (j.is_object() && j.contains("payload") && j["payload"].is_object()) {
    const Json& p = j["payload"];
    if (p.contains("name") && p["name"].is_string()) text += " " + p["name"].get<std::string>();
  }
  return text;
}

void DescribeDivergence(PairResult& pair, const Profile& profile) {
  Divergence& d = *pair.divergence;
  switch (d.kind) {
    case DivergenceKind::kEventsDiffer:
      d.summary = DescribeEventsDiffer(d, profile, d.field);
      break;
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
