#include "diff_events/fires/fires_profile.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "diff_events/fires/hex.h"
#include "diff_events/fires/small_input.h"
#include "diff_events/input_error.h"

namespace de {
namespace {

using nlohmann::json;

class ProfileParser {
 public:
  explicit ProfileParser(std::string name) : name_(std::move(name)) {}

  FiresProfile Parse(const std::string& text) {
    json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) Fail("not valid JSON");
    if (!doc.is_object()) Fail("a profile is a JSON object");
    FiresProfile profile = DefaultFiresProfile();
    profile.name = name_;
    for (const auto& [key, value] : doc.items()) {
      if (key == "$schema" || key == "description") continue;
      if (key == "fn_rules") {
        profile.fn_rules = FnRules(value);
      } else if (key == "pc_ops") {
        profile.pc_ops = AddressMap(value, "pc_ops");
      } else if (key == "lr_notes") {
        profile.lr_notes = AddressMap(value, "lr_notes");
      } else if (key == "families") {
        profile.families = Families(value);
      } else if (key == "thresholds") {
        profile.thresholds = Thresholds(value, profile.thresholds);
      } else {
        Fail("unknown key \"" + key + "\"");
      }
    }
    return profile;
  }

 private:
  [[noreturn]] void Fail(const std::string& what) const {
    throw InputError(name_, 0, "profile: " + what);
  }

  std::string String(const json& v, const std::string& where) const {
    if (!v.is_string() || v.get_ref<const std::string&>().empty())
      Fail(where + " must be a non-empty string");
    return v.get<std::string>();
  }

  uint64_t Address(const std::string& text, const std::string& where) const {
    uint64_t value;
    if (!ParseHex(text, value)) Fail(where + ": \"" + text + "\" is not a hex address");
    return value;
  }

  std::vector<FnRule> FnRules(const json& v) const {
    if (!v.is_array()) Fail("fn_rules must be an array");
    std::vector<FnRule> rules;
    for (const json& r : v) {
      if (!r.is_object() || !r.contains("contains") || !r.contains("op") || r.size() != 2)
        Fail("each fn_rules entry is {\"contains\": [...], \"op\": \"...\"}");
      FnRule rule;
      rule.op = String(r["op"], "fn_rules op");
      if (!r["contains"].is_array() || r["contains"].empty())
        Fail("fn_rules contains must be a non-empty array of strings");
      for (const json& s : r["contains"]) rule.substrings.push_back(String(s, "fn_rules contains"));
      rules.push_back(std::move(rule));
    }
    return rules;
  }

  std::map<uint64_t, std::string> AddressMap(const json& v, const std::string& where) const {
    if (!v.is_object()) Fail(where + " must be an object of \"0xADDRESS\": \"text\"");
    std::map<uint64_t, std::string> map;
    for (const auto& [key, value] : v.items()) {
      uint64_t address = Address(key, where);
      if (!map.emplace(address, String(value, where + " value")).second)
        Fail(where + ": address " + Hex32(address) + " appears twice");
    }
    return map;
  }

  std::vector<LrFamily> Families(const json& v) const {
    if (!v.is_array()) Fail("families must be an array");
    std::vector<LrFamily> families;
    for (const json& f : v) {
      if (!f.is_object() || !f.contains("name") || !f.contains("lrs"))
        Fail("each families entry needs \"name\" and \"lrs\"");
      LrFamily family;
      for (const auto& [key, value] : f.items()) {
        if (key == "name") {
          family.name = String(value, "family name");
        } else if (key == "description") {
          family.description = String(value, "family description");
        } else if (key != "lrs") {
          Fail("unknown key \"" + key + "\" in a family");
        }
      }
      if (!f["lrs"].is_array()) Fail("family lrs must be an array of hex strings");
      for (const json& lr : f["lrs"]) family.lrs.push_back(Address(String(lr, "family lr"), "lrs"));
      std::sort(family.lrs.begin(), family.lrs.end());
      family.lrs.erase(std::unique(family.lrs.begin(), family.lrs.end()), family.lrs.end());
      for (const LrFamily& other : families)
        if (other.name == family.name) Fail("family \"" + family.name + "\" appears twice");
      families.push_back(std::move(family));
    }
    return families;
  }

  FiresThresholds Thresholds(const json& v, FiresThresholds t) const {
    if (!v.is_object()) Fail("thresholds must be an object");
    for (const auto& [key, value] : v.items()) {
      if (key == "under_ratio") {
        if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 1)
          Fail("thresholds.under_ratio must be a number in [0, 1]");
        t.under_ratio = value.get<double>();
      } else if (key == "under_min_canary_fires") {
        if (!value.is_number_unsigned()) Fail("thresholds.under_min_canary_fires must be >= 0");
        t.under_min_canary_fires = value.get<uint64_t>();
      } else {
        Fail("unknown key \"" + key + "\" in thresholds");
      }
    }
    return t;
  }

  std::string name_;
};

}  // namespace

FiresProfile DefaultFiresProfile() {
  FiresProfile p;
  p.fn_rules = {{{"Release", "release"}, "release"}, {{"Set", "set"}, "set"}};
  p.pc_ops = {{0x8284dddc, "set"},     {0x8284e49c, "release"}, {0x8284df5c, "set"},
              {0x8284e07c, "release"}, {0x824aa2f0, "set"},     {0x824ab158, "release"}};
  return p;
}

FiresProfile ParseFiresProfile(const std::string& json_text, const std::string& name) {
  return ProfileParser(name).Parse(json_text);
}

FiresProfile LoadFiresProfile(const std::string& path) {
  SmallInput input = ReadSmallInput(path);
  return ParseFiresProfile(input.text, input.name);
}

}  // namespace de
