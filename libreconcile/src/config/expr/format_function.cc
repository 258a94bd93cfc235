// format(): printf-style formatting with Terraform's verbs: %v %#v %s %q %t
// %d %b %o %x %X %e %E %f %F %g %G and %%, with flags, width and precision.
#include "config/expr/format_function.h"

#include <cstdio>
#include <string_view>

#include "config/expr/conversion.h"
#include "config/expr/functions.h"

namespace reconcile::config {
namespace {

constexpr int kMaxWidth = 1000;

struct Verb {
  std::string flags;  // of "-+ #0"
  int width = -1;
  int precision = -1;
  char letter = 0;
  std::size_t offset = 0;  // where the verb starts in the format string

  bool Has(char flag) const { return flags.find(flag) != std::string::npos; }
  std::string Text(std::string_view format) const {
    return std::string(format.substr(offset, 1)) + "..." + std::string(1, letter);
  }
};

std::size_t CountCharacters(std::string_view text) {
  std::size_t n = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// Cuts text to at most `count` UTF-8 characters.
std::string TruncateCharacters(const std::string& text, int count) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (seen == static_cast<std::size_t>(count)) return text.substr(0, i);
      ++seen;
    }
  }
  return text;
}

std::string Pad(std::string text, const Verb& verb) {
  std::size_t length = CountCharacters(text);
  if (verb.width < 0 || length >= static_cast<std::size_t>(verb.width)) return text;
  std::string padding(static_cast<std::size_t>(verb.width) - length, ' ');
  return verb.Has('-') ? text + padding : padding + text;
}

std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// Formats a number through snprintf with the verb's flags, width and precision.
std::string PrintfNumber(const Verb& verb, double n, bool integer) {
  std::string spec = "%" + verb.flags;
  if (verb.width >= 0) spec += std::to_string(verb.width);
  if (verb.precision >= 0 && !integer) spec += "." + std::to_string(verb.precision);
  std::vector<char> buf(static_cast<std::size_t>(kMaxWidth * 2 + 400));
  if (integer) {
    spec += std::string("ll") + (verb.letter == 'd' ? 'd' : verb.letter);
    std::snprintf(buf.data(), buf.size(), spec.c_str(), static_cast<long long>(n));
  } else {
    spec += verb.letter;
    std::snprintf(buf.data(), buf.size(), spec.c_str(), n);
  }
  return buf.data();
}

std::string Binary(long long n) {
  if (n == 0) return "0";
  bool negative = n < 0;
  unsigned long long magnitude =
      negative ? 0ULL - static_cast<unsigned long long>(n) : static_cast<unsigned long long>(n);
  std::string digits;
  for (; magnitude > 0; magnitude /= 2) digits.insert(digits.begin(), magnitude % 2 ? '1' : '0');
  return negative ? "-" + digits : digits;
}

class Formatter {
 public:
  Formatter(std::string_view format, const std::vector<Value>& args, CallContext& call)
      : format_(format), args_(args), call_(call) {}

  bool Run(std::string& out) {
    for (std::size_t i = 0; i < format_.size(); ++i) {
      if (format_[i] != '%') {
        out += format_[i];
        continue;
      }
      if (i + 1 < format_.size() && format_[i + 1] == '%') {
        out += '%';
        ++i;
        continue;
      }
      Verb verb;
      if (!ReadVerb(i, &verb) || !FormatArgument(verb, out)) return false;
      i = verb_end_ - 1;
    }
    if (next_arg_ < args_.size()) {
      call_.Error("too many arguments; the format string uses " +
                  std::to_string(next_arg_ - 1) + " of " + std::to_string(args_.size() - 1));
      return false;
    }
    return true;
  }

 private:
  bool ReadNumber(std::size_t& i, int* out) {
    int n = 0;
    bool any = false;
    while (i < format_.size() && format_[i] >= '0' && format_[i] <= '9') {
      n = n * 10 + (format_[i++] - '0');
      any = true;
      if (n > kMaxWidth) {
        call_.ArgumentError(0, "a width or precision may be at most " + std::to_string(kMaxWidth));
        return false;
      }
    }
    if (any) *out = n;
    return true;
  }

