// Reports for CI systems, rendered from the same immutable results as the others: JUnit XML (one
// test case per thread pair, or per missing / under-firing key), GitHub workflow-command
// annotations, and the markdown appended to a GitHub step summary.
#pragma once

#include <string>
#include <string_view>

#include "diff_events/align/diff_result.h"
#include "diff_events/fires/fires_result.h"

namespace de {

// JUnit XML as GitLab, Jenkins and most CI systems read it. A divergent pair is a failure whose
// message is its first-divergence line; an unpaired thread is a failing test case too.
std::string RenderDiffJunit(const DiffResult& result);
// Missing and under-firing keys are failing test cases; the keys that fire in both engines and
// those only ours fires are one passing test case each.
std::string RenderFiresJunit(const FiresResult& result);

// "::error title=...::message" lines: one per divergent pair or unpaired thread, "::warning" for
// pairs accepted as truncated. Each level is capped so a CI page stays readable, with a last line
// saying how many were left out.
std::string RenderDiffGithubAnnotations(const DiffResult& result);
// Missing keys are errors, under-firing keys and newly missing baseline keys warnings / errors.
std::string RenderFiresGithubAnnotations(const FiresResult& result);

// A short markdown section: the verdict and a table of per-pair verdicts.
std::string RenderDiffStepSummary(const DiffResult& result);
std::string RenderFiresStepSummary(const FiresResult& result);

// Escaping for workflow commands: data escapes %, CR and LF; property values also ':' and ','.
std::string GithubEscapeData(std::string_view text);
std::string GithubEscapeProperty(std::string_view text);
// XML text and attribute escaping; characters XML 1.0 cannot hold become U+FFFD.
std::string XmlEscape(std::string_view text);

}  // namespace de
