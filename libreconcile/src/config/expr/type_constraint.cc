#include "config/expr/type_constraint.h"

#include <algorithm>
#include <cctype>

#include "config/expr/conversion.h"
#include "config/expr/suggest.h"

namespace reconcile::config {

// Recursive-descent parser of type expressions.
class TypeParser {
 public:
  explicit TypeParser(std::string_view text) : text_(text) {}

  bool ParseAll(TypeConstraint* out, std::string* error) {
    if (!ParseType(out, 0) || (SkipSpace(), pos_ != text_.size() && Fail("unexpected \"" +
                                                   std::string(text_.substr(pos_, 1)) + "\""))) {
      *error = error_;
      return false;
    }
    return true;
  }

 private:
  static constexpr int kMaxDepth = 32;

  bool Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }

  bool Accept(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool Expect(char c) {
    if (Accept(c)) return true;
    return Fail(std::string("expected \"") + c + "\"" +
                (pos_ < text_.size() ? " at \"" + std::string(text_.substr(pos_)) + "\"" : ""));
  }

  std::string Word() {
    SkipSpace();
    std::size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_' ||
            text_[pos_] == '-'))
      ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  bool ParseType(TypeConstraint* out, int depth) {
    if (depth > kMaxDepth) return Fail("the type is nested too deeply");
    std::string name = Word();
    using Kind = TypeConstraint::Kind;
    static const std::pair<const char*, Kind> kNames[] = {
        {"any", Kind::kAny},   {"string", Kind::kString}, {"number", Kind::kNumber},
        {"bool", Kind::kBool}, {"list", Kind::kList},     {"set", Kind::kSet},
        {"map", Kind::kMap},   {"object", Kind::kObject}, {"tuple", Kind::kTuple}};
    for (const auto& [candidate, kind] : kNames) {
      if (name != candidate) continue;
      *out = TypeConstraint(kind);
      return ParseArguments(out, depth);
    }
    if (name.empty()) return Fail("expected a type name");
    std::vector<std::string> names;
    for (const auto& [candidate, kind] : kNames) names.emplace_back(candidate);
    return Fail("unknown type \"" + name + "\"" + DidYouMean(name, names));
  }

  bool ParseArguments(TypeConstraint* out, int depth) {
    using Kind = TypeConstraint::Kind;
    const Kind kind = out->kind_;
    if (kind == Kind::kList || kind == Kind::kSet || kind == Kind::kMap) {
      out->elements_.emplace_back(Kind::kAny);
      if (!Accept('(')) return true;
      return ParseType(&out->elements_[0], depth + 1) && Expect(')');
    }
    if (kind == Kind::kObject) return Expect('(') && ParseObject(out, depth) && Expect(')');
    if (kind == Kind::kTuple) return Expect('(') && ParseTuple(out, depth) && Expect(')');
    return true;
  }

  bool ParseObject(TypeConstraint* out, int depth) {
    if (!Expect('{')) return false;
    while (!Accept('}')) {
      TypeConstraint::Attribute attribute;
      TypeConstraint type;
      attribute.name = Word();
      if (attribute.name.empty()) return Fail("expected an attribute name in object({...})");
      if (!Expect('=')) return false;
      std::size_t before = pos_;
      if (Word() == "optional" && Accept('(')) {
        attribute.optional = true;
        if (!ParseType(&type, depth + 1) || !Expect(')')) return false;
      } else {
        pos_ = before;
        if (!ParseType(&type, depth + 1)) return false;
      }
      out->attributes_.push_back(std::move(attribute));
      out->elements_.push_back(std::move(type));
      if (!Accept(',') && !(SkipSpace(), pos_ < text_.size() && text_[pos_] == '}'))
        return Fail("expected \",\" or \"}\" in object({...})");
    }
    return true;
  }

