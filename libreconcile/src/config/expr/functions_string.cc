// String functions: join, split, upper, lower, replace, regex, regexall,
// trimspace, tostring, tonumber (format lives in format_function.cc).
#include "config/expr/functions_string.h"

#include <optional>

#include "config/expr/conversion.h"
#include "config/expr/format_function.h"
#include "core/regex.h"

namespace reconcile::config {
namespace {

Value Join(const std::vector<Value>& args, CallContext& call) {
  std::string separator;
  if (!call.GetString(args, 0, &separator)) return Value();
  std::string out;
  bool first = true;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const ValueList* list = nullptr;
    if (!call.GetList(args, i, &list)) return Value();
    for (std::size_t j = 0; j < list->size(); ++j) {
      std::string text;
      if (!ToText((*list)[j], &text)) {
        call.ArgumentError(i, "element " + std::to_string(j) + " is " +
                                  std::string((*list)[j].kind_name()) + ", not a string");
        return Value();
      }
      if (!first) out += separator;
      out += text;
      first = false;
    }
  }
  return Value::String(std::move(out));
}

// Splits into UTF-8 characters (for an empty separator).
ValueList SplitCharacters(const std::string& text) {
  ValueList parts;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = 1;
    while (i + length < text.size() && (static_cast<unsigned char>(text[i + length]) & 0xC0) == 0x80)
      ++length;
    parts.push_back(Value::String(text.substr(i, length)));
    i += length;
  }
  return parts;
}

Value Split(const std::vector<Value>& args, CallContext& call) {
  std::string separator, text;
  if (!call.GetString(args, 0, &separator) || !call.GetString(args, 1, &text)) return Value();
  if (separator.empty()) return Value::List(SplitCharacters(text));
  ValueList parts;
  std::size_t start = 0;
  while (true) {
    std::size_t at = text.find(separator, start);
    if (at == std::string::npos) break;
    parts.push_back(Value::String(text.substr(start, at - start)));
    start = at + separator.size();
  }
  parts.push_back(Value::String(text.substr(start)));
  return Value::List(std::move(parts));
}

Value ChangeCase(const std::vector<Value>& args, CallContext& call, bool upper) {
  std::string text;
  if (!call.GetString(args, 0, &text)) return Value();
  for (char& c : text) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return Value::String(std::move(text));
}

Value Upper(const std::vector<Value>& args, CallContext& call) {
  return ChangeCase(args, call, true);
}

Value Lower(const std::vector<Value>& args, CallContext& call) {
  return ChangeCase(args, call, false);
}

// Argument `i` compiled as a regular expression, or nullopt after reporting
// why RE2 refused it.
std::optional<Regex> CompilePattern(const std::string& pattern, std::size_t i, CallContext& call) {
  std::string problem;
  std::optional<Regex> regex = Regex::Compile(pattern, &problem);
  if (!regex) {
    call.ArgumentError(
        i, "invalid regular expression: " + problem,
        "Patterns use RE2 syntax, as in Terraform: https://github.com/google/re2/wiki/Syntax");
  }
  return regex;
}

Value ReplaceRegex(const std::string& text, const std::string& pattern,
                   const std::string& replacement, CallContext& call) {
  std::optional<Regex> regex = CompilePattern(pattern, 1, call);
  if (!regex) return Value();
  return Value::String(regex->ReplaceAll(text, replacement));
}

Value Replace(const std::vector<Value>& args, CallContext& call) {
  std::string text, search, replacement;
  if (!call.GetString(args, 0, &text) || !call.GetString(args, 1, &search) ||
      !call.GetString(args, 2, &replacement)) {
    return Value();
  }
  if (search.size() >= 2 && search.front() == '/' && search.back() == '/') {
    return ReplaceRegex(text, search.substr(1, search.size() - 2), replacement, call);
  }
  if (search.empty()) return Value::String(std::move(text));
  std::string out;
  std::size_t start = 0;
  for (std::size_t at; (at = text.find(search, start)) != std::string::npos;) {
    out.append(text, start, at - start);
    out += replacement;
    start = at + search.size();
  }
  out.append(text, start, std::string::npos);
  return Value::String(std::move(out));
}

