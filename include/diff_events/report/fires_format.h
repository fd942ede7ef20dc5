// Cell formats shared by the fires renderers: how lists of tids, handles and families read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diff_events/fires/fires_result.h"

namespace de {

std::string JoinDecimal(const std::vector<uint64_t>& values, const char* sep);
std::string JoinDecimal(const SmallList<uint64_t>& values, const char* sep);
// Handles as 0x%08x; "+more" at the end when the key had more than were kept.
std::string JoinHandles(const SideOfKey& side, const char* sep);
std::string JoinNames(const std::vector<std::string>& names, const char* sep);
// 100 * ours / canary with two decimals ("50.00").
std::string RatioPercent(const KeyRow& row);

}  // namespace de
