#include "ci_outputs.h"

#include <cstdio>
#include <cstdlib>

#include "diff_events/report/append_file.h"
#include "diff_events/report/atomic_file.h"
#include "diff_events/report/ci_reports.h"

namespace de {
namespace {

std::string StepSummaryPath() {
  const char* path = std::getenv("GITHUB_STEP_SUMMARY");
  return path ? path : "";
}

template <typename Result>
void WriteCiOutputs(const CiOutputs& o, const Result& result, std::string (*junit)(const Result&),
                    std::string (*annotations)(const Result&),
                    std::string (*summary)(const Result&)) {
  // Render first: nothing is written unless every output exists.
  std::string junit_xml = o.junit.empty() ? "" : junit(result);
  std::string commands = o.annotations.empty() ? "" : annotations(result);
  std::string summary_path = StepSummaryPath();
  std::string summary_md = summary_path.empty() ? "" : summary(result);
  if (!o.junit.empty()) WriteFileAtomically(o.junit, junit_xml);
  if (!summary_path.empty()) AppendToFile(summary_path, summary_md);
  // Workflow commands go to stderr: stdout may be carrying the report, and the runner reads both.
  std::fputs(commands.c_str(), stderr);
}

}  // namespace

void AddCiOptions(CLI::App& app, CiOutputs& o) {
  app.add_option("--junit", o.junit, "JUnit XML: one test case per thread pair (CI test reports)");
  app.add_option("--annotations", o.annotations,
                 "CI annotations on stderr: 'github' prints ::error/::warning workflow commands")
      ->check(CLI::IsMember({"github"}));
}

std::vector<std::string> CiOutputFiles(const CiOutputs& o) {
  std::vector<std::string> files;
  if (!o.junit.empty()) files.push_back(o.junit);
  std::string summary = StepSummaryPath();
  if (!summary.empty()) files.push_back(summary);
  return files;
}

void WriteDiffCiOutputs(const CiOutputs& o, const DiffResult& result) {
  WriteCiOutputs<DiffResult>(o, result, RenderDiffJunit, RenderDiffGithubAnnotations,
                             RenderDiffStepSummary);
}

void WriteFiresCiOutputs(const CiOutputs& o, const FiresResult& result) {
  WriteCiOutputs<FiresResult>(o, result, RenderFiresJunit, RenderFiresGithubAnnotations,
                              RenderFiresStepSummary);
}

}  // namespace de
