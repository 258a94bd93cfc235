// A fast JSON parser that builds Values directly (no intermediate tree), and
// can stream the members of an object or elements of a list one at a time so
// big documents (100k-instance states) never exist twice in memory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/value.h"

namespace reconcile::json {

// Parses `text` as one JSON value; on failure returns false and sets *error to
// a message naming the line and column.
bool Parse(std::string_view text, reconcile::Value* out, std::string* error);

// A cursor over JSON text. Every call returns false on malformed input, after
// which error() says what and where; the cursor is then unusable.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  // Reads one complete value.
  bool ReadValue(reconcile::Value* out);
  // Streams an object: BeginObject, then NextKey until it sets *done; after
  // each key, read its value with ReadValue (or stream it).
  bool BeginObject();
  bool NextKey(std::string* key, bool* done);
  // Streams a list: BeginList, then NextElement until it sets *done, reading
  // each element after it.
  bool BeginList();
  bool NextElement(bool* done);
  // True when only whitespace is left.
  bool ExpectEnd();

  // "line 3, column 7: expected ':' after an object key".
  const std::string& error() const { return error_; }
  // Whether the next value is an object / a list (after whitespace).
  bool PeekObject();
  bool PeekList();

 private:
  bool ReadString(std::string* out);
  bool ReadStringSlow(std::string* out, std::size_t start);
  bool ReadNumber(reconcile::Value* out);
  bool ReadLiteral(std::string_view word, reconcile::Value value, reconcile::Value* out);
  bool ReadMap(reconcile::Value* out);
  bool ReadList(reconcile::Value* out);
  bool Fail(std::string_view message);
  void SkipSpace();
  bool Consume(char c);

  std::string_view text_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::vector<bool> streaming_;  // per streamed container: no item read yet
  std::string error_;
};

}  // namespace reconcile::json
