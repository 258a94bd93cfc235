// Shell completion. `reconcile completion bash|zsh|fish` prints a small script
// that asks `reconcile __complete WORD...` for the candidates of the word
// being typed, so the command tree stays the one source: commands, flags and
// the values a value name stands for (command.h) — workspace names from the
// stack's backend, addresses from the workspace's state, paths, fixed words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace reconcile::tool {

// The hidden command the scripts call; it is not listed anywhere.
inline constexpr const char* kCompleteCommand = "__complete";

// Prints the candidates for the last of `words` (the words after the
// program's name, the last one being typed, maybe empty), one per line as
// "candidate<TAB>description" or just "candidate". A first line ":files" or
// ":dirs" asks the shell to complete a path instead. Errors (no stack, an
// unreachable backend) leave the list empty. Returns the exit code.
int RunCompletion(const CLI::App& root, const std::vector<std::string>& words);

// The shells a script exists for, and the script for one of them ("" for
// another).
const std::vector<std::string>& CompletionShells();
std::string CompletionScript(std::string_view shell);

}  // namespace reconcile::tool
