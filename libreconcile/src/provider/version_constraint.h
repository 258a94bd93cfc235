// Provider versions ("1.2.3", "0.1", "2.0.0-beta1") and the constraints a stack
// pins them with: "= 1.2.3", ">= 0.1", "~> 1.0", "< 2", "!= 1.3", comma-combined.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace reconcile::plugin {

struct Version {
  std::vector<long> numbers;  // as written: {1, 2} for "1.2"
  std::string prerelease;     // "beta1" for "1.0.0-beta1"

  static bool Parse(std::string_view text, Version* out);
  // Compares numerically, missing numbers counting as 0; a prerelease sorts
  // before its release.
  int Compare(const Version& other) const;
  std::string ToString() const;
};

// A conjunction of version terms. "~> 1.2" means ">= 1.2, < 2.0" and
// "~> 1.2.3" means ">= 1.2.3, < 1.3"; a bare version means "=".
class VersionConstraint {
 public:
  // An empty or blank text accepts every version.
  static bool Parse(std::string_view text, VersionConstraint* out, std::string* error);
  bool Matches(const Version& version) const;
  bool empty() const { return terms_.empty(); }
  const std::string& text() const { return text_; }

 private:
  enum class Op : unsigned char { kEqual, kNotEqual, kGreater, kGreaterEqual, kLess, kLessEqual };
  struct Term {
    Op op;
    Version version;
  };
  static bool ParseTerm(std::string_view text, std::vector<Term>* out, std::string* error);

  std::vector<Term> terms_;
  std::string text_;
};

}  // namespace reconcile::plugin
