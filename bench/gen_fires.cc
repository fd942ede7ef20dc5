// gen_fires: writes a deterministic fire-trace triple of about the requested size: canary's
// {op, fn, handle, count, lr, tid, host_ns} records (integers) and ours' {pc, tid, hw, cycle, r3,
// r4, lr} records (hex strings, mixed case) from the import-thunk probe (iat) and the
// wrapper-level probe (lr). Most call sites fire alike in both; some never fire in ours, some fire
// less, a few fire only in ours, and a few of ours' records have a pc outside the op table.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <thread>

#include "out_file.h"
#include "rng.h"

namespace {

struct Options {
  uint64_t seed = 1;
  double megabytes = 100;
  int sites = 160;
  std::string canary_path, iat_path, lr_path;
};

struct Site {
  uint32_t lr;
  bool release;
  const char* fn;  // nullptr: canary's record has no fn
  uint32_t count;
  bool lr_probe;  // ours sees it through the wrapper-level probe, not the import thunk
  uint32_t pc;
  uint32_t canary_tid;
  double canary_weight;
  double ours_weight;
};

// ours' op table: import thunks (set, release, set, release) and wrapper entries (set, release).
constexpr uint32_t kIatSet[] = {0x8284dddc, 0x8284df5c};
constexpr uint32_t kIatRelease[] = {0x8284e49c, 0x8284e07c};
constexpr uint32_t kLrSet = 0x824AA2F0, kLrRelease = 0x824AB158;
constexpr uint32_t kStrayIatPcs[] = {0x8284e100, 0x8284dd00};
constexpr uint32_t kStrayLrPcs[] = {0x824ab000, 0x82000000};

double OursFactor(bench::Rng& rng) {
  uint32_t roll = rng.Below(100);
  if (roll < 10) return 0.0;  // never fires in ours
  if (roll < 20) return 0.3;  // under-fires
  if (roll < 30) return 1.2;
  return 1.0;
}

Site MakeSite(int rank, bench::Rng& rng) {
  Site s{};
  s.lr = 0x82000000 + 4 * rng.Below(0x280000);
  s.release = rng.Percent(40);
  s.count = s.release && rng.Percent(30) ? 2 : 1;
  if (!rng.Percent(12))
    s.fn = s.release ? (rng.Percent(50) ? "NtReleaseSemaphore" : "xeKeReleaseSemaphore")
                     : (rng.Percent(65) ? "NtSetEvent" : "KeSetEvent");
  s.lr_probe = rng.Percent(15);
  s.pc = s.lr_probe ? (s.release ? kLrRelease : kLrSet)
                    : (s.release ? kIatRelease[rng.Below(2)] : kIatSet[rng.Below(2)]);
  s.canary_tid = 5 + rng.Below(24);
  s.canary_weight = 1.0 / (rank + 1);  // Zipf: a few hot sites, a long tail
  s.ours_weight = s.canary_weight * OursFactor(rng);
  if (rng.Percent(5)) s.canary_weight = 0;  // fires only in ours
  return s;
}

std::vector<double> Cumulative(const std::vector<Site>& sites, double Site::*weight) {
  std::vector<double> cumulative;
  double total = 0;
  for (const Site& s : sites) cumulative.push_back(total += s.*weight);
  return cumulative;
}

const Site& Draw(const std::vector<Site>& sites, const std::vector<double>& cumulative,
                 bench::Rng& rng) {
  double x = (rng.Next() >> 11) * 0x1.0p-53 * cumulative.back();
  size_t i = static_cast<size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), x) -
                                 cumulative.begin());
  return sites[std::min(i, sites.size() - 1)];
}

