// Report files appear whole or not at all (ccache's AtomicFile, mold's output file): content goes
// to a temp file beside the target, is flushed and closed with errors checked, then renamed.
// A temp file still pending when SIGINT/SIGTERM arrives is unlinked by the signal handler.
#pragma once

#include <string>

namespace de {

// Writes `content` to `path` atomically; "-" writes to stdout. Throws UsageError (exit 2) naming
// the path on any failure (missing directory, read-only, disk full), leaving no file behind.
void WriteFileAtomically(const std::string& path, const std::string& content);

// Installs SIGINT/SIGTERM handlers that remove pending temp files before dying (call once).
void InstallTempFileCleanup();

}  // namespace de
