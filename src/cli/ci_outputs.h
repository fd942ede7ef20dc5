// The CI outputs both comparing commands offer: --junit FILE, --annotations github (workflow
// commands on stderr) and, when GITHUB_STEP_SUMMARY is set, a section appended to that file.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "diff_events/align/diff_result.h"
#include "diff_events/fires/fires_result.h"

namespace de {

struct CiOutputs {
  std::string junit;        // "" = none
  std::string annotations;  // "" or "github"
};

void AddCiOptions(CLI::App& app, CiOutputs& o);

// Files the run will write (for CheckOutputPaths before the long run): the JUnit file and the
// step summary file.
std::vector<std::string> CiOutputFiles(const CiOutputs& o);

// Renders and writes every requested CI output. Call after the main reports were written.
void WriteDiffCiOutputs(const CiOutputs& o, const DiffResult& result);
void WriteFiresCiOutputs(const CiOutputs& o, const FiresResult& result);

}  // namespace de
