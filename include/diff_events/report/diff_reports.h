// Renderers of a DiffResult, one per format, behind one signature (hyperfine's exporters):
// each turns the same immutable, already sorted result into bytes, so the same input gives
// byte-identical reports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "diff_events/align/diff_result.h"

namespace de {

class TextSink;

using DiffRenderer = std::string (*)(const DiffResult&);
using DiffWriter = void (*)(const DiffResult&, TextSink&);

std::string RenderDiffMarkdown(const DiffResult& result);
std::string RenderDiffCsv(const DiffResult& result);
std::string RenderDiffJson(const DiffResult& result);
// The same JSON straight into `out`, a pair at a time: never held whole (--json).
void WriteDiffJson(const DiffResult& result, TextSink& out);
// One self-contained HTML page: swimlane chart of every thread pair (density, divergences, end
// states, causes) and the markdown report's tables.
std::string RenderDiffHtml(const DiffResult& result);
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
// A duration a person reads: 870 ns, 23.1 µs, 154.2 ms, 1.70 s.
std::string DurationText(int64_t ns);
// A host_ns as a number, "—" when the thread had no event.
std::string HostNsText(const std::optional<int64_t>& ns);
// The markdown and HTML reports list this many differing call names per pair (all are in the
// CSV and JSON).
constexpr size_t kTopCallCounts = 20;
// A short handle for prose: its first 8 hex digits and an ellipsis.
std::string ShortHandle(const std::string& handle);
// In plain words: "ours tid 13 waits forever on Event d5e2… (wait.begin at idx 433). In canary,
// tid 17 signals it: NtSetEvent ×8 (first at idx 347). Ours never signals it."
std::string WaitText(const WaitAnalysis& wait);
// "root", "consequence of canary tid 18 (via Thread 7611…)".
std::string CauseText(const Cause& cause);
// "1 root divergence explains 3 diverging pairs", "" when no pair has a cause: the line every
// report leads its root causes with.
std::string CausesHeadline(const DiffResult& result);
// "2 replaced, 1 reordered", "none".
std::string HunkClassesText(const HunkClassCounts& counts);
// "1 thread pair", "3 thread pairs".
std::string CountOf(size_t n, const std::string& noun);
// "NtSetEvent: 812 calls in ours, never logged in canary".
std::string CaptureWarningText(const CaptureWarning& warning);
// What the capture-visibility warnings mean, before the list of calls (every format leads with
// it): "Each call below occurs at least N times … different logging settings."
std::string CaptureWarningMeaning(uint64_t threshold);
// "NtSetEvent (canary 0 calls, ours 812)".
std::string MaskedText(const MaskedCall& masked);
// One line for stderr/stdout: "identical: 12 thread pairs, ..." or "diverged: ...".
std::string Verdict(const DiffResult& result);

}  // namespace de
