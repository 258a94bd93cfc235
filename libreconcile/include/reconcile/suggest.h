// "Did you mean ...?" for tools built on the library: the suggester the stack
// language's own messages use for misspelt names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace reconcile {

// The candidate closest to `word` when it is a plausible typo of it (at most
// two edits, and fewer than half its length); "" when none is.
std::string ClosestName(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace reconcile