// What regex() returns for one match, by the pattern's groups as Terraform
// does: no groups, the matched text; unnamed groups, a list of them; named
// groups, a map by name. A group that took no part is null.
Value MatchResult(const Regex& regex, const Regex::Match& match) {
  auto group_value = [&](int i) {
    const auto& part = match[static_cast<std::size_t>(i)];
    return part ? Value::String(std::string(*part)) : Value();
  };
  if (regex.GroupCount() == 0) return group_value(0);
  if (regex.GroupName(1).empty()) {
    ValueList groups;
    for (int i = 1; i <= regex.GroupCount(); ++i) groups.push_back(group_value(i));
    return Value::List(std::move(groups));
  }
  ValueMap groups;
  for (int i = 1; i <= regex.GroupCount(); ++i) groups[regex.GroupName(i)] = group_value(i);
  return Value::Map(std::move(groups));
}

// The pattern of regex()/regexall(), refused when it mixes named and unnamed
// groups (its result would be neither a list nor a map).
std::optional<Regex> ResultPattern(const std::vector<Value>& args, CallContext& call,
                                   std::string* text) {
  std::string pattern;
  if (!call.GetString(args, 0, &pattern) || !call.GetString(args, 1, text)) return std::nullopt;
  std::optional<Regex> regex = CompilePattern(pattern, 0, call);
  if (!regex) return std::nullopt;
  bool named = false, unnamed = false;
  for (int i = 1; i <= regex->GroupCount(); ++i)
    (regex->GroupName(i).empty() ? unnamed : named) = true;
  if (named && unnamed) {
    call.ArgumentError(0, "a pattern cannot mix named and unnamed capture groups");
    return std::nullopt;
  }
  return regex;
}

Value RegexFunction(const std::vector<Value>& args, CallContext& call) {
  std::string text;
  std::optional<Regex> regex = ResultPattern(args, call, &text);
  if (!regex) return Value();
  std::optional<Regex::Match> match = regex->Find(text);
  if (!match) {
    call.Error("the pattern did not match any part of the given string");
    return Value();
  }
  return MatchResult(*regex, *match);
}

Value RegexAll(const std::vector<Value>& args, CallContext& call) {
  std::string text;
  std::optional<Regex> regex = ResultPattern(args, call, &text);
  if (!regex) return Value();
  ValueList results;
  for (const Regex::Match& match : regex->FindAll(text))
    results.push_back(MatchResult(*regex, match));
  return Value::List(std::move(results));
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

Value TrimSpace(const std::vector<Value>& args, CallContext& call) {
  std::string text;
  if (!call.GetString(args, 0, &text)) return Value();
  std::size_t begin = 0, end = text.size();
  while (begin < end && IsSpace(text[begin])) ++begin;
  while (end > begin && IsSpace(text[end - 1])) --end;
  return Value::String(text.substr(begin, end - begin));
}

Value ToStringFunction(const std::vector<Value>& args, CallContext& call) {
  if (args[0].is_null()) return Value();
  std::string text;
  if (ToText(args[0], &text)) return Value::String(std::move(text));
  call.ArgumentError(0, "a string, number or bool is required, got " +
                            std::string(args[0].kind_name()));
  return Value();
}

Value ToNumberFunction(const std::vector<Value>& args, CallContext& call) {
  if (args[0].is_null()) return Value();
  double n = 0;
  if (ToNumber(args[0], &n)) return Value::Number(n);
  call.ArgumentError(0, "cannot convert " + DescribeValue(args[0]) + " to a number");
  return Value();
}

}  // namespace

std::vector<Function> StringFunctions() {
  return {
      {"format", "format(format, args...)", 1, -1, false, false, FormatFunction},
      {"join", "join(separator, list...)", 2, -1, false, false, Join},
      {"split", "split(separator, string)", 2, 2, false, false, Split},
      {"upper", "upper(string)", 1, 1, false, false, Upper},
      {"lower", "lower(string)", 1, 1, false, false, Lower},
      {"replace", "replace(string, search, replacement)", 3, 3, false, false, Replace},
      {"regex", "regex(pattern, string)", 2, 2, false, false, RegexFunction},
      {"regexall", "regexall(pattern, string)", 2, 2, false, false, RegexAll},
      {"trimspace", "trimspace(string)", 1, 1, false, false, TrimSpace},
      {"tostring", "tostring(value)", 1, 1, false, false, ToStringFunction},
      {"tonumber", "tonumber(value)", 1, 1, false, false, ToNumberFunction},
  };
}

}  // namespace reconcile::config
