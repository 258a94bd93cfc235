#include "state/json_reader.h"

#include <charconv>
#include <cstring>
#include <utility>

#include "core/utf8.h"

namespace reconcile::json {

namespace {

constexpr int kMaxDepth = 512;

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool Parse(std::string_view text, reconcile::Value* out, std::string* error) {
  Reader reader(text);
  reconcile::Value v;
  if (!reader.ReadValue(&v) || !reader.ExpectEnd()) {
    if (error) *error = reader.error();
    return false;
  }
  *out = std::move(v);
  return true;
}

bool Reader::Fail(std::string_view message) {
  if (!error_.empty()) return false;
  std::size_t at = std::min(pos_, text_.size());
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at; ++i) {
    if (text_[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  error_ = "line " + std::to_string(line) + ", column " + std::to_string(at - line_start + 1) + ": " +
           std::string(message);
  pos_ = text_.size();
  return false;
}

void Reader::SkipSpace() {
  while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
}

bool Reader::Consume(char c) {
  SkipSpace();
  if (pos_ < text_.size() && text_[pos_] == c) {
    ++pos_;
    return true;
  }
  return false;
}

bool Reader::ExpectEnd() {
  SkipSpace();
  return pos_ == text_.size() || Fail("unexpected text after the end of the document");
}

bool Reader::PeekObject() {
  SkipSpace();
  return pos_ < text_.size() && text_[pos_] == '{';
}

bool Reader::PeekList() {
  SkipSpace();
  return pos_ < text_.size() && text_[pos_] == '[';
}

bool Reader::ReadValue(reconcile::Value* out) {
  SkipSpace();
  if (pos_ >= text_.size()) return Fail("unexpected end of the document; expected a value");
  switch (text_[pos_]) {
    case '{':
      return ReadMap(out);
    case '[':
      return ReadList(out);
    case '"': {
      std::string s;
      if (!ReadString(&s)) return false;
      *out = reconcile::Value::String(std::move(s));
      return true;
    }
    case 't':
      return ReadLiteral("true", reconcile::Value::Bool(true), out);
    case 'f':
      return ReadLiteral("false", reconcile::Value::Bool(false), out);
    case 'n':
      return ReadLiteral("null", reconcile::Value(), out);
    default:
      return ReadNumber(out);
  }
}

bool Reader::ReadLiteral(std::string_view word, reconcile::Value value, reconcile::Value* out) {
  if (text_.substr(pos_, word.size()) != word) return Fail("unexpected character; expected a value");
  pos_ += word.size();
  *out = std::move(value);
  return true;
}

bool Reader::ReadNumber(reconcile::Value* out) {
  std::size_t start = pos_;
  if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
  if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9')
    return Fail("unexpected character; expected a value");
  double n = 0;
  auto [end, ec] = std::from_chars(text_.data() + start, text_.data() + text_.size(), n);
  if (ec == std::errc::result_out_of_range) return Fail("number out of range");
  if (ec != std::errc()) return Fail("malformed number");
  pos_ = static_cast<std::size_t>(end - text_.data());
  *out = reconcile::Value::Number(n);
  return true;
}

bool Reader::ReadString(std::string* out) {
  ++pos_;  // the opening quote
  std::size_t start = pos_;
  // Fast path: no escapes or control characters before the closing quote.
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == '"') {
      out->assign(text_.data() + start, pos_ - start);
      ++pos_;
      return true;
    }
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20) return ReadStringSlow(out, start);
    if (static_cast<unsigned char>(c) >= 0x80) {
      std::size_t length = Utf8SequenceLength(text_, pos_);
      if (length == 0) return Fail("invalid UTF-8 in a string");
      pos_ += length;
      continue;
    }
    ++pos_;
  }
  return Fail("unterminated string");
}

bool Reader::ReadStringSlow(std::string* out, std::size_t start) {
  out->assign(text_.data() + start, pos_ - start);
  while (pos_ < text_.size()) {
    char c = text_[pos_++];
    if (c == '"') return true;
    if (static_cast<unsigned char>(c) < 0x20) {
      --pos_;
      return Fail("control character in a string; write it escaped");
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      std::size_t length = Utf8SequenceLength(text_, --pos_);
      if (length == 0) return Fail("invalid UTF-8 in a string");
      out->append(text_.data() + pos_, length);
      pos_ += length;
      continue;
    }
    if (c != '\\') {
      out->push_back(c);
      continue;
    }
    if (pos_ >= text_.size()) break;
    char e = text_[pos_++];
    switch (e) {
      case '"': case '\\': case '/': out->push_back(e); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        auto hex4 = [&](unsigned* code) {
          if (pos_ + 4 > text_.size()) return false;
          *code = 0;
          for (int i = 0; i < 4; ++i) {
            int d = HexDigit(text_[pos_ + static_cast<std::size_t>(i)]);
            if (d < 0) return false;
            *code = *code * 16 + static_cast<unsigned>(d);
          }
          pos_ += 4;
          return true;
        };
        unsigned code = 0;
        if (!hex4(&code)) return Fail("malformed \\u escape");
        if (code >= 0xD800 && code < 0xDC00) {
          unsigned low = 0;
          if (text_.substr(pos_, 2) != "\\u" || (pos_ += 2, !hex4(&low)) || low < 0xDC00 || low > 0xDFFF)
            return Fail("unpaired UTF-16 surrogate in a \\u escape");
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        } else if (code >= 0xDC00 && code <= 0xDFFF) {
          return Fail("unpaired UTF-16 surrogate in a \\u escape");
        }
        AppendUtf8(code, out);
        break;
      }
      default:
        --pos_;
        return Fail("unknown escape in a string");
    }
  }
  return Fail("unterminated string");
}

