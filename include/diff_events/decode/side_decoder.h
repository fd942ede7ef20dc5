// Reads and decodes one input on its own thread, handing batches of events to the aligner
// through a small bounded queue: both inputs are parsed concurrently, and memory stays at a few
// batches per side however long the trace is.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "diff_events/canon/profile.h"
#include "diff_events/decode/event.h"

namespace de {

class SideDecoder {
 public:
  SideDecoder(std::string path, const Profile& profile);
  ~SideDecoder();  // stops and joins the thread

  void Start();
  // The next batch in file order, or nullptr at the end. Rethrows the decoder's InputError.
  std::unique_ptr<EventBatch> Next();
  // Gives a consumed batch back so its buffers are reused.
  void Recycle(std::unique_ptr<EventBatch> batch);

  const std::string& path() const { return path_; }
  // Valid once Next() has returned nullptr (or any batch): the header's engine name.
  std::string engine() const;
  uint64_t input_bytes() const;  // decompressed bytes read so far

 private:
  void Run();
  void Push(std::unique_ptr<EventBatch> batch);
  std::unique_ptr<EventBatch> TakeFree();

  std::string path_;
  const Profile& profile_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<EventBatch>> ready_;
  std::deque<std::unique_ptr<EventBatch>> free_;
  bool done_ = false;
  bool stop_ = false;
  std::exception_ptr error_;
  std::string engine_;
  uint64_t input_bytes_ = 0;
};

}  // namespace de