  bool ParseTuple(TypeConstraint* out, int depth) {
    if (!Expect('[')) return false;
    while (!Accept(']')) {
      out->elements_.emplace_back();
      if (!ParseType(&out->elements_.back(), depth + 1)) return false;
      if (!Accept(',') && !(SkipSpace(), pos_ < text_.size() && text_[pos_] == ']'))
        return Fail("expected \",\" or \"]\" in tuple([...])");
    }
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string error_;
};

bool TypeConstraint::Parse(std::string_view text, TypeConstraint* out, std::string* error) {
  return TypeParser(text).ParseAll(out, error);
}

std::string TypeConstraint::ToString() const {
  switch (kind_) {
    case Kind::kAny: return "any";
    case Kind::kString: return "string";
    case Kind::kNumber: return "number";
    case Kind::kBool: return "bool";
    case Kind::kList: return "list(" + elements_[0].ToString() + ")";
    case Kind::kSet: return "set(" + elements_[0].ToString() + ")";
    case Kind::kMap: return "map(" + elements_[0].ToString() + ")";
    case Kind::kTuple: {
      std::string out = "tuple([";
      for (std::size_t i = 0; i < elements_.size(); ++i)
        out += (i ? ", " : "") + elements_[i].ToString();
      return out + "])";
    }
    case Kind::kObject: {
      std::string out = "object({";
      for (std::size_t i = 0; i < attributes_.size(); ++i) {
        const Attribute& a = attributes_[i];
        const std::string type = elements_[i].ToString();
        out += (i ? ", " : "") + a.name + " = " + (a.optional ? "optional(" + type + ")" : type);
      }
      return out + "})";
    }
  }
  return "any";
}

namespace {

bool Needs(std::string_view what, const Value& value, std::string* error) {
  *error = std::string(what) + " is required, got " + DescribeValue(value);
  return false;
}

bool SetOrder(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return a.AsNumber() < b.AsNumber();
  if (a.is_string() && b.is_string()) return a.AsString() < b.AsString();
  return ToJson(a) < ToJson(b);
}

}  // namespace

ValueList SortedUnique(ValueList items) {
  std::stable_sort(items.begin(), items.end(), SetOrder);
  items.erase(std::unique(items.begin(), items.end(),
                          [](const Value& a, const Value& b) { return a.Equals(b); }),
              items.end());
  return items;
}

bool TypeConstraint::Convert(const Value& value, Value* out, std::string* error) const {
  if (kind_ == Kind::kAny || value.is_null() || value.is_unknown()) {
    *out = value;
    return true;
  }
  double n = 0;
  bool b = false;
  std::string text;
  switch (kind_) {
    case Kind::kString:
      if (!ToText(value, &text)) return Needs("a string", value, error);
      *out = MarkIf(Value::String(std::move(text)), value.sensitive());
      return true;
    case Kind::kNumber:
      if (!ToNumber(value, &n)) return Needs("a number", value, error);
      *out = MarkIf(Value::Number(n), value.sensitive());
      return true;
    case Kind::kBool:
      if (!ToBool(value, &b)) return Needs("a bool", value, error);
      *out = MarkIf(Value::Bool(b), value.sensitive());
      return true;
    case Kind::kObject:
      return ConvertObject(value, out, error);
    default:
      return ConvertCollection(value, out, error);
  }
}

bool TypeConstraint::ConvertCollection(const Value& value, Value* out, std::string* error) const {
  if (kind_ == Kind::kMap) {
    if (!value.is_map()) return Needs("a map", value, error);
    ValueMap converted;
    for (const auto& [key, item] : value.AsMap()) {
      if (!elements_[0].Convert(item, &converted[key], error)) {
        *error = "key \"" + key + "\": " + *error;
        return false;
      }
    }
    *out = MarkIf(Value::Map(std::move(converted)), value.sensitive());
    return true;
  }
  if (!value.is_list()) return Needs(kind_ == Kind::kTuple ? "a tuple" : "a list", value, error);
  const ValueList& items = value.AsList();
  if (kind_ == Kind::kTuple && items.size() != elements_.size()) {
    *error = "a tuple of " + std::to_string(elements_.size()) + " elements is required, got " +
             std::to_string(items.size());
    return false;
  }
  ValueList converted(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const TypeConstraint& type = kind_ == Kind::kTuple ? elements_[i] : elements_[0];
    if (!type.Convert(items[i], &converted[i], error)) {
      *error = "element " + std::to_string(i) + ": " + *error;
      return false;
    }
  }
  if (kind_ == Kind::kSet) converted = SortedUnique(std::move(converted));
  *out = MarkIf(Value::List(std::move(converted)), value.sensitive());
  return true;
}

bool TypeConstraint::ConvertObject(const Value& value, Value* out, std::string* error) const {
  if (!value.is_map()) return Needs("an object", value, error);
  ValueMap converted;
  for (std::size_t i = 0; i < attributes_.size(); ++i) {
    const Attribute& attribute = attributes_[i];
    const TypeConstraint& type = elements_[i];
    const Value* given = value.Find(attribute.name);
    if (given == nullptr) {
      if (!attribute.optional) {
        *error = "attribute \"" + attribute.name + "\" is required";
        return false;
      }
      converted[attribute.name] = Value();
      continue;
    }
    if (!type.Convert(*given, &converted[attribute.name], error)) {
      *error = "attribute \"" + attribute.name + "\": " + *error;
      return false;
    }
  }
  *out = MarkIf(Value::Map(std::move(converted)), value.sensitive());
  return true;
}

}  // namespace reconcile::config