void WriteCanary(const Options& o, const std::vector<Site>& sites) {
  bench::OutFile out(o.canary_path);
  bench::Rng rng(o.seed * 31 + 1);
  std::vector<double> cumulative = Cumulative(sites, &Site::canary_weight);
  uint64_t host_ns = 1937001893;
  uint64_t target = static_cast<uint64_t>(o.megabytes * 1e6);
  while (out.bytes_written() < target) {
    const Site& s = Draw(sites, cumulative, rng);
    host_ns += 200 + rng.Below(20000);
    out.BeginRecord();
    out.Str(s.release ? R"({"op":"release",)" : R"({"op":"set",)");
    if (s.fn) {
      out.Str(R"("fn":")");
      out.Str(s.fn);
      out.Str("\",");
    }
    out.Str(R"("handle":)");
    out.U64(0xF8000080 + 4 * rng.Below(256));
    out.Str(R"(,"count":)");
    out.U64(s.count);
    out.Str(R"(,"lr":)");
    out.U64(s.lr);
    out.Str(R"(,"tid":)");
    out.U64(s.canary_tid);
    out.Str(R"(,"host_ns":)");
    out.U64(host_ns);
    out.Str("}\n");
  }
  out.Commit();
}

void WriteOursRecord(bench::OutFile& out, const Site& s, uint64_t cycle, bench::Rng& rng) {
  bool upper = rng.Percent(30);
  out.BeginRecord();
  out.Str(R"({"pc":)");
  uint32_t pc = s.pc;
  if (rng.Below(400) == 0) pc = (s.lr_probe ? kStrayLrPcs : kStrayIatPcs)[rng.Below(2)];
  out.QuotedHex(pc, 8, upper);
  out.Str(R"(,"tid":)");
  out.U64(1 + (s.canary_tid * 7) % 29);
  out.Str(R"(,"hw":)");
  out.U64(rng.Below(6));
  out.Str(R"(,"cycle":)");
  out.U64(cycle);
  out.Str(R"(,"r3":)");
  out.QuotedHex(0x1000 + 4 * rng.Below(128), 8);
  out.Str(R"(,"r4":)");
  out.QuotedHex(s.release ? s.count : 0, 8);
  out.Str(R"(,"lr":)");
  out.QuotedHex(s.lr, 8, upper);
  out.Str("}\n");
}

void WriteOurs(const Options& o, const std::vector<Site>& sites) {
  bench::OutFile iat(o.iat_path), lr(o.lr_path);
  bench::Rng rng(o.seed * 31 + 2);
  std::vector<double> cumulative = Cumulative(sites, &Site::ours_weight);
  uint64_t cycle = 2860;
  uint64_t target = static_cast<uint64_t>(o.megabytes * 1e6);
  while (iat.bytes_written() + lr.bytes_written() < target) {
    const Site& s = Draw(sites, cumulative, rng);
    cycle += 100 + rng.Below(5000);
    WriteOursRecord(s.lr_probe ? lr : iat, s, cycle, rng);
  }
  iat.Commit();
  lr.Commit();
}

int Generate(const Options& o) {
  auto start = std::chrono::steady_clock::now();
  bench::Rng rng(o.seed);
  std::vector<Site> sites;
  for (int rank = 0; rank < o.sites; ++rank) sites.push_back(MakeSite(rank, rng));
  std::exception_ptr ours_error;
  std::thread ours([&] {
    try {
      WriteOurs(o, sites);
    } catch (...) {
      ours_error = std::current_exception();
    }
  });
  WriteCanary(o, sites);
  ours.join();
  if (ours_error) std::rethrow_exception(ours_error);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("generated fire traces (2 x %.1f MB) in %.2f s: %.0f MB/s\n", o.megabytes, seconds,
              2 * o.megabytes / seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Generate a deterministic fire-trace triple (canary, ours iat, ours lr)."};
  app.add_option("--seed", o.seed, "random seed");
  app.add_option("--mb", o.megabytes, "approximate size of canary's file and of ours' two together")
      ->check(CLI::PositiveNumber);
  app.add_option("--sites", o.sites, "call sites (lr values)")->check(CLI::Range(1, 1000000));
  app.add_option("--canary", o.canary_path, "output path of canary's trace")->required();
  app.add_option("--ours-iat", o.iat_path, "output path of ours' import-thunk trace")->required();
  app.add_option("--ours-lr", o.lr_path, "output path of ours' wrapper-level trace")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    return Generate(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gen_fires: error: %s\n", e.what());
    return 2;
  }
}
