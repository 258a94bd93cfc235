#include "core/regex.h"

#include <algorithm>

#include <re2/re2.h>

#include "core/utf8.h"

namespace reconcile {
namespace {

// The bytes of the UTF-8 character at `pos` (1 for a byte that does not
// start a valid one, 0 at the end), as Go's utf8.DecodeRuneInString counts
// them: the searches step over one character after an empty match.
std::size_t CharacterWidth(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return 0;
  return std::max<std::size_t>(Utf8SequenceLength(text, pos), 1);
}

bool IsNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// A group reference after a '$' in a replacement: "1", "{1}", "name" or
// "{name}". `number` is -1 for a name (or a number with a leading zero, as
// in Go, which never names a group).
struct GroupReference {
  std::string_view name;
  int number = -1;
  std::string_view rest;  // the replacement after the reference
};

std::optional<GroupReference> ReadGroupReference(std::string_view text) {
  const bool braced = !text.empty() && text.front() == '{';
  if (braced) text.remove_prefix(1);
  std::size_t length = 0;
  while (length < text.size() && IsNameCharacter(text[length])) ++length;
  if (length == 0 || (braced && (length == text.size() || text[length] != '}')))
    return std::nullopt;
  GroupReference ref{.name = text.substr(0, length),
                     .rest = text.substr(length + (braced ? 1 : 0))};
  int number = 0;
  for (char c : ref.name) {
    if (c < '0' || c > '9' || number >= 100'000'000) return ref;
    number = number * 10 + (c - '0');
  }
  if (ref.name.size() == 1 || ref.name.front() != '0') ref.number = number;
  return ref;
}

// Where a match (or group) starts in `text`.
std::size_t OffsetIn(std::string_view text, std::string_view part) {
  return static_cast<std::size_t>(part.data() - text.data());
}

}  // namespace

Regex::Regex(std::shared_ptr<const re2::RE2> re) : re_(std::move(re)) {
  group_names_.resize(static_cast<std::size_t>(re_->NumberOfCapturingGroups()) + 1);
  for (const auto& [index, name] : re_->CapturingGroupNames())
    group_names_[static_cast<std::size_t>(index)] = name;
}

std::optional<Regex> Regex::Compile(std::string_view pattern, std::string* error) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re =
      std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    *error = re->error();
    return std::nullopt;
  }
  return Regex(std::move(re));
}

int Regex::GroupCount() const { return static_cast<int>(group_names_.size()) - 1; }

const std::string& Regex::GroupName(int group) const {
  return group_names_.at(static_cast<std::size_t>(group));
}

bool Regex::Search(std::string_view text) const {
  return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

bool Regex::FullMatch(std::string_view text) const {
  return re2::RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

bool Regex::MatchFrom(std::string_view text, std::size_t from, int groups, Match* out) const {
  if (text.data() == nullptr) text = std::string_view("", 0);
  std::vector<re2::StringPiece> parts(static_cast<std::size_t>(groups) + 1);
  if (!re_->Match(re2::StringPiece(text.data(), text.size()), from, text.size(),
                  re2::RE2::UNANCHORED, parts.data(), static_cast<int>(parts.size()))) {
    return false;
  }
  out->assign(parts.size(), std::nullopt);
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (parts[i].data() != nullptr) (*out)[i] = std::string_view(parts[i].data(), parts[i].size());
  return true;
}

std::optional<Regex::Match> Regex::Find(std::string_view text) const {
  Match match;
  if (!MatchFrom(text, 0, GroupCount(), &match)) return std::nullopt;
  return match;
}

std::vector<Regex::Match> Regex::FindAll(std::string_view text) const {
  std::vector<Match> matches;
  std::optional<std::size_t> previous_end;
  for (std::size_t pos = 0; pos <= text.size();) {
    Match match;
    if (!MatchFrom(text, pos, GroupCount(), &match)) break;
    const std::size_t start = OffsetIn(text, *match[0]);
    const std::size_t end = start + match[0]->size();
    bool accept = true;
    if (end == pos) {
      // An empty match: not one that abuts the previous match; step over a character.
      accept = previous_end != start;
      const std::size_t width = CharacterWidth(text, pos);
      pos += width > 0 ? width : 1;
    } else {
      pos = end;
    }
    previous_end = end;
    if (accept) matches.push_back(std::move(match));
  }
  return matches;
}

std::string Regex::ReplaceAll(std::string_view text, std::string_view replacement) const {
  const int groups = replacement.find('$') == std::string_view::npos ? 0 : GroupCount();
  std::string out;
  std::size_t last_end = 0;
  for (std::size_t pos = 0; pos <= text.size();) {
    Match match;
    if (!MatchFrom(text, pos, groups, &match)) break;
    const std::size_t start = OffsetIn(text, *match[0]);
    const std::size_t end = start + match[0]->size();
    out.append(text.substr(last_end, start - last_end));
    // No replacement for an empty match right after another match.
    if (end > last_end || start == 0) Expand(replacement, match, &out);
    last_end = end;
    const std::size_t width = CharacterWidth(text, pos);
    if (pos + width > end) {
      pos += width;
    } else if (pos + 1 > end) {
      ++pos;
    } else {
      pos = end;
    }
  }
  out.append(text.substr(std::min(last_end, text.size())));
  return out;
}

void Regex::Expand(std::string_view replacement, const Match& match, std::string* out) const {
  while (!replacement.empty()) {
    const std::size_t dollar = replacement.find('$');
    if (dollar == std::string_view::npos) break;
    out->append(replacement.substr(0, dollar));
    replacement.remove_prefix(dollar + 1);
    if (!replacement.empty() && replacement.front() == '$') {
      out->push_back('$');
      replacement.remove_prefix(1);
      continue;
    }
    std::optional<GroupReference> ref = ReadGroupReference(replacement);
    if (!ref) {
      out->push_back('$');  // not a reference: a literal '$'
      continue;
    }
    replacement = ref->rest;
    int group = ref->number;
    if (group < 0) {
      for (std::size_t i = 1; i < group_names_.size() && group < 0; ++i)
        if (group_names_[i] == ref->name) group = static_cast<int>(i);
    }
    if (group >= 0 && static_cast<std::size_t>(group) < match.size() &&
        match[static_cast<std::size_t>(group)])
      out->append(*match[static_cast<std::size_t>(group)]);
  }
  out->append(replacement);
}

}  // namespace reconcile