bool Reader::ReadMap(reconcile::Value* out) {
  if (++depth_ > kMaxDepth) return Fail("nested too deeply");
  ++pos_;  // '{'
  reconcile::Value result = reconcile::Value::Map({});
  ValueMap& map = result.MutableMap();
  if (!Consume('}')) {
    do {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Fail("expected a string key");
      std::string key;
      if (!ReadString(&key)) return false;
      if (!Consume(':')) return Fail("expected ':' after an object key");
      reconcile::Value item;
      if (!ReadValue(&item)) return false;
      // Keys usually arrive sorted: hint at the end. A repeated key keeps the last.
      map.insert_or_assign(map.end(), std::move(key), std::move(item));
    } while (Consume(','));
    if (!Consume('}')) return Fail("expected ',' or '}' in an object");
  }
  --depth_;
  *out = std::move(result);
  return true;
}

bool Reader::ReadList(reconcile::Value* out) {
  if (++depth_ > kMaxDepth) return Fail("nested too deeply");
  ++pos_;  // '['
  reconcile::Value result = reconcile::Value::List({});
  ValueList& list = result.MutableList();
  if (!Consume(']')) {
    do {
      list.emplace_back();
      if (!ReadValue(&list.back())) return false;
    } while (Consume(','));
    if (!Consume(']')) return Fail("expected ',' or ']' in a list");
  }
  --depth_;
  *out = std::move(result);
  return true;
}

bool Reader::BeginObject() {
  if (!Consume('{')) return Fail("expected an object");
  streaming_.push_back(true);
  return true;
}

bool Reader::NextKey(std::string* key, bool* done) {
  *done = false;
  if (Consume('}')) {
    streaming_.pop_back();
    *done = true;
    return true;
  }
  if (!streaming_.back() && !Consume(',')) return Fail("expected ',' or '}' in an object");
  streaming_.back() = false;
  SkipSpace();
  if (pos_ >= text_.size() || text_[pos_] != '"') return Fail("expected a string key");
  if (!ReadString(key)) return false;
  if (!Consume(':')) return Fail("expected ':' after an object key");
  return true;
}

bool Reader::BeginList() {
  if (!Consume('[')) return Fail("expected a list");
  streaming_.push_back(true);
  return true;
}

bool Reader::NextElement(bool* done) {
  *done = false;
  if (Consume(']')) {
    streaming_.pop_back();
    *done = true;
    return true;
  }
  if (!streaming_.back() && !Consume(',')) return Fail("expected ',' or ']' in a list");
  streaming_.back() = false;
  return true;
}

}  // namespace reconcile::json
