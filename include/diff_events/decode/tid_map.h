// A hash map keyed by guest thread id, filled fuller than robin_map's default allows.
#pragma once

#include <tsl/robin_map.h>

#include <cstdint>

namespace de {

// Each side keeps several maps by tid (decoder, behaviour, registry), and a trace may have
// 10^5 threads that all wait to pair at once. At robin_map's default maximum load (0.5) 100 000
// threads take 262 144 buckets, at 0.875 half as many; lookups of present keys, the common
// case here, stay short at that load.
template <class Value>
class TidMap : public tsl::robin_map<uint64_t, Value> {
 public:
  static constexpr float kMaxLoad = 0.875f;
  TidMap() { this->max_load_factor(kMaxLoad); }
};

}  // namespace de
