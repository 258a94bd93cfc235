// Talking to the user: colour, diagnostics, questions.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "command.h"
#include "reconcile/diagnostics.h"

namespace reconcile::tool {

// Whether text written to `stream` is coloured: only on a terminal, with
// NO_COLOR unset, TERM not "dumb" and no --no-color.
bool UseColor(const GlobalOptions& global, std::FILE* stream = stdout);

// What a piece of text is, for its colour.
enum class Style { kStrong, kSuccess, kWarning, kError };

// `text` in the colour of `style` when `enabled`, else unchanged. The one place
// the tool writes terminal escape codes.
std::string Styled(bool enabled, Style style, std::string_view text);

// Prints every diagnostic to stderr (errors and warnings), separated by blank lines.
void PrintDiagnostics(const GlobalOptions& global, const Diagnostics& diags);
void PrintError(const GlobalOptions& global, const std::string& summary, const std::string& detail);

// Asks on the terminal; true only for the answer "yes".
bool AskYes(const std::string& question, const std::string& explanation);

}  // namespace reconcile::tool
