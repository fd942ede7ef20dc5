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
// "1 thread pair", "3 thread pairs".
std::string CountOf(size_t n, const std::string& noun);
// One line for stderr/stdout: "identical: 12 thread pairs, ..." or "diverged: ...".
std::string Verdict(const DiffResult& result);

}  // namespace de
