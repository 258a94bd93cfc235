#include "config/toml/toml_error.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

namespace reconcile::config {
namespace {

// One "N | text" line of a toml11 message with the marker under it.
struct Annotation {
  int line = 0;
  int column = 0;
  std::string comment;
};

std::string TrimCopy(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// Reads toml11's source excerpts: " 12 | code" followed by "    |   ^--- note".
std::vector<Annotation> ParseAnnotations(const std::vector<std::string>& lines) {
  std::vector<Annotation> out;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    const std::string& code = lines[i];
    std::size_t bar = code.find(" | ");
    if (bar == std::string::npos) continue;
    std::string number = TrimCopy(std::string_view(code).substr(0, bar));
    if (number.empty() || number.size() > 9 ||
        !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    const std::string& marker = lines[i + 1];
    std::size_t marker_bar = marker.find('|');
    if (marker_bar == std::string::npos || marker_bar != bar + 1) continue;
    std::size_t start = marker.find_first_of("^~", marker_bar);
    if (start == std::string::npos) continue;
    Annotation a;
    a.line = std::stoi(number);
    a.column = static_cast<int>(start - (marker_bar + 2)) + 1;
    std::size_t text_at = marker.find_first_not_of("^~- ", start);
    if (text_at != std::string::npos)
      a.comment = TrimCopy(std::string_view(marker).substr(text_at));
    out.push_back(std::move(a));
  }
  return out;
}

// "[error] toml::parse_array: missing separator" -> "missing separator";
// empty when toml11 gave only its function's name.
std::string MessageOf(std::string first_line) {
  const std::string error_tag = "[error] ";
  if (first_line.rfind(error_tag, 0) == 0) first_line.erase(0, error_tag.size());
  if (first_line.rfind("toml::", 0) == 0) {
    std::size_t colon = first_line.find(':', 6);
    first_line.erase(0, colon == std::string::npos ? first_line.size() : colon + 1);
  }
  first_line = TrimCopy(first_line);
  while (!first_line.empty() && first_line.back() == '.') first_line.pop_back();
  return first_line;
}

// "Invalid TOML: " and the message, capitalised; `value ("a.b") already
// exists` reads `Key "a.b" is defined twice`.
std::string ReadableSummary(std::string message) {
  for (const auto& [kind, noun] :
       {std::pair<std::string, std::string>{"value (", "Key "}, {"table (", "Table "}}) {
    const std::string tail = ") already exists";
    if (message.rfind(kind, 0) == 0 && message.size() > kind.size() + tail.size() &&
        message.compare(message.size() - tail.size(), tail.size(), tail) == 0) {
      return "Invalid TOML: " + noun +
             message.substr(kind.size(), message.size() - kind.size() - tail.size()) +
             " is defined twice";
    }
  }
  if (message.empty()) message = "the file could not be parsed";
  message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
  return "Invalid TOML: " + message;
}

}  // namespace

// toml11's message as one diagnostic at the place it marks (its last excerpt;
// the note there and earlier excerpts become detail lines).
void ReportToml11Error(const std::string& what, const std::string& display_name,
                       Diagnostics& diags) {
  std::vector<std::string> lines;
  std::istringstream stream(what);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  if (lines.empty()) lines.emplace_back();
  std::vector<Annotation> annotations = ParseAnnotations(lines);
  std::string message = MessageOf(lines.front());

  SourceRange range{display_name, 0, 0};
  std::string detail;
  if (!annotations.empty()) {
    const Annotation& primary = annotations.back();
    range.line = primary.line;
    range.column = primary.column;
    if (message.empty()) {
      message = primary.comment;  // the note is all toml11 says
    } else if (primary.comment != "here") {
      detail = primary.comment;
    }
    for (std::size_t i = 0; i + 1 < annotations.size(); ++i) {
      if (!detail.empty()) detail += "\n";
      detail += "line " + std::to_string(annotations[i].line) + ": " + annotations[i].comment;
    }
  }
  for (const std::string& line : lines) {
    if (line.rfind("Hint: ", 0) != 0) continue;
    if (!detail.empty()) detail += "\n";
    detail += line.substr(6);
  }
  diags.Error(ReadableSummary(std::move(message)), detail, range);
}

}  // namespace reconcile::config