  bool ReadVerb(std::size_t start, Verb* verb) {
    verb->offset = start;
    std::size_t i = start + 1;
    while (i < format_.size() && std::string_view("-+ #0").find(format_[i]) != std::string_view::npos)
      verb->flags += format_[i++];
    if (!ReadNumber(i, &verb->width)) return false;
    if (i < format_.size() && format_[i] == '.') {
      ++i;
      verb->precision = 0;
      if (!ReadNumber(i, &verb->precision)) return false;
    }
    if (i >= format_.size()) {
      call_.ArgumentError(0, "the format string ends in the middle of a verb at offset " +
                                 std::to_string(start));
      return false;
    }
    verb->letter = format_[i];
    verb_end_ = i + 1;
    return true;
  }

  bool FormatArgument(const Verb& verb, std::string& out) {
    std::string verb_text(format_.substr(verb.offset, verb_end_ - verb.offset));
    if (next_arg_ >= args_.size()) {
      call_.Error("not enough arguments for \"" + verb_text + "\" at offset " +
                  std::to_string(verb.offset));
      return false;
    }
    const std::size_t index = next_arg_++;
    const Value& arg = args_[index];
    if (arg.is_null() && verb.letter != 'v') {
      call_.ArgumentError(index, "\"" + verb_text + "\" cannot format a null value");
      return false;
    }
    std::string text;
    if (!FormatValue(verb, verb_text, arg, index, &text)) return false;
    out += text;
    return true;
  }

  bool Mismatch(std::size_t index, const std::string& verb_text, std::string_view needs,
                const Value& arg) {
    call_.ArgumentError(index, "\"" + verb_text + "\" needs " + std::string(needs) + ", got " +
                                   DescribeValue(arg));
    return false;
  }

  bool FormatValue(const Verb& verb, const std::string& verb_text, const Value& arg,
                   std::size_t index, std::string* out) {
    std::string text;
    double n = 0;
    bool b = false;
    switch (verb.letter) {
      case 'v':
        if (verb.Has('#') || arg.is_list() || arg.is_map() || arg.is_null()) text = ToJson(arg);
        else ToText(arg, &text);
        *out = Pad(text, verb);
        return true;
      case 's':
      case 'q':
        if (!ToText(arg, &text)) return Mismatch(index, verb_text, "a string", arg);
        if (verb.precision >= 0) text = TruncateCharacters(text, verb.precision);
        *out = Pad(verb.letter == 'q' ? Quoted(text) : text, verb);
        return true;
      case 't':
        if (!ToBool(arg, &b)) return Mismatch(index, verb_text, "a bool", arg);
        *out = Pad(b ? "true" : "false", verb);
        return true;
      case 'd':
      case 'o':
      case 'x':
      case 'X':
      case 'b':
        if (verb.letter == 'x' || verb.letter == 'X') {
          if (arg.is_string() && !ToNumber(arg, &n)) return HexOfString(verb, arg, out);
        }
        if (!ToNumber(arg, &n) || !IsWholeNumber(n))
          return Mismatch(index, verb_text, "a whole number", arg);
        *out = verb.letter == 'b' ? Pad(Binary(static_cast<long long>(n)), verb)
                                  : PrintfNumber(verb, n, true);
        return true;
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
        if (!ToNumber(arg, &n)) return Mismatch(index, verb_text, "a number", arg);
        *out = PrintfNumber(verb, n, false);
        return true;
      default:
        call_.ArgumentError(0, "unsupported verb \"" + verb_text + "\"",
                            "Verbs are %v %#v %s %q %t %d %b %o %x %X %e %E %f %F %g %G and %%.");
        return false;
    }
  }

  bool HexOfString(const Verb& verb, const Value& arg, std::string* out) {
    static const char* kLower = "0123456789abcdef";
    static const char* kUpper = "0123456789ABCDEF";
    const char* digits = verb.letter == 'x' ? kLower : kUpper;
    std::string text;
    for (unsigned char c : arg.AsString()) {
      text += digits[c >> 4];
      text += digits[c & 15];
    }
    *out = Pad(text, verb);
    return true;
  }

  std::string_view format_;
  const std::vector<Value>& args_;
  CallContext& call_;
  std::size_t next_arg_ = 1;
  std::size_t verb_end_ = 0;
};

}  // namespace

Value FormatFunction(const std::vector<Value>& args, CallContext& call) {
  std::string format;
  if (!call.GetString(args, 0, &format)) return Value();
  std::string out;
  if (!Formatter(format, args, call).Run(out)) return Value();
  return Value::String(std::move(out));
}

}  // namespace reconcile::config
