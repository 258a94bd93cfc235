#include "config/expr/suggest.h"

#include "reconcile/suggest.h"

#include <algorithm>

namespace reconcile::config {

int EditDistance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  // Three rolling rows: i-2, i-1 and i.
  std::vector<int> two_back(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int best = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = std::min(best, two_back[j - 2] + 1);
      current[j] = best;
    }
    std::swap(two_back, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

std::string ClosestName(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > 256) return {};
  const int limit = std::min<int>(2, static_cast<int>((word.size() + 1) / 2));
  std::string best;
  int best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    if (candidate == word || candidate.size() > 256) continue;
    int distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates,
                       std::string_view prefix) {
  std::string match = ClosestName(word, candidates);
  if (match.empty()) return {};
  return "; did you mean \"" + std::string(prefix) + match + "\"?";
}

}  // namespace reconcile::config

namespace reconcile {

std::string ClosestName(std::string_view word, const std::vector<std::string>& candidates) {
  return config::ClosestName(word, candidates);
}

}  // namespace reconcile
