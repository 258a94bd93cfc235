#include "reconcile/diagnostics.h"

#include <fmt/format.h>

namespace reconcile {

std::string SourceRange::ToString() const {
  if (file.empty()) return {};
  if (line <= 0) return file;
  if (column <= 0) return fmt::format("{}:{}", file, line);
  return fmt::format("{}:{}:{}", file, line, column);
}

std::string Diagnostic::ToString() const {
  // file:line:col: error: summary   (or)   error: address: summary
  std::string out = fmt::format("{}{}{}{}", range.valid() ? range.ToString() + ": " : "",
                                severity == Severity::kError ? "error: " : "warning: ",
                                !address.empty() && !range.valid() ? address + ": " : "", summary);
  if (!detail.empty()) {
    out += "\n  ";
    for (char c : detail) {
      out += c;
      if (c == '\n') out += "  ";
    }
  }
  return out;
}

void Diagnostics::Error(std::string summary, std::string detail, SourceRange range) {
  items_.push_back(Diagnostic{Severity::kError, std::move(summary), std::move(detail),
                              std::move(range), {}});
}

void Diagnostics::Warning(std::string summary, std::string detail, SourceRange range) {
  items_.push_back(Diagnostic{Severity::kWarning, std::move(summary), std::move(detail),
                              std::move(range), {}});
}

void Diagnostics::Append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::HasErrors() const {
  for (const Diagnostic& d : items_)
    if (d.severity == Severity::kError) return true;
  return false;
}

std::string Diagnostics::ToString() const {
  std::string out;
  for (const Diagnostic& d : items_) {
    if (!out.empty()) out += "\n\n";
    out += d.ToString();
  }
  return out;
}

}  // namespace reconcile
