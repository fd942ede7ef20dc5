#include "diff_events/io/input.h"

#include <sys/stat.h>

#include "diff_events/input_error.h"
#include "diff_events/io/line_fetcher.h"

namespace de {
namespace {

class FileRereader : public LineRereader {
 public:
  explicit FileRereader(const std::string& path) : fetcher_(path) {}
  std::string Fetch(uint64_t offset, uint32_t size) const override {
    return fetcher_.Fetch(offset, size);
  }

 private:
  LineFetcher fetcher_;
};

class MemoryRereader : public LineRereader {
 public:
  MemoryRereader(std::string text, std::string name)
      : text_(std::move(text)), name_(std::move(name)) {}
  std::string Fetch(uint64_t offset, uint32_t size) const override {
    if (offset + size > text_.size()) throw InputError(name_, 0, "line out of range");
    return text_.substr(static_cast<size_t>(offset), size);
  }

 private:
  std::string text_;
  std::string name_;
};

}  // namespace

Input OpenDiffInput(const std::string& path) {
  Input input;
  input.path = path;
  input.progress = std::make_shared<ReadProgress>(path);
  input.bytes = CountingRawSource(OpenRawSource(path), input.progress);
  // Opened now, while the bytes are open too: a file replaced later is not the one we read.
  if (IsSeekablePlainFile(path)) input.rereader = std::make_shared<FileRereader>(path);
  struct stat st;
  if (path != "-" && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
    input.reopen = [path] { return ReopenRawSource(path); };
  return input;
}

Input MemoryInput(std::string text, std::string name, bool rereadable) {
  Input input;
  input.path = name;
  if (rereadable) {
    input.rereader = std::make_shared<MemoryRereader>(text, name);
    input.reopen = [text, name] { return MakeMemorySource(text, name); };
  }
  input.bytes = MakeMemorySource(std::move(text), std::move(name));
  return input;
}

}  // namespace de
