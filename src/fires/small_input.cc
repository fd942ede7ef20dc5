#include "diff_events/fires/small_input.h"

#include "diff_events/io/byte_source.h"

namespace de {

SmallInput ReadSmallInput(const std::string& path) {
  auto source = OpenInput(path);
  SmallInput input{source->name(), {}};
  char buf[1 << 16];
  for (size_t n; (n = source->Read(buf, sizeof buf)) > 0;) input.text.append(buf, n);
  return input;
}

}  // namespace de
