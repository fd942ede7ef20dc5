#include "diff_events/io/read_progress.h"

#include <sys/stat.h>
#include <unistd.h>

namespace de {
namespace {

// Sits between the raw file and the decompressor, so compressed inputs count compressed bytes:
// those are what the file's size is measured in.
class CountingSource : public ByteSource {
 public:
  CountingSource(std::unique_ptr<ByteSource> inner, ReadProgress* progress,
                 std::shared_ptr<ReadProgress> owner = nullptr)
      : inner_(std::move(inner)), progress_(progress), owner_(std::move(owner)) {}
  size_t Read(char* dst, size_t capacity) override {
    size_t n = inner_->Read(dst, capacity);
    progress_->bytes.fetch_add(n, std::memory_order_relaxed);
    return n;
  }
  const std::string& name() const override { return inner_->name(); }

 private:
  std::unique_ptr<ByteSource> inner_;
  ReadProgress* progress_;
  std::shared_ptr<ReadProgress> owner_;
};

uint64_t RegularFileSize(const std::string& path) {
  struct stat st;
  int rc = path == "-" ? fstat(STDIN_FILENO, &st) : stat(path.c_str(), &st);
  return rc == 0 && S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
}

}  // namespace

ReadProgress::ReadProgress(std::string input_path)
    : path(std::move(input_path)), total(RegularFileSize(path)) {}

std::unique_ptr<ByteSource> CountingRawSource(std::unique_ptr<ByteSource> raw,
                                              std::shared_ptr<ReadProgress> progress) {
  ReadProgress* p = progress.get();
  return std::make_unique<CountingSource>(std::move(raw), p, std::move(progress));
}

std::unique_ptr<ByteSource> OpenCountedInput(const std::string& path, ReadProgress* progress) {
  std::unique_ptr<ByteSource> raw = OpenRawSource(path);
  if (progress) raw = std::make_unique<CountingSource>(std::move(raw), progress);
  return Decompressing(std::move(raw));
}

}  // namespace de
