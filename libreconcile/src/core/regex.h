// Regular expressions in Terraform's syntax, which is Go's RE2: matching is
// linear in the text whatever the pattern (no backreferences, no
// backtracking), so a pattern from a stack file cannot hang or overflow
// anything. RE2 does the work; this header keeps it out of every other file.
// Searches follow Go's regexp package exactly (leftmost-first matches; the
// "All" forms skip an empty match right after a previous match), so the
// stack functions replace, regex and regexall answer as Terraform's do.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}  // namespace re2

namespace reconcile {

class Regex {
 public:
  // One match: group 0 is the whole match, then each capture group in order;
  // a group that took no part in the match is nullopt. The views point into
  // the searched text.
  using Match = std::vector<std::optional<std::string_view>>;

  // nullopt, with RE2's reason in *error ("missing ): (a"), when the
  // pattern is not valid RE2 syntax or too large to compile.
  static std::optional<Regex> Compile(std::string_view pattern, std::string* error);

  // Whether the pattern matches anywhere in `text` / the whole of `text`.
  bool Search(std::string_view text) const;
  bool FullMatch(std::string_view text) const;

  // The leftmost match, or nullopt.
  std::optional<Match> Find(std::string_view text) const;
  // Every non-overlapping match from left to right (Go's FindAllSubmatch).
  std::vector<Match> FindAll(std::string_view text) const;
  // Every match replaced by `replacement`, in which $1 or ${1} is group 1,
  // $name or ${name} the named group, and $$ a literal $; a group that does
  // not exist or took no part is empty (Go's ReplaceAllString).
  std::string ReplaceAll(std::string_view text, std::string_view replacement) const;

  // The number of capture groups, and each one's name ("" when unnamed):
  // GroupName(1) is the first group's.
  int GroupCount() const;
  const std::string& GroupName(int group) const;

 private:
  explicit Regex(std::shared_ptr<const re2::RE2> re);
  // The match starting the search at byte `from` of `text` (context before
  // it still counts for ^ and \b), or false.
  bool MatchFrom(std::string_view text, std::size_t from, int groups, Match* out) const;
  void Expand(std::string_view replacement, const Match& match, std::string* out) const;

  std::shared_ptr<const re2::RE2> re_;
  std::vector<std::string> group_names_;  // index 0 unused
};

}  // namespace reconcile
