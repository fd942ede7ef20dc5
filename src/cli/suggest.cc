#include "suggest.h"

#include <algorithm>

namespace de {

size_t EditDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance, three rows.
  std::vector<size_t> prev2(b.size() + 1), prev(b.size() + 1), row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        row[j] = std::min(row[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, row);
  }
  return prev[b.size()];
}

std::string ClosestName(std::string_view typed, const std::vector<std::string>& candidates) {
  size_t limit = typed.size() >= 8 ? 3 : 2;
  std::string best;
  size_t best_distance = limit + 1;
  for (const std::string& name : candidates) {
    size_t d = EditDistance(typed, name);
    if (d < best_distance && d < std::max(name.size(), typed.size())) {
      best = name;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace de
