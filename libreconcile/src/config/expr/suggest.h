// "Did you mean ...?": the closest known name to a misspelt one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace reconcile::config {

// Optimal-string-alignment edit distance (insertions, deletions,
// substitutions and adjacent transpositions each cost 1).
int EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a plausible
// typo (at most 2 edits and less than half the word); "" otherwise.
std::string ClosestName(std::string_view word, const std::vector<std::string>& candidates);

// ` (did you mean "x"?)`-style suffix for a message, or "" without a match.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates,
                       std::string_view prefix = "");

}  // namespace reconcile::config
