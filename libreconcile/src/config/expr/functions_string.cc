// String functions: join, split, upper, lower, replace, trimspace, tostring,
// tonumber (format lives in format_function.cc).
#include "config/expr/functions_string.h"

#include <regex>

#include "config/expr/conversion.h"
#include "config/expr/format_function.h"

namespace reconcile::config {
namespace {

// Regular expressions run on bounded input: std::regex is slow on long text.
constexpr std::size_t kMaxRegexPattern = 256;
constexpr std::size_t kMaxRegexSubject = 2048;

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

Value ReplaceRegex(const std::string& text, const std::string& pattern,
                   const std::string& replacement, CallContext& call) {
  if (pattern.size() > kMaxRegexPattern || text.size() > kMaxRegexSubject) {
    call.Error("a regular expression may be at most " + std::to_string(kMaxRegexPattern) +
               " bytes and the string it searches at most " + std::to_string(kMaxRegexSubject));
    return Value();
  }
  try {
    std::regex regex(pattern, std::regex::ECMAScript | std::regex_constants::__polynomial);
    return Value::String(std::regex_replace(text, regex, replacement));
  } catch (const std::exception& e) {
    call.ArgumentError(1, "invalid regular expression /" + pattern + "/", e.what());
    return Value();
  }
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

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

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
      {"trimspace", "trimspace(string)", 1, 1, false, false, TrimSpace},
      {"tostring", "tostring(value)", 1, 1, false, false, ToStringFunction},
      {"tonumber", "tonumber(value)", 1, 1, false, false, ToNumberFunction},
  };
}

}  // namespace reconcile::config
