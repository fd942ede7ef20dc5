// Report sets appear whole or not at all (ccache's AtomicFile, mold's output file). Every file
// of a set is written to a temp file beside its target and flushed first; only when all are
// complete are they put in place, so a failure (disk full, a device that refuses) leaves the
// previous set untouched. The temp file is anonymous (O_TMPFILE) while it is written, so even
// SIGKILL or a power cut leaves nothing visible; it gets a short name (".deXXXXXX") only for the
// link-then-rename at the end, or where the filesystem has no O_TMPFILE. A named temp file still
// pending when a terminating signal arrives is unlinked by the signal handler.
#pragma once

#include <string>
#include <vector>

namespace de {

struct OutputFile {
  std::string path;  // "-" is stdout
  std::string content;
};

// Writes every file or none. Devices, pipes, "-" and /dev/stdout-like paths are written in
// place, after every regular file is staged and before any is put in place. A file whose
// directory we may not write but which is itself writable is rewritten in place too. Throws
// UsageError (exit 2) naming the path on any failure, leaving no temp file behind.
void WriteFilesAtomically(const std::vector<OutputFile>& files);

// One file: WriteFilesAtomically({{path, content}}).
void WriteFileAtomically(const std::string& path, const std::string& content);

// Installs handlers for the terminating signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1,
// SIGUSR2, SIGALRM, ...) that remove pending temp files before dying; one the parent set to be
// ignored stays ignored, but for SIGINT and SIGTERM (call once).
void InstallTempFileCleanup();

}  // namespace de
