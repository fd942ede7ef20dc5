// What turns raw fire records into (op, lr) keys and what the report says about them: the fn→op
// rules (hook records), the pc→op table (probe records), notes and named families of LRs, and
// the under-firing thresholds. The built-in default reproduces the rules of docs/fires.md;
// `--profile FILE` (schemas/fires-profile.schema.json) replaces it section by section.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace de {

// A hook record whose `fn` contains any of `substrings` (case-sensitive) gets `op`.
struct FnRule {
  std::vector<std::string> substrings;
  std::string op;
};

struct LrFamily {
  std::string name;
  std::string description;
  std::vector<uint64_t> lrs;  // sorted, unique
};

struct FiresThresholds {
  double under_ratio = 0.5;              // under-firing when ours/canary < this ...
  uint64_t under_min_canary_fires = 10;  // ... and canary fires >= this
};

struct FiresProfile {
  std::string name = "built-in default";
  std::vector<FnRule> fn_rules;            // first match wins; no match: the record's `op`
  std::map<uint64_t, std::string> pc_ops;  // probe records with another pc are not fires
  std::map<uint64_t, std::string> lr_notes;
  std::vector<LrFamily> families;
  FiresThresholds thresholds;
};

FiresProfile DefaultFiresProfile();

// Parses a profile (JSON text); sections it has replace the default's. Throws InputError naming
// `name` on invalid JSON, unknown keys, wrong types or bad addresses.
FiresProfile ParseFiresProfile(const std::string& json_text, const std::string& name);

// Reads and parses a profile file (plain, .gz or .zst).
FiresProfile LoadFiresProfile(const std::string& path);

}  // namespace de
