// Renderers of a DiffResult, one per format, behind one signature (hyperfine's exporters):
// each turns the same immutable, already sorted result into bytes, so the same input gives
// byte-identical reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "diff_events/align/diff_result.h"

namespace de {

using DiffRenderer = std::string (*)(const DiffResult&);

std::string RenderDiffMarkdown(const DiffResult& result);
std::string RenderDiffCsv(const DiffResult& result);
std::string RenderDiffJson(const DiffResult& result);
// One row per thread and side (paired and unpaired): events, calls, host times, end state.
std::string RenderLifetimesCsv(const DiffResult& result);
// One row per pair and call name: count on each side and the difference.
std::string RenderCallsCsv(const DiffResult& result);

// The pair's one-line status, shared by every format: "identical", the divergence summary, ...
std::string PairStatusText(const PairResult& pair);
// The first divergent event's tid_event_idx (canary's, else ours'), if the pair diverged.
std::optional<uint64_t> FirstDivergenceIdx(const PairResult& pair);
// The same as text, "" when none.
std::string FirstDivergenceAt(const PairResult& pair);
// How the pair was made and how sure: "lineage", "content 256/256, next best 0/256",
// "content 3/256, next best 3/256 (ambiguous)".
std::string PairingText(const PairResult& pair);
std::string UnpairedText(const UnpairedThread& thread);
// "@@ canary #347..349 (idx 347..349) / ours #429..431 (idx 429..431) @@ replaced".
std::string HunkHeader(const Hunk& hunk, uint64_t window);
// "×5501 " before the first event of a folded loop's cycle, blanks as wide before the others of
// it, "" outside loops.
std::string LoopMark(const EventRef& event);
// One row per hunk of every pair.
std::string RenderHunksCsv(const DiffResult& result);
// "exited", "blocked on Event 1070523e…", "cut".
std::string EndText(const Lifetime& life);
// A short handle for prose: its first 8 hex digits and an ellipsis.
std::string ShortHandle(const std::string& handle);
// In plain words: "ours tid 13 waits forever on Event d5e2… (wait.begin at idx 433). In canary,
// tid 17 signals it: NtSetEvent ×8 (first at idx 347). Ours never signals it."
std::string WaitText(const WaitAnalysis& wait);
// "root", "consequence of canary tid 18 (via Thread 7611…)".
std::string CauseText(const Cause& cause);
// "2 replaced, 1 reordered", "none".
std::string HunkClassesText(const HunkClassCounts& counts);
// "1 thread pair", "3 thread pairs".
std::string CountOf(size_t n, const std::string& noun);
// One line for stderr/stdout: "identical: 12 thread pairs, ..." or "diverged: ...".
std::string Verdict(const DiffResult& result);

}  // namespace de
