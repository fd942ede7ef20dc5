#include "diff_events/align/thread_pairer.h"

#include <algorithm>
#include <set>

#include "diff_events/input_error.h"

namespace de {
namespace {

uint64_t ParseTid(const std::string& text, const std::string& whole) {
  std::string t = text;
  while (!t.empty() && t.front() == ' ') t.erase(t.begin());
  while (!t.empty() && t.back() == ' ') t.pop_back();
  int base = 10;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    base = 16;
    t = t.substr(2);
  }
  if (t.empty() || t.find_first_not_of(base == 16 ? "0123456789abcdefABCDEF" : "0123456789") !=
                       std::string::npos) {
    throw UsageError("--tid-map: '" + text + "' in '" + whole + "' is not a thread id");
  }
  errno = 0;
  unsigned long long v = std::strtoull(t.c_str(), nullptr, base);
  if (errno == ERANGE) throw UsageError("--tid-map: thread id '" + text + "' is out of range");
  return v;
}

}  // namespace

std::vector<TidPair> ParseTidMap(const std::string& text) {
  std::vector<TidPair> pairs;
  std::set<uint64_t> canary_seen, ours_seen;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t eq = item.find('=');
    if (eq == std::string::npos) {
      throw UsageError("--tid-map: expected CANARY=OURS, got '" + item + "' in '" + text + "'");
    }
    TidPair pair{ParseTid(item.substr(0, eq), text), ParseTid(item.substr(eq + 1), text)};
    if (!canary_seen.insert(pair.first).second) {
      throw UsageError("--tid-map: canary tid " + std::to_string(pair.first) + " is mapped twice");
    }
    if (!ours_seen.insert(pair.second).second) {
      throw UsageError("--tid-map: ours tid " + std::to_string(pair.second) + " is mapped twice");
    }
    pairs.push_back(pair);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return pairs;
}

}  // namespace de
