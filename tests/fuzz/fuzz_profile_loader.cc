// libFuzzer target: arbitrary bytes as a --profile file. Any outcome but a loaded profile (that
// the decoder's rule tables accept) or an InputError naming the file is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "diff_events/canon/allocator_ordinals.h"
#include "diff_events/canon/field_filter.h"
#include "diff_events/canon/profile.h"
#include "diff_events/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = [] {
    char name[] = "/tmp/fuzz_profile_XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) std::abort();
    close(fd);
    return std::string(name);
  }();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    de::Profile profile = de::LoadProfile(path);
    de::FieldFilter filter(profile);
    de::AllocatorOrdinals ordinals(profile);
    for (const std::string& name : profile.allocators)
      if (profile.canonicalize_allocators && ordinals.AllocatorIndex(name) < 0) std::abort();
    (void)profile.DescribeRules();
  } catch (const de::InputError& e) {
    if (e.file() != path) std::abort();
  }
  return 0;
}
