// Report sets appear whole or not at all (ccache's AtomicFile, mold's output file). Every file
// of a set is written to a temp file beside its target and flushed first; only when all are
// complete are they put in place, so a failure (disk full, a device that refuses) leaves the
// previous set untouched. The temp file is anonymous (O_TMPFILE) while it is written, so even
// SIGKILL or a power cut leaves nothing visible; it gets a short name (".deXXXXXX") only for the
// link-then-rename at the end, or where the filesystem has no O_TMPFILE. A named temp file still
// pending when a terminating signal arrives is unlinked by the signal handler.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace de {

struct OutputFile {
  std::string path;  // "-" is stdout
  std::string content;
};

// Text rendered piece by piece, buffered: a renderer may write small pieces. A failing write
// throws (UsageError naming the file), so a renderer stops at the first one.
class TextSink {
 public:
  virtual ~TextSink() = default;
  void Write(std::string_view text) {
    if (buffer_.size() + text.size() > kBufferBytes) {
      Flush();
      if (text.size() >= kBufferBytes) return Emit(text);
    }
    buffer_.append(text.data(), text.size());
  }
  void Write(char c) { Write(std::string_view(&c, 1)); }
  void Flush() {
    if (buffer_.empty()) return;
    Emit(buffer_);
    buffer_.clear();
  }

 protected:
  static constexpr size_t kBufferBytes = size_t{1} << 16;
  virtual void Emit(std::string_view text) = 0;

 private:
  std::string buffer_;
};

// Collects the text in memory.
class StringSink final : public TextSink {
 public:
  std::string Take() {
    Flush();
    return std::move(text_);
  }

 private:
  void Emit(std::string_view text) override { text_.append(text.data(), text.size()); }
  std::string text_;
};

// One file of a set, rendered straight into its temp file (so a large report is never held in
// memory whole). `render` is called once, after the files before it in the set are staged.
struct StreamedOutput {
  std::string path;  // "-" is stdout
  std::function<void(TextSink&)> render;
};

// WriteFilesAtomically for rendered files: every file is rendered into its temp file; only when
// all are complete are they put in place. A render or write that fails midway (disk full)
// removes every temp file and leaves the previous set untouched.
void WriteStreamedFilesAtomically(const std::vector<StreamedOutput>& files);

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
