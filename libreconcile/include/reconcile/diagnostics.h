// Diagnostics: what went wrong (or may have), where, and what would be right.
#pragma once

#include <string>
#include <vector>

namespace reconcile {

// A place in a source file; lines and columns count from 1. An empty file
// name means "no location".
struct SourceRange {
  std::string file;
  int line = 0;
  int column = 0;
  int end_line = 0;
  int end_column = 0;

  bool valid() const { return !file.empty(); }
  // "main.toml:12:5" (or just the file when line is unknown).
  std::string ToString() const;
};

enum class Severity { kError, kWarning };

// One finding: severity, a one-line summary, detail saying what was expected or
// what to do, and where it is about (a source range and/or a resource address).
struct Diagnostic {
  Severity severity = Severity::kError;
  std::string summary;
  std::string detail;
  SourceRange range;
  std::string address;  // resource instance address, when about one

  // "main.toml:12:5: error: summary\n  detail" (detail lines indented).
  std::string ToString() const;
};

// An ordered collection of diagnostics; every error of a run is reported
// together, so callers collect rather than stop at the first.
class Diagnostics {
 public:
  void Add(Diagnostic d) { items_.push_back(std::move(d)); }
  void Error(std::string summary, std::string detail = {}, SourceRange range = {});
  void Warning(std::string summary, std::string detail = {}, SourceRange range = {});
  void Append(const Diagnostics& other);

  bool HasErrors() const;
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const Diagnostic& operator[](std::size_t i) const { return items_[i]; }
  std::vector<Diagnostic>::const_iterator begin() const { return items_.begin(); }
  std::vector<Diagnostic>::const_iterator end() const { return items_.end(); }
  std::vector<Diagnostic>& items() { return items_; }

  // Every diagnostic's ToString, separated by blank lines.
  std::string ToString() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace reconcile
