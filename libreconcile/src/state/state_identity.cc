#include "state/state_identity.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace reconcile {

namespace {

// Watches SAX events for the two top-level members and stops once both are read.
class IdentityScanner {
 public:
  using number_integer_t = nlohmann::json::number_integer_t;
  using number_unsigned_t = nlohmann::json::number_unsigned_t;
  using number_float_t = nlohmann::json::number_float_t;
  using string_t = nlohmann::json::string_t;
  using binary_t = nlohmann::json::binary_t;

  bool null() { return Scalar(); }
  bool boolean(bool) { return Scalar(); }
  bool number_integer(number_integer_t n) { return n >= 0 ? Serial(static_cast<double>(n)) : Scalar(); }
  bool number_unsigned(number_unsigned_t n) { return Serial(static_cast<double>(n)); }
  bool number_float(number_float_t n, const string_t&) { return Serial(n); }
  bool string(string_t& s) {
    if (depth_ == 1 && key_ == "lineage") {
      out_->lineage = std::move(s);
      has_lineage_ = true;
    }
    return Scalar();
  }
  bool binary(binary_t&) { return Scalar(); }
  bool start_object(std::size_t) { return Open(); }
  bool end_object() { return Close(); }
  bool start_array(std::size_t) { return Open(); }
  bool end_array() { return Close(); }
  bool key(string_t& k) {
    if (depth_ == 1) key_ = std::move(k);
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    error_ = e.what();
    return false;
  }

  explicit IdentityScanner(StateIdentity* out) : out_(out) {}
  bool complete() const { return has_lineage_ && has_serial_; }
  const std::string& error() const { return error_; }

 private:
  bool Open() {
    if (depth_ == 0 && seen_root_) return false;
    seen_root_ = true;
    if (depth_ == 1) key_.clear();  // a container value: not ours
    ++depth_;
    return true;
  }
  bool Close() {
    --depth_;
    return true;
  }
  bool Scalar() { return !complete(); }
  // A serial is what ParseState accepts: a whole number from 0 to 2^53.
  bool Serial(double n) {
    if (depth_ == 1 && key_ == "serial" && n >= 0 && n == std::floor(n) &&
        n <= 9007199254740992.0) {
      out_->serial = static_cast<std::uint64_t>(n);
      has_serial_ = true;
    }
    return Scalar();
  }

  StateIdentity* out_;
  int depth_ = 0;
  bool seen_root_ = false;
  std::string key_;
  bool has_lineage_ = false;
  bool has_serial_ = false;
  std::string error_;
};

}  // namespace

bool PeekStateIdentity(std::string_view document, StateIdentity* out, std::string* error) {
  StateIdentity identity;
  IdentityScanner scanner(&identity);
  nlohmann::json::sax_parse(document, &scanner);
  if (scanner.complete()) {
    *out = std::move(identity);
    return true;
  }
  if (error) {
    *error = !scanner.error().empty() ? scanner.error()
                                      : "the document has no top-level \"lineage\" string and \"serial\" number";
  }
  return false;
}

}  // namespace reconcile
