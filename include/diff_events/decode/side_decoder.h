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

#include "diff_events/canon/pointer_identity.h"
#include "diff_events/canon/profile.h"
#include "diff_events/decode/event.h"
#include "diff_events/io/byte_source.h"

namespace de {

class SideDecoder {
 public:
  struct Options {
    // False: batches carry no line text (EventBatch::Raw is empty), for inputs that can be
    // read again by offset.
    bool keep_text = true;
    // A compressed input is decompressed on a thread of its own (DecompressingAhead): worth it
    // when the other input is much smaller, so that its core would idle; on two inputs of
    // similar size both cores are busy anyway and the hand-over only costs.
    bool read_ahead = false;
    // Decoded by two threads, every other batch prepared ahead (EventDecoder::Prepare): for an
    // input much bigger than the other, whose decoder would otherwise leave a core idle. The
    // batches are the same either way.
    bool split = false;
    size_t batch_bytes = size_t{1} << 20;  // line text per batch (tests cut small batches)
  };
  // `bytes` is the opened input, raw (it is sniffed and decompressed on the thread); `name` is what
  // error messages call it.
  SideDecoder(std::unique_ptr<ByteSource> bytes, std::string name, const Profile& profile,
              Options options);
  SideDecoder(std::unique_ptr<ByteSource> bytes, std::string name, const Profile& profile)
      : SideDecoder(std::move(bytes), std::move(name), profile, Options{}) {}
  ~SideDecoder();  // stops the thread; joins it, or lets it go when it is blocked in a read

  void Start();
  // The next batch in file order, or nullptr at the end. Rethrows the decoder's InputError.
  std::unique_ptr<EventBatch> Next();
  // Gives a consumed batch back so its buffers are reused.
  void Recycle(std::unique_ptr<EventBatch> batch);

  const std::string& name() const;
  // True once a destructor had to let a blocked thread go: the process must then end with
  // _exit, not run static destructors under that thread.
  static bool AnyDetached();
  // Valid once Next() has returned nullptr (or any batch): the header's engine name.
  std::string engine() const;
  uint64_t input_bytes() const;  // decompressed bytes read so far
  // Once the whole input was decoded: what its pointers stood for (EventDecoder::TakePointers);
  // null before, after an error, or when pointers are not canonicalized.
  std::shared_ptr<const SidePointers> pointers() const;

 private:
  // Everything the decoding thread touches. The thread holds it too, so that on an error
  // elsewhere the destructor can let a thread blocked in read() (a silent pipe) go instead of
  // waiting for it forever; the process exits soon after.
  struct State;
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace de
