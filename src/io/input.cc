#include "diff_events/io/input.h"

#include <sys/stat.h>

#include <algorithm>

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

// Decompresses the input again from its start, copying out the requested byte ranges on the way.
class StreamRereader : public LineRereader {
 public:
  StreamRereader(ByteSourceOpener reopen, std::string name)
      : reopen_(std::move(reopen)), name_(std::move(name)) {}
  std::string Fetch(uint64_t offset, uint32_t size) const override {
    std::string text;
    std::vector<Request> one{{offset, size, &text}};
    FetchAll(one);
    return text;
  }
  void FetchAll(std::vector<Request>& requests) const override {
    std::vector<const Request*> order;
    for (const Request& r : requests) order.push_back(&r);
    std::sort(order.begin(), order.end(),
              [](const Request* a, const Request* b) { return a->offset < b->offset; });
    std::unique_ptr<ByteSource> source = Decompressing(reopen_());
    std::vector<char> buf(1 << 20);
    uint64_t pos = 0;  // input offset of buf[0]
    size_t next = 0;   // the first request not complete yet
    while (next < order.size()) {
      size_t n = source->Read(buf.data(), buf.size());
      if (n == 0) throw InputError(name_, 0, "the input changed since it was read (it is shorter)");
      uint64_t end = pos + n;
      for (size_t i = next; i < order.size() && order[i]->offset < end; ++i) {
        const Request& r = *order[i];
        uint64_t from = std::max(r.offset, pos), to = std::min(r.offset + r.size, end);
        if (from < to) r.into->append(buf.data() + (from - pos), static_cast<size_t>(to - from));
      }
      while (next < order.size() && order[next]->offset + order[next]->size <= end) ++next;
      pos = end;
    }
  }

 private:
  ByteSourceOpener reopen_;
  std::string name_;
};

}  // namespace

void LineRereader::FetchAll(std::vector<Request>& requests) const {
  for (Request& r : requests) r.into->append(Fetch(r.offset, r.size));
}

std::shared_ptr<const LineRereader> MakeStreamRereader(ByteSourceOpener reopen, std::string name) {
  return std::make_shared<StreamRereader>(std::move(reopen), std::move(name));
}

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
  // A compressed file cannot seek: its few reported lines are read back by decompressing it
  // again at the end, rather than keeping the text of every line that waits for its partner.
  if (!input.rereader && input.reopen) input.rereader = MakeStreamRereader(input.reopen, path);
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
