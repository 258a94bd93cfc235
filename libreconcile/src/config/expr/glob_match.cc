#include "config/expr/glob_match.h"

#include <vector>

namespace reconcile::config {
namespace {

constexpr std::string_view kWildcards = "*?[{\\";

// Splits on "/" (empty segments kept).
std::vector<std::string_view> Segments(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = text.find('/', start);
    out.push_back(text.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) return out;
    start = slash + 1;
  }
}

// The index just past the "]" closing the class that starts at p[i] == '['.
std::size_t ClassEnd(std::string_view p, std::size_t i) {
  std::size_t j = i + 1;
  if (j < p.size() && (p[j] == '^' || p[j] == '!')) ++j;
  if (j < p.size() && p[j] == ']') ++j;  // a leading "]" is a member
  while (j < p.size() && p[j] != ']') j += p[j] == '\\' ? 2 : 1;
  return j < p.size() ? j + 1 : std::string_view::npos;
}

// The index just past the "}" closing the alternatives at p[i] == '{'.
std::size_t BraceEnd(std::string_view p, std::size_t i) {
  int depth = 0;
  for (std::size_t j = i; j < p.size(); ++j) {
    if (p[j] == '\\') {
      ++j;
    } else if (p[j] == '{') {
      ++depth;
    } else if (p[j] == '}' && --depth == 0) {
      return j + 1;
    }
  }
  return std::string_view::npos;
}

bool ClassMatches(std::string_view cls, char c) {
  std::size_t j = 1;
  bool negate = j < cls.size() && (cls[j] == '^' || cls[j] == '!');
  if (negate) ++j;
  bool found = false;
  const std::size_t end = cls.size() - 1;  // the closing "]"
  for (bool first = true; j < end; first = false) {
    if (cls[j] == ']' && !first) break;
    char low = cls[j] == '\\' && j + 1 < end ? cls[++j] : cls[j];
    ++j;
    char high = low;
    if (j + 1 < end && cls[j] == '-') {
      high = cls[j + 1] == '\\' && j + 2 < end ? cls[j + 2] : cls[j + 1];
      j += cls[j + 1] == '\\' ? 3 : 2;
    }
    if (c >= low && c <= high) found = true;
  }
  return found != negate;
}

// One segment (no "/") of a pattern against one name.
bool MatchSegment(std::string_view p, std::string_view s) {
  std::size_t pi = 0, si = 0;
  while (pi < p.size()) {
    const char c = p[pi];
    if (c == '*') {
      while (pi < p.size() && p[pi] == '*') ++pi;
      for (std::size_t k = si; k <= s.size(); ++k)
        if (MatchSegment(p.substr(pi), s.substr(k))) return true;
      return false;
    }
    if (c == '{' && BraceEnd(p, pi) != std::string_view::npos) {
      const std::size_t close = BraceEnd(p, pi) - 1;
      const std::string_view rest = p.substr(close + 1);
      std::size_t start = pi + 1;
      int depth = 0;
      for (std::size_t j = pi + 1; j <= close; ++j) {
        if (j < close) {
          if (p[j] == '\\') {
            ++j;
            continue;
          }
          if (p[j] == '{') ++depth;
          if (p[j] == '}') --depth;
          if (p[j] != ',' || depth != 0) continue;
        }
        std::string alternative(p.substr(start, j - start));
        alternative += rest;
        if (MatchSegment(alternative, s.substr(si))) return true;
        start = j + 1;
      }
      return false;
    }
    if (si >= s.size()) return false;
    if (c == '?') {
      // One character (a whole UTF-8 sequence).
      ++si;
      while (si < s.size() && (static_cast<unsigned char>(s[si]) & 0xC0) == 0x80) ++si;
      ++pi;
    } else if (c == '[' && ClassEnd(p, pi) != std::string_view::npos) {
      const std::size_t end = ClassEnd(p, pi);
      if (!ClassMatches(p.substr(pi, end - pi), s[si])) return false;
      pi = end;
      ++si;
    } else {
      const char literal = c == '\\' && pi + 1 < p.size() ? p[++pi] : c;
      if (literal != s[si]) return false;
      ++pi;
      ++si;
    }
  }
  return si == s.size();
}

bool MatchSegments(const std::vector<std::string_view>& p, std::size_t pi,
                   const std::vector<std::string_view>& s, std::size_t si) {
  if (pi == p.size()) return si == s.size();
  if (p[pi] == "**") {
    for (std::size_t k = si; k <= s.size(); ++k)
      if (MatchSegments(p, pi + 1, s, k)) return true;
    return false;
  }
  return si < s.size() && MatchSegment(p[pi], s[si]) && MatchSegments(p, pi + 1, s, si + 1);
}

}  // namespace

bool ValidGlob(std::string_view pattern, std::string* error) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      if (++i >= pattern.size()) {
        *error = "the pattern ends with an unfinished \"\\\" escape";
        return false;
      }
    } else if (pattern[i] == '[') {
      const std::size_t end = ClassEnd(pattern, i);
      if (end == std::string_view::npos) {
        *error = "a \"[\" character class is not closed with \"]\"";
        return false;
      }
      i = end - 1;
    } else if (pattern[i] == '{') {
      const std::size_t end = BraceEnd(pattern, i);
      if (end == std::string_view::npos) {
        *error = "a \"{\" group of alternatives is not closed with \"}\"";
        return false;
      }
      if (pattern.substr(i, end - i).find('/') != std::string_view::npos) {
        *error = "alternatives in \"{...}\" cannot contain \"/\"";
        return false;
      }
    }
  }
  return true;
}

bool GlobMatch(std::string_view pattern, std::string_view path) {
  return MatchSegments(Segments(pattern), 0, Segments(path), 0);
}

std::string GlobStaticPrefix(std::string_view pattern) {
  std::string prefix;
  const std::vector<std::string_view> segments = Segments(pattern);
  for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
    if (segments[i].find_first_of(kWildcards) != std::string_view::npos) break;
    if (!prefix.empty()) prefix += '/';
    prefix += segments[i];
  }
  return prefix;
}

}  // namespace reconcile::config
