// gen_events: writes a deterministic canary/ours pair of schema-v1 event logs of about the
// requested size. Same options, same bytes. Both engines run the same guest program; with
// --diverge N, N threads of ours make one different call (one place each, listed on stdout).
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
  std::string canary_path;
  std::string ours_path;
};

void PrintDivergences(const std::vector<bench::ThreadPlan>& plan) {
  int threads = static_cast<int>(plan.size());
  for (int i = 0; i < threads; ++i) {
    int64_t op = plan[static_cast<size_t>(i)].diverge_at_op;
    if (op < 0) continue;
    std::printf("divergence: thread %d (canary tid %u, ours tid %u) at its op %lld\n", i,
                bench::EngineTid(bench::kCanaryStyle, i, threads),
                bench::EngineTid(bench::kOursStyle, i, threads), static_cast<long long>(op));
  }
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
  PrintDivergences(plan);
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
  app.add_option("--threads", o.plan.threads, "guest threads")->check(CLI::Range(1, 100000));
  app.add_option("--diverge", o.plan.divergences, "threads where ours makes another call")
      ->check(CLI::NonNegativeNumber);
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
  try {
    return Generate(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gen_events: error: %s\n", e.what());
    return 2;
  }
}
