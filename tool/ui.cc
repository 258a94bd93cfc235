#include "ui.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace reconcile::tool {

bool UseColor(const GlobalOptions& global) {
  if (global.no_color) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string(term) == "dumb") return false;
  return isatty(STDOUT_FILENO) != 0;
}

std::string Paint(bool on, const std::string& color, const std::string& text) {
  if (!on) return text;
  const char* code = "0";
  if (color == "red") code = "31";
  else if (color == "green") code = "32";
  else if (color == "yellow") code = "33";
  else if (color == "cyan") code = "36";
  else if (color == "bold") code = "1";
  return std::string("\033[") + code + "m" + text + "\033[0m";
}

void PrintDiagnostics(const GlobalOptions& global, const Diagnostics& diags) {
  bool color = UseColor(global) && isatty(STDERR_FILENO);
  bool first = true;
  for (const Diagnostic& d : diags) {
    std::string text = d.ToString();
    if (color) {
      const std::string label = d.severity == Severity::kError ? "error:" : "warning:";
      std::size_t at = text.find(label);
      if (at != std::string::npos)
        text.replace(at, label.size(),
                     Paint(true, d.severity == Severity::kError ? "red" : "yellow", label));
    }
    if (!d.address.empty() && d.range.valid()) text += "\n  (resource " + d.address + ")";
    std::fprintf(stderr, "%s%s\n", first ? "" : "\n", text.c_str());
    first = false;
  }
}

void PrintError(const GlobalOptions& global, const std::string& summary, const std::string& detail) {
  Diagnostics diags;
  diags.Error(summary, detail);
  PrintDiagnostics(global, diags);
}

bool AskYes(const std::string& question, const std::string& explanation) {
  std::printf("\n%s\n  %s\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ",
              question.c_str(), explanation.c_str());
  std::fflush(stdout);
  std::string answer;
  if (!std::getline(std::cin, answer)) {
    std::printf("\n");
    return false;
  }
  return answer == "yes";
}

}  // namespace reconcile::tool
