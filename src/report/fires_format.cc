#include "diff_events/report/fires_format.h"

#include <fmt/format.h>

#include "diff_events/fires/hex.h"

namespace de {

std::string JoinDecimal(const std::vector<uint64_t>& values, const char* sep) {
  return fmt::format("{}", fmt::join(values, sep));
}

std::string JoinDecimal(const SmallList<uint64_t>& values, const char* sep) {
  return fmt::format("{}", fmt::join(values, sep));
}

std::string JoinHandles(const SideOfKey& side, const char* sep) {
  std::string out;
  for (uint64_t handle : side.handles) {
    if (!out.empty()) out += sep;
    out += Hex32(handle);
  }
  if (side.handles_truncated) out += std::string(sep) + "+more";
  return out;
}

std::string JoinNames(const std::vector<std::string>& names, const char* sep) {
  return fmt::format("{}", fmt::join(names, sep));
}

std::string RatioPercent(const KeyRow& row) { return fmt::format("{:.2f}", row.ratio() * 100); }

}  // namespace de
