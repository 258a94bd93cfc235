// Talking to the user: colour, diagnostics, questions.
#pragma once

#include <string>

#include "command.h"
#include "reconcile/diagnostics.h"

namespace reconcile::tool {

// Colour is on when stdout is a terminal, NO_COLOR is unset, TERM is not
// "dumb" and --no-color was not given.
bool UseColor(const GlobalOptions& global);
// Wraps text in an ANSI colour code when `on`: "red", "green", "yellow", "bold".
std::string Paint(bool on, const std::string& color, const std::string& text);

// Prints every diagnostic to stderr (errors and warnings), separated by blank lines.
void PrintDiagnostics(const GlobalOptions& global, const Diagnostics& diags);
void PrintError(const GlobalOptions& global, const std::string& summary, const std::string& detail);

// Asks on the terminal; true only for the answer "yes".
bool AskYes(const std::string& question, const std::string& explanation);

}  // namespace reconcile::tool
