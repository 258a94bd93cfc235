#include "reconcile/diagnostics.h"

namespace reconcile {

std::string SourceRange::ToString() const {
  if (file.empty()) return {};
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

std::string Diagnostic::ToString() const {
  std::string out;
  if (range.valid()) out += range.ToString() + ": ";
  out += severity == Severity::kError ? "error: " : "warning: ";
  if (!address.empty() && !range.valid()) out += address + ": ";
  out += summary;
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
