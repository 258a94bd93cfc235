// String functions: join, split, upper, lower, title, replace, regex,
// regexall, trimspace, trim, trimprefix, trimsuffix, chomp, startswith,
// endswith, substr, strrev, indent, formatlist, tostring, tonumber (format
// lives in format_function.cc). Lengths and offsets count Unicode characters.
#include "config/expr/functions_string.h"

#include <algorithm>
#include <optional>
#include <string>

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


Value Title(const std::vector<Value>& args, CallContext& call) {
  std::string text;
  if (!call.GetString(args, 0, &text)) return Value();
  bool after_separator = true;
  for (char& c : text) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || (static_cast<unsigned char>(c) & 0x80) != 0;
    if (after_separator && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    after_separator = !word;
  }
  return Value::String(std::move(text));
}

// The UTF-8 characters of `text`, each as its bytes.
std::vector<std::string> Characters(const std::string& text) {
  std::vector<std::string> out;
  for (const Value& c : SplitCharacters(text)) out.push_back(c.AsString());
  return out;
}

Value Trim(const std::vector<Value>& args, CallContext& call) {
  std::string text, cutset;
  if (!call.GetString(args, 0, &text) || !call.GetString(args, 1, &cutset)) return Value();
  const std::vector<std::string> cut = Characters(cutset);
  std::vector<std::string> chars = Characters(text);
  auto in_cutset = [&](const std::string& c) {
    return std::find(cut.begin(), cut.end(), c) != cut.end();
  };
  std::size_t begin = 0, end = chars.size();
  while (begin < end && in_cutset(chars[begin])) ++begin;
  while (end > begin && in_cutset(chars[end - 1])) --end;
  std::string out;
  for (std::size_t i = begin; i < end; ++i) out += chars[i];
  return Value::String(std::move(out));
}

Value TrimPrefix(const std::vector<Value>& args, CallContext& call) {
  std::string text, prefix;
  if (!call.GetString(args, 0, &text) || !call.GetString(args, 1, &prefix)) return Value();
  if (text.starts_with(prefix)) text.erase(0, prefix.size());
  return Value::String(std::move(text));
}

Value TrimSuffix(const std::vector<Value>& args, CallContext& call) {
  std::string text, suffix;
  if (!call.GetString(args, 0, &text) || !call.GetString(args, 1, &suffix)) return Value();
  if (text.ends_with(suffix)) text.erase(text.size() - suffix.size());
  return Value::String(std::move(text));
}

Value Chomp(const std::vector<Value>& args, CallContext& call) {
  std::string text;
  if (!call.GetString(args, 0, &text)) return Value();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return Value::String(std::move(text));
}

Value StartsWith(const std::vector<Value>& args, CallContext& call) {
  std::string text, prefix;
  if (!call.GetString(args, 0, &text) || !call.GetString(args, 1, &prefix)) return Value();
  return Value::Bool(text.starts_with(prefix));
}

Value EndsWith(const std::vector<Value>& args, CallContext& call) {
  std::string text, suffix;
  if (!call.GetString(args, 0, &text) || !call.GetString(args, 1, &suffix)) return Value();
  return Value::Bool(text.ends_with(suffix));
}

Value Substr(const std::vector<Value>& args, CallContext& call) {
  std::string text;
  std::int64_t offset = 0, length = 0;
  if (!call.GetString(args, 0, &text) || !call.GetInteger(args, 1, &offset) ||
      !call.GetInteger(args, 2, &length))
    return Value();
  const std::vector<std::string> chars = Characters(text);
  const auto total = static_cast<std::int64_t>(chars.size());
  if (offset < 0) offset += total;
  if (offset < 0) {
    call.ArgumentError(1, "the offset is before the start of the string");
    return Value();
  }
  std::string out;
  for (std::int64_t i = offset; i < total && (length < 0 || i < offset + length); ++i)
    out += chars[static_cast<std::size_t>(i)];
  return Value::String(std::move(out));
}

Value StrRev(const std::vector<Value>& args, CallContext& call) {
  std::string text;
  if (!call.GetString(args, 0, &text)) return Value();
  std::vector<std::string> chars = Characters(text);
  std::string out;
  for (auto it = chars.rbegin(); it != chars.rend(); ++it) out += *it;
  return Value::String(std::move(out));
}

Value Indent(const std::vector<Value>& args, CallContext& call) {
  std::int64_t spaces = 0;
  std::string text;
  if (!call.GetInteger(args, 0, &spaces) || !call.GetString(args, 1, &text)) return Value();
  if (spaces < 0 || spaces > 1024) {
    call.ArgumentError(0, "the number of spaces must be from 0 to 1024, got " + std::to_string(spaces));
    return Value();
  }
  const std::string pad(static_cast<std::size_t>(spaces), ' ');
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return Value::String(std::move(out));
}

// formatlist: format() once per element of the list arguments (which must
// have one length); other arguments are repeated.
Value FormatList(const std::vector<Value>& args, CallContext& call) {
  std::size_t rows = 1;
  std::size_t first_list = 0;
  bool any_list = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (!args[i].is_list()) continue;
    const std::size_t length = args[i].AsList().size();
    if (!any_list) {
      rows = length;
      first_list = i;
      any_list = true;
    } else if (length != rows) {
      call.ArgumentError(i, "argument " + std::to_string(i + 1) + " has " + std::to_string(length) +
                                " elements, but argument " + std::to_string(first_list + 1) +
                                " has " + std::to_string(rows));
      return Value();
    }
  }
  ValueList out;
  out.reserve(rows);
  for (std::size_t row = 0; row < rows; ++row) {
    std::vector<Value> row_args{args[0]};
    for (std::size_t i = 1; i < args.size(); ++i)
      row_args.push_back(args[i].is_list() ? MarkIf(args[i].AsList()[row], args[i].sensitive())
                                           : args[i]);
    Value line = FormatFunction(row_args, call);
    if (line.is_null()) return Value();
    out.push_back(std::move(line));
  }
  return Value::List(std::move(out));
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
      {"title", "title(string)", 1, 1, false, false, Title},
      {"regex", "regex(pattern, string)", 2, 2, false, false, RegexFunction},
      {"regexall", "regexall(pattern, string)", 2, 2, false, false, RegexAll},
      {"trimspace", "trimspace(string)", 1, 1, false, false, TrimSpace},
      {"trim", "trim(string, cutset)", 2, 2, false, false, Trim},
      {"trimprefix", "trimprefix(string, prefix)", 2, 2, false, false, TrimPrefix},
      {"trimsuffix", "trimsuffix(string, suffix)", 2, 2, false, false, TrimSuffix},
      {"chomp", "chomp(string)", 1, 1, false, false, Chomp},
      {"startswith", "startswith(string, prefix)", 2, 2, false, false, StartsWith},
      {"endswith", "endswith(string, suffix)", 2, 2, false, false, EndsWith},
      {"substr", "substr(string, offset, length)", 3, 3, false, false, Substr},
      {"strrev", "strrev(string)", 1, 1, false, false, StrRev},
      {"indent", "indent(spaces, string)", 2, 2, false, false, Indent},
      {"formatlist", "formatlist(format, args...)", 1, -1, false, false, FormatList},
      {"tostring", "tostring(value)", 1, 1, false, false, ToStringFunction},
      {"tonumber", "tonumber(value)", 1, 1, false, false, ToNumberFunction},
  };
}

}  // namespace reconcile::config
