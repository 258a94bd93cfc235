#include "ui.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <fmt/color.h>
#include <fmt/format.h>

namespace reconcile::tool {

bool UseColor(const GlobalOptions& global, std::FILE* stream) {
  if (global.no_color) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return isatty(fileno(stream)) != 0;
}

std::string Styled(bool enabled, Style style, std::string_view text) {
  if (!enabled) return std::string(text);
  fmt::text_style look;
  switch (style) {
    case Style::kStrong:
      look = fmt::emphasis::bold;
      break;
    case Style::kSuccess:
      look = fmt::fg(fmt::terminal_color::green);
      break;
    case Style::kWarning:
      look = fmt::fg(fmt::terminal_color::yellow);
      break;
    case Style::kError:
      look = fmt::fg(fmt::terminal_color::red);
      break;
  }
  return fmt::format(look, "{}", text);
}

void PrintDiagnostics(const GlobalOptions& global, const Diagnostics& diags) {
  bool color = UseColor(global, stderr);
  bool first = true;
  for (const Diagnostic& d : diags) {
    std::string text = d.ToString();
    if (color) {
      bool error = d.severity == Severity::kError;
      std::string_view label = error ? "error:" : "warning:";
      std::size_t at = text.find(label);
      if (at != std::string::npos)
        text.replace(at, label.size(),
                     Styled(true, error ? Style::kError : Style::kWarning, label));
    }
    if (!d.address.empty() && d.range.valid()) text += fmt::format("\n  (resource {})", d.address);
    fmt::print(stderr, "{}{}\n", first ? "" : "\n", text);
    first = false;
  }
}

void PrintError(const GlobalOptions& global, const std::string& summary,
                const std::string& detail) {
  Diagnostics diags;
  diags.Error(summary, detail);
  PrintDiagnostics(global, diags);
}

bool AskYes(const std::string& question, const std::string& explanation) {
  fmt::print("\n{}\n  {}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ", question,
             explanation);
  std::fflush(stdout);
  std::string answer;
  if (!std::getline(std::cin, answer)) {
    fmt::print("\n");
    return false;
  }
  return answer == "yes";
}

}  // namespace reconcile::tool
