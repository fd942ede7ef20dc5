// Which events a --mask drops, per thread: a masked call, its return, and the waits it began.
// Some engines log the return before the wait, so the waits until the thread's next call belong
// to it. One rule for the decoder (before alignment) and for the reports that read an input
// again (the trace export), so that both count the same events.
#pragma once

#include <cstdint>

#include "diff_events/decode/event.h"

namespace de {

class CallMaskState {
 public:
  // `name_masked`: the event's payload.name is a --mask name; `has_name`: it has a payload.name.
  bool Masked(EventClass cls, bool has_name, bool name_masked) {
    switch (cls) {
      case EventClass::kKernelCall:
        last_call_masked_ = name_masked;
        return name_masked;
      case EventClass::kKernelReturn:
        return has_name ? name_masked : last_call_masked_;
      case EventClass::kWaitBegin:
        if (!last_call_masked_) return false;
        ++masked_waits_;
        return true;
      case EventClass::kWaitEnd:
        if (masked_waits_ == 0) return false;
        --masked_waits_;
        return true;
      default:
        return false;
    }
  }

 private:
  bool last_call_masked_ = false;  // its return and waits are masked too
  uint32_t masked_waits_ = 0;      // masked wait.begin events without their wait.end
};

}  // namespace de
