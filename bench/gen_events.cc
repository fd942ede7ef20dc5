// gen_events: writes a deterministic canary/ours pair of schema-v1 event logs of about the
// requested size. Same options, same bytes. Both engines run the same guest program; with
// --diverge N, N threads of ours make one different call (one place each, listed on stdout;
// --diverge-every K: and again every K ops).
// --shape picks one of bench/run's input shapes (event_plan.h, docs/performance.md); --truth
// writes the true thread pairing (which canary tid is which ours tid) for checking a diff.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <exception>
#include <thread>

#include "engine_run.h"
#include "event_plan.h"

namespace {

struct Options {
  bench::PlanOptions plan;
  std::string shape = "classic";
  std::string child_tid = "auto";
  std::string canary_path;
  std::string ours_path;
  std::string truth_path;
};

void PrintDivergences(const std::vector<bench::ThreadPlan>& plan, const bench::EngineRun& canary,
                      const bench::EngineRun& ours) {
  for (size_t i = 0; i < plan.size(); ++i) {
    int64_t op = plan[i].diverge_at_op;
    if (op < 0) continue;
    int t = static_cast<int>(i);
    std::printf("divergence: thread %d (canary tid %u, ours tid %u) at its op %lld\n", t,
                canary.tid_of(t), ours.tid_of(t), static_cast<long long>(op));
  }
}

// One line per guest thread that ran in either log: canary tid, ours tid (0: not in that log)
// and its events in each log.
void WriteTruth(const std::string& path, size_t threads, const bench::EngineRun& canary,
                const bench::EngineRun& ours) {
  bench::OutFile out(path);
  out.BeginRecord();
  out.Str("# canary_tid ours_tid canary_events ours_events\n");
  for (size_t i = 0; i < threads; ++i) {
    int t = static_cast<int>(i);
    if (canary.events_of(t) == 0 && ours.events_of(t) == 0) continue;
    out.BeginRecord();
    out.U64(canary.events_of(t) ? canary.tid_of(t) : 0);
    out.Char(' ');
    out.U64(ours.events_of(t) ? ours.tid_of(t) : 0);
    out.Char(' ');
    out.U64(canary.events_of(t));
    out.Char(' ');
    out.U64(ours.events_of(t));
    out.Char('\n');
  }
  out.Commit();
}

bool DefaultChildTid(bench::Shape shape) {
  return shape == bench::Shape::kClassic || shape == bench::Shape::kChain ||
         shape == bench::Shape::kAb;
}

// Runs both engines at once (they share nothing but the read-only plan).
int Generate(const Options& o) {
  auto start = std::chrono::steady_clock::now();
  std::vector<bench::ThreadPlan> plan = bench::BuildPlan(o.plan);
  bench::EngineRun canary(o.plan, plan, bench::kCanaryStyle, o.canary_path);
  bench::EngineRun ours(o.plan, plan, bench::kOursStyle, o.ours_path);
  std::exception_ptr ours_error;
  std::thread ours_thread([&] {
    try {
      ours.Run();
    } catch (...) {
      ours_error = std::current_exception();
    }
  });
  canary.Run();
  ours_thread.join();
  if (ours_error) std::rethrow_exception(ours_error);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  uint64_t bytes = canary.bytes() + ours.bytes();
  std::printf("canary: %s %llu bytes %llu events\n", o.canary_path.c_str(),
              static_cast<unsigned long long>(canary.bytes()),
              static_cast<unsigned long long>(canary.events()));
  std::printf("ours: %s %llu bytes %llu events\n", o.ours_path.c_str(),
              static_cast<unsigned long long>(ours.bytes()),
              static_cast<unsigned long long>(ours.events()));
  PrintDivergences(plan, canary, ours);
  if (!o.truth_path.empty()) WriteTruth(o.truth_path, plan.size(), canary, ours);
  std::printf("generated %.1f MB in %.2f s: %.0f MB/s\n", bytes / 1e6, seconds,
              bytes / 1e6 / seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Generate a deterministic canary/ours event-log pair (schema v1)."};
  app.add_option("--seed", o.plan.seed, "random seed");
  app.add_option("--mb", o.plan.megabytes, "approximate size of each file, in 10^6 bytes")
      ->check(CLI::PositiveNumber);
  app.add_option("--shape", o.shape, "input shape (docs/performance.md)")
      ->check(CLI::IsMember({"classic", "rerun", "ab", "long", "seed", "many", "chain", "pool"}));
  app.add_option("--threads", o.plan.threads,
                 "guest threads (shapes many and chain: their count; default: the shape's)")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--child-tid", o.child_tid,
                 "thread.create carries child_tid (auto: yes for classic, chain and ab)")
      ->check(CLI::IsMember({"yes", "no", "auto"}));
  app.add_option("--wedge-events", o.plan.wedge_events,
                 "shape seed: ours wedges after about this many events");
  app.add_option("--pool-size", o.plan.pool_size, "shapes rerun, seed, pool: threads in the pool")
      ->check(CLI::Range(1, 10000));
  app.add_option("--pool-prefix", o.plan.pool_prefix,
                 "shape pool: events the pool's threads have in common");
  app.add_option("--truth", o.truth_path, "write the true thread pairing to this file");
  app.add_option("--diverge", o.plan.divergences, "threads where ours makes another call")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--diverge-every", o.plan.diverge_every,
                 "a diverging thread diverges again every this many ops (several hunks per pair)");
  app.add_flag("--skew", o.plan.skew,
               "ours runs some threads in longer bursts, so each thread's place in the two files "
               "drifts apart in proportion to the size (the default drifts like a random walk)");
  app.add_option("--canary", o.canary_path, "output path of canary's log")->required();
  app.add_option("--ours", o.ours_path, "output path of ours' log")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  bench::ParseShape(o.shape, o.plan.shape);
  o.plan.child_tid = o.child_tid == "auto" ? DefaultChildTid(o.plan.shape) : o.child_tid == "yes";
  try {
    return Generate(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gen_events: error: %s\n", e.what());
    return 2;
  }
}
