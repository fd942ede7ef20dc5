// Thresholds, symbol lookup, profile loading and the key classification of a small diff.
#include <catch2/catch.hpp>

#include "diff_events/fires/fires_diff.h"
#include "diff_events/fires/symbol_map.h"
#include "diff_events/input_error.h"

namespace {

de::FireRecord Fire(de::OpTable& ops, const char* op, uint64_t lr, uint64_t tid) {
  de::FireRecord r;
  r.op = ops.Intern(op);
  r.lr = lr;
  r.tid = tid;
  return r;
}

void AddFires(de::FireHistogram& h, const char* op, uint64_t lr, uint64_t tid, int n) {
  for (int i = 0; i < n; ++i) h.Add(Fire(h.ops(), op, lr, tid));
}

}  // namespace

TEST_CASE("under-firing thresholds: strict ratio, inclusive minimum", "[fires][thresholds]") {
  de::FiresThresholds t;  // 0.5, 10
  CHECK(de::IsUnderFiring(10, 4, t));
  CHECK_FALSE(de::IsUnderFiring(10, 5, t));  // exactly 0.5 is not under
  CHECK_FALSE(de::IsUnderFiring(9, 1, t));   // canary below the minimum
  CHECK_FALSE(de::IsUnderFiring(10, 0, t));  // that is "missing", not under-firing
  CHECK_FALSE(de::IsUnderFiring(10, 20, t));
  t.under_ratio = 0.3;
  CHECK_FALSE(de::IsUnderFiring(10, 3, t));  // 3/10 == 0.3, despite 0.3 * 10 > 3 in doubles
  CHECK(de::IsUnderFiring(10, 2, t));
  t.under_min_canary_fires = 0;
  CHECK(de::IsUnderFiring(1, 0, t) == false);
}

TEST_CASE("symbol map labels LRs as name+0xOFF", "[fires][symbols]") {
  de::SymbolMap map = de::SymbolMap::Parse(
      "address,name,size\r\n"
      "82450218,sub_82450218,0x200\n"
      "0x82450500,\"ns::f(int, int)\",16\n"
      "82460000,sub_82460000\n"
      "82470000,sub_82470000\n",
      "syms.csv");
  CHECK(map.size() == 4);
  CHECK(map.Label(0x82450314) == "sub_82450218+0xFC");
  CHECK(map.Label(0x82450218) == "sub_82450218+0x0");
  CHECK_FALSE(map.Label(0x82450418));  // past its size
  CHECK(map.Label(0x8245050f) == "ns::f(int, int)+0xF");
  CHECK_FALSE(map.Label(0x82450510));
  CHECK(map.Label(0x8246fffc) == "sub_82460000+0xFFFC");  // no size: up to the next function
  CHECK(map.Label(0x82470000) == "sub_82470000+0x0");
  CHECK_FALSE(map.Label(0x82470004));  // the last sizeless function: only its start
  CHECK_FALSE(map.Label(0x1000));
}

TEST_CASE("symbol map errors name file and line", "[fires][symbols]") {
  try {
    de::SymbolMap::Parse("82450218,f\nnot-hex,g\n", "syms.csv");
    FAIL("no error");
  } catch (const de::InputError& e) {
    CHECK(std::string(e.what()) == "syms.csv:2: \"not-hex\" is not a hex address");
  }
  CHECK_THROWS_AS(de::SymbolMap::Parse("82450218,\"f\n", "s"), de::InputError);
  CHECK_THROWS_AS(de::SymbolMap::Parse("82450218\n", "s"), de::InputError);
  CHECK_THROWS_AS(de::SymbolMap::Parse("82450218,f,0\n", "s"), de::InputError);
}

TEST_CASE("profiles replace the default section by section", "[fires][profile]") {
  de::FiresProfile p = de::ParseFiresProfile(
      R"({"pc_ops": {"0x1000": "pulse"}, "thresholds": {"under_ratio": 0.25},
          "lr_notes": {"0x82000100": "site A"},
          "families": [{"name": "f", "lrs": ["0x3", "0x1", "0x3"]}]})",
      "p.json");
  CHECK(p.pc_ops.size() == 1);
  CHECK(p.pc_ops.at(0x1000) == "pulse");
  CHECK(p.fn_rules.size() == 2);  // kept from the default
  CHECK(p.thresholds.under_ratio == 0.25);
  CHECK(p.thresholds.under_min_canary_fires == 10);
  CHECK(p.lr_notes.at(0x82000100) == "site A");
  CHECK(p.families.at(0).lrs == std::vector<uint64_t>{1, 3});
  CHECK_THROWS_AS(de::ParseFiresProfile(R"({"pc_op": {}})", "p"), de::InputError);
  CHECK_THROWS_AS(de::ParseFiresProfile(R"({"pc_ops": {"zz": "set"}})", "p"), de::InputError);
  CHECK_THROWS_AS(de::ParseFiresProfile(R"({"thresholds": {"under_ratio": 2}})", "p"),
                  de::InputError);
  CHECK_THROWS_AS(de::ParseFiresProfile("{", "p"), de::InputError);
}

