#include "state/document_reader.h"

#include <cmath>

namespace reconcile::json {

namespace {

constexpr int kMaxReportedErrors = 20;

std::string Describe(const Value& v) {
  if (v.is_string()) return "string";
  if (v.is_map()) return "an object";
  if (v.is_list()) return "a list";
  return std::string(v.kind_name());
}

}  // namespace

std::string MemberPath(std::string_view object_path, std::string_view key) {
  std::string out(object_path);
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

std::string ElementPath(std::string_view list_path, std::size_t index) {
  std::string out(list_path);
  out += '[';
  out += std::to_string(index);
  out += ']';
  return out;
}

void DocumentReader::Fail(std::string_view path, const std::string& message) {
  ++errors_;
  if (errors_ == kMaxReportedErrors + 1)
    diags_->Error(document_ + ": more errors not shown", "fix the errors above and read it again");
  if (errors_ > kMaxReportedErrors) return;
  std::string where = path.empty() ? "top level" : std::string(path);
  diags_->Error(document_ + ": " + where + ": " + message);
}

void DocumentReader::ExpectedKind(std::string_view path, std::string_view key, const char* expected,
                                  const Value& found) {
  Fail(key.empty() ? std::string(path) : MemberPath(path, key),
       std::string("expected ") + expected + ", found " + Describe(found));
}

bool DocumentReader::ExpectObject(const Value& v, std::string_view path) {
  if (v.is_map()) return true;
  ExpectedKind(path, {}, "an object", v);
  return false;
}

bool DocumentReader::ExpectList(const Value& v, std::string_view path) {
  if (v.is_list()) return true;
  ExpectedKind(path, {}, "a list", v);
  return false;
}

const Value* DocumentReader::Member(const Value& object, std::string_view path, std::string_view key,
                                    Presence presence) {
  const Value* member = object.Find(key);
  if (member == nullptr && presence == Presence::kRequired)
    Fail(MemberPath(path, key), "missing (required)");
  return member;
}

bool DocumentReader::String(const Value& object, std::string_view path, std::string_view key,
                            std::string* out, Presence presence) {
  const Value* member = Member(object, path, key, presence);
  if (member == nullptr) return false;
  if (!member->is_string()) {
    ExpectedKind(path, key, "a string", *member);
    return false;
  }
  *out = member->AsString();
  return true;
}

bool DocumentReader::Bool(const Value& object, std::string_view path, std::string_view key, bool* out,
                          Presence presence) {
  const Value* member = Member(object, path, key, presence);
  if (member == nullptr) return false;
  if (!member->is_bool()) {
    ExpectedKind(path, key, "true or false", *member);
    return false;
  }
  *out = member->AsBool();
  return true;
}

bool DocumentReader::Int(const Value& object, std::string_view path, std::string_view key, int* out,
                         Presence presence) {
  const Value* member = Member(object, path, key, presence);
  if (member == nullptr) return false;
  if (!member->is_number() || member->AsNumber() != std::floor(member->AsNumber()) ||
      std::fabs(member->AsNumber()) > 2147483647.0) {
    ExpectedKind(path, key, "an integer", *member);
    return false;
  }
  *out = static_cast<int>(member->AsNumber());
  return true;
}

bool DocumentReader::Uint64(const Value& object, std::string_view path, std::string_view key,
                            std::uint64_t* out, Presence presence) {
  const Value* member = Member(object, path, key, presence);
  if (member == nullptr) return false;
  double n = member->is_number() ? member->AsNumber() : -1;
  if (n < 0 || n != std::floor(n) || n > 9007199254740992.0) {
    ExpectedKind(path, key, "a non-negative integer", *member);
    return false;
  }
  *out = static_cast<std::uint64_t>(n);
  return true;
}

bool DocumentReader::StringList(const Value& object, std::string_view path, std::string_view key,
                                std::vector<std::string>* out, Presence presence) {
  const Value* member = Member(object, path, key, presence);
  if (member == nullptr) return false;
  if (!member->is_list()) {
    ExpectedKind(path, key, "a list of strings", *member);
    return false;
  }
  out->clear();
  out->reserve(member->AsList().size());
  for (std::size_t i = 0; i < member->AsList().size(); ++i) {
    const Value& item = member->AsList()[i];
    if (!item.is_string()) {
      ExpectedKind(ElementPath(MemberPath(path, key), i), {}, "a string", item);
      return false;
    }
    out->push_back(item.AsString());
  }
  return true;
}

bool DocumentReader::PathList(const Value& object, std::string_view path, std::string_view key,
                              std::vector<ValuePath>* out) {
  std::vector<std::string> texts;
  if (!StringList(object, path, key, &texts)) return false;
  out->clear();
  out->reserve(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    ValuePath parsed;
    if (!ParsePath(texts[i], &parsed)) {
      Fail(ElementPath(MemberPath(path, key), i),
           "malformed attribute path \"" + texts[i] + "\"; expected a form like tags.Name or ingress[0].cidr");
      return false;
    }
    out->push_back(std::move(parsed));
  }
  return true;
}

}  // namespace reconcile::json
