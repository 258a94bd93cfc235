#include "state/json_reader.h"

#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace reconcile::json {

namespace {

// Builds a Value from nlohmann's SAX events.
class ValueBuilder {
 public:
  using number_integer_t = nlohmann::json::number_integer_t;
  using number_unsigned_t = nlohmann::json::number_unsigned_t;
  using number_float_t = nlohmann::json::number_float_t;
  using string_t = nlohmann::json::string_t;
  using binary_t = nlohmann::json::binary_t;

  bool null() { return Add(reconcile::Value()); }
  bool boolean(bool b) { return Add(reconcile::Value::Bool(b)); }
  bool number_integer(number_integer_t n) {
    return Add(reconcile::Value::Number(static_cast<double>(n)));
  }
  bool number_unsigned(number_unsigned_t n) {
    return Add(reconcile::Value::Number(static_cast<double>(n)));
  }
  bool number_float(number_float_t n, const string_t&) { return Add(reconcile::Value::Number(n)); }
  bool string(string_t& s) { return Add(reconcile::Value::String(std::move(s))); }
  bool binary(binary_t&) { return Add(reconcile::Value()); }

  bool start_object(std::size_t) {
    open_.push_back(Open{reconcile::Value::Map({}), {}, true});
    return true;
  }
  bool key(string_t& k) {
    open_.back().key = std::move(k);
    return true;
  }
  bool end_object() { return CloseContainer(); }
  bool start_array(std::size_t) {
    open_.push_back(Open{reconcile::Value::List({}), {}, false});
    return true;
  }
  bool end_array() { return CloseContainer(); }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    error_ = e.what();
    return false;
  }

  reconcile::Value TakeResult() { return std::move(result_); }
  const std::string& error() const { return error_; }

 private:
  struct Open {
    reconcile::Value container;
    std::string key;
    bool is_map;
  };

  bool Add(reconcile::Value v) {
    if (open_.empty()) {
      result_ = std::move(v);
      return true;
    }
    Open& top = open_.back();
    if (top.is_map) {
      ValueMap& map = top.container.MutableMap();
      // Keys usually arrive sorted: hint at the end. A repeated key keeps the last.
      map.insert_or_assign(map.end(), std::move(top.key), std::move(v));
    } else {
      top.container.MutableList().push_back(std::move(v));
    }
    return true;
  }

  bool CloseContainer() {
    reconcile::Value done = std::move(open_.back().container);
    open_.pop_back();
    return Add(std::move(done));
  }

  std::vector<Open> open_;
  reconcile::Value result_;
  std::string error_;
};

}  // namespace

bool Parse(std::string_view text, reconcile::Value* out, std::string* error) {
  ValueBuilder builder;
  bool ok = nlohmann::json::sax_parse(text, &builder);
  if (!ok) {
    if (error) *error = builder.error().empty() ? "malformed JSON" : builder.error();
    return false;
  }
  *out = builder.TakeResult();
  return true;
}

}  // namespace reconcile::json