TEST_CASE("keys are classified missing / under-firing / matched / extra", "[fires][diff]") {
  de::FiresProfile profile = de::DefaultFiresProfile();
  de::FireHistogram canary(profile), ours(profile);
  AddFires(canary, "set", 0x100, 6, 12);
  AddFires(ours, "set", 0x100, 1, 12);
  AddFires(canary, "release", 0x200, 6, 10);
  AddFires(ours, "release", 0x200, 1, 4);
  AddFires(canary, "set", 0x300, 7, 3);
  AddFires(ours, "release", 0x300, 2, 1);  // same lr, other op: another key
  de::FiresResult r = de::DiffFires(canary, ours, de::FiresDiffContext(profile));
  REQUIRE(r.missing.size() == 1);
  CHECK(r.missing[0].op == "set");
  CHECK(r.missing[0].lr == 0x300);
  REQUIRE(r.under_firing.size() == 1);
  CHECK(r.under_firing[0].lr == 0x200);
  CHECK(r.matched.size() == 2);
  REQUIRE(r.extra.size() == 1);
  CHECK(r.extra[0].op == "release");
  CHECK(r.headline == de::Headline::kDivergent);
  REQUIRE(r.canary_threads.size() == 2);
  CHECK(r.canary_threads[1].tid == 7);
  CHECK_FALSE(r.canary_threads[1].has_analog());
  CHECK(r.totals.missing_canary_fires == 3);
}

TEST_CASE("no fires on a side, or no shared key, is inconclusive", "[fires][diff]") {
  de::FiresProfile profile = de::DefaultFiresProfile();
  de::FireHistogram canary(profile), ours(profile), elsewhere(profile);
  AddFires(canary, "set", 0x100, 6, 5);
  CHECK(de::DiffFires(canary, ours, de::FiresDiffContext(profile)).headline ==
        de::Headline::kInconclusive);
  AddFires(elsewhere, "set", 0x999, 1, 5);
  CHECK(de::DiffFires(canary, elsewhere, de::FiresDiffContext(profile)).headline ==
        de::Headline::kInconclusive);
  AddFires(ours, "set", 0x100, 1, 1);
  CHECK(de::DiffFires(canary, ours, de::FiresDiffContext(profile)).headline ==
        de::Headline::kSameFires);
}

TEST_CASE("the consuming diff gives the same result and empties the histograms", "[fires][diff]") {
  de::FiresProfile profile = de::DefaultFiresProfile();
  de::FireHistogram canary(profile), ours(profile);
  // Ops interned in a different order on each side: their ids differ, their names rank alike.
  for (uint64_t lr = 0; lr < 3000; ++lr) {
    AddFires(canary, lr % 3 ? "set" : "release", 0x1000 + 4 * lr, 5 + lr % 7, lr % 50 ? 1 : 12);
    if (lr % 10 != 1)
      AddFires(ours, lr % 3 ? "set" : "release", 0x1000 + 4 * lr, 9, lr % 50 ? 1 : 3);
  }
  AddFires(ours, "release", 0x9000, 9, 2);  // extra
  de::FiresDiffContext context(profile);
  de::FiresResult kept = de::DiffFires(canary, ours, context);
  de::FiresResult consumed = de::DiffFires(std::move(canary), std::move(ours), context);
  CHECK(canary.keys().empty());  // NOLINT: emptied by design
  CHECK(ours.keys().empty());    // NOLINT
  auto same_rows = [](const std::vector<de::KeyRow>& a, const std::vector<de::KeyRow>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i].op != b[i].op || a[i].lr != b[i].lr || a[i].canary.fires != b[i].canary.fires ||
          a[i].ours.fires != b[i].ours.fires || !(a[i].canary.tids == b[i].canary.tids))
        return false;
    return true;
  };
  CHECK(kept.missing.size() == 300);
  CHECK(kept.under_firing.size() == 60);
  CHECK(same_rows(kept.missing, consumed.missing));
  CHECK(same_rows(kept.under_firing, consumed.under_firing));
  CHECK(same_rows(kept.matched, consumed.matched));
  CHECK(same_rows(kept.extra, consumed.extra));
  REQUIRE(consumed.canary_threads.size() == 7);
  CHECK(consumed.canary_threads[0].distinct_lrs == kept.canary_threads[0].distinct_lrs);
  CHECK(consumed.totals.canary_fires == kept.totals.canary_fires);
}
