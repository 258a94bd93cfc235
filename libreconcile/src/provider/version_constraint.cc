#include "provider/version_constraint.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace reconcile::plugin {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool ParseNumber(std::string_view text, long* out) {
  if (text.empty() || text.size() > 9) return false;
  long n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  *out = n;
  return true;
}

}  // namespace

bool Version::Parse(std::string_view text, Version* out) {
  text = Trim(text);
  if (!text.empty() && text.front() == 'v') text.remove_prefix(1);
  Version v;
  std::size_t dash = text.find_first_of("-+");
  if (dash != std::string_view::npos) {
    if (text[dash] == '-') v.prerelease = std::string(text.substr(dash + 1));
    text = text.substr(0, dash);
  }
  while (true) {
    std::size_t dot = text.find('.');
    long n = 0;
    if (!ParseNumber(text.substr(0, dot), &n)) return false;
    v.numbers.push_back(n);
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  *out = std::move(v);
  return true;
}

int Version::Compare(const Version& other) const {
  std::size_t count = std::max(numbers.size(), other.numbers.size());
  for (std::size_t i = 0; i < count; ++i) {
    long a = i < numbers.size() ? numbers[i] : 0;
    long b = i < other.numbers.size() ? other.numbers[i] : 0;
    if (a != b) return a < b ? -1 : 1;
  }
  if (prerelease == other.prerelease) return 0;
  if (prerelease.empty()) return 1;
  if (other.prerelease.empty()) return -1;
  return prerelease < other.prerelease ? -1 : 1;
}

std::string Version::ToString() const {
  std::string out;
  for (long n : numbers) out += (out.empty() ? "" : ".") + std::to_string(n);
  if (!prerelease.empty()) out += "-" + prerelease;
  return out;
}

bool VersionConstraint::Parse(std::string_view text, VersionConstraint* out, std::string* error) {
  VersionConstraint c;
  c.text_ = std::string(Trim(text));
  std::string_view rest = c.text_;
  while (!Trim(rest).empty()) {
    std::size_t comma = rest.find(',');
    if (!ParseTerm(Trim(rest.substr(0, comma)), &c.terms_, error)) return false;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  *out = std::move(c);
  return true;
}

bool VersionConstraint::ParseTerm(std::string_view text, std::vector<Term>* out,
                                  std::string* error) {
  static constexpr std::pair<std::string_view, Op> kOps[] = {
      {">=", Op::kGreaterEqual}, {"<=", Op::kLessEqual}, {"!=", Op::kNotEqual}, {"~>", Op::kEqual},
      {">", Op::kGreater},       {"<", Op::kLess},       {"=", Op::kEqual}};
  std::string_view op_text;
  Op op = Op::kEqual;
  for (const auto& [symbol, symbol_op] : kOps) {
    if (text.substr(0, symbol.size()) == symbol) {
      op_text = symbol;
      op = symbol_op;
      break;
    }
  }
  Version v;
  if (!Version::Parse(text.substr(op_text.size()), &v)) {
    *error = "\"" + std::string(text) + "\" is not a version constraint (expected an operator " +
             "=, !=, >, >=, <, <= or ~> followed by a version such as 1.2.3)";
    return false;
  }
  if (op_text != "~>") {
    out->push_back(Term{op, std::move(v)});
    return true;
  }
  // Pessimistic: at least v, below the next release of the second-to-last number.
  Version upper;
  std::size_t bump = v.numbers.size() >= 2 ? v.numbers.size() - 2 : 0;
  upper.numbers.assign(v.numbers.begin(), v.numbers.begin() + static_cast<long>(bump) + 1);
  ++upper.numbers.back();
  out->push_back(Term{Op::kGreaterEqual, std::move(v)});
  out->push_back(Term{Op::kLess, std::move(upper)});
  return true;
}

bool VersionConstraint::Matches(const Version& version) const {
  for (const Term& term : terms_) {
    int c = version.Compare(term.version);
    bool ok = false;
    switch (term.op) {
      case Op::kEqual:
        ok = c == 0;
        break;
      case Op::kNotEqual:
        ok = c != 0;
        break;
      case Op::kGreater:
        ok = c > 0;
        break;
      case Op::kGreaterEqual:
        ok = c >= 0;
        break;
      case Op::kLess:
        ok = c < 0;
        break;
      case Op::kLessEqual:
        ok = c <= 0;
        break;
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace reconcile::plugin
