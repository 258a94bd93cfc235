// Typed reads from a parsed JSON document (a Value) that report every problem
// as a diagnostic naming the document and the JSON path: "state document:
// resources[3].serial: expected a number, found string".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile::json {

// "resources[3]" + "attributes" -> "resources[3].attributes"; "" + "serial" -> "serial".
std::string MemberPath(std::string_view object_path, std::string_view key);
// "resources" + 3 -> "resources[3]".
std::string ElementPath(std::string_view list_path, std::size_t index);

enum class Presence : unsigned char { kRequired, kOptional };

class DocumentReader {
 public:
  // `document` names what is read in messages ("state document", "plan file p.json").
  DocumentReader(std::string document, Diagnostics* diags) : document_(std::move(document)), diags_(diags) {}

  // Reports a problem at `path`. After many errors the rest are summarised.
  void Fail(std::string_view path, const std::string& message);
  bool failed() const { return errors_ > 0; }

  // Checks `v` is a map; reports "expected an object" otherwise.
  bool ExpectObject(const Value& v, std::string_view path);
  bool ExpectList(const Value& v, std::string_view path);

  // Member reads from `object` (at `path`). A missing optional member leaves
  // *out unchanged and returns false; a missing required one is reported.
  const Value* Member(const Value& object, std::string_view path, std::string_view key, Presence presence);
  bool String(const Value& object, std::string_view path, std::string_view key, std::string* out,
              Presence presence = Presence::kRequired);
  bool Bool(const Value& object, std::string_view path, std::string_view key, bool* out,
            Presence presence = Presence::kOptional);
  bool Int(const Value& object, std::string_view path, std::string_view key, int* out,
           Presence presence = Presence::kOptional);
  bool Uint64(const Value& object, std::string_view path, std::string_view key, std::uint64_t* out,
              Presence presence = Presence::kRequired);
  bool StringList(const Value& object, std::string_view path, std::string_view key,
                  std::vector<std::string>* out, Presence presence = Presence::kOptional);
  // A list of value paths ("tags.Name", "ingress[0].cidr") in FormatPath form.
  bool PathList(const Value& object, std::string_view path, std::string_view key,
                std::vector<ValuePath>* out);

 private:
  void ExpectedKind(std::string_view path, std::string_view key, const char* expected, const Value& found);

  std::string document_;
  Diagnostics* diags_;
  int errors_ = 0;
};

}  // namespace reconcile::json
