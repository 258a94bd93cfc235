// A tiny Scope for tests: reference roots resolve from a map keyed by
// Reference::ToString() ("var.x", "aws_vpc.main", "each.key").
#pragma once

#include <map>
#include <ostream>
#include <string>

#include "config/expr/expression.h"
#include "reconcile/value.h"

namespace reconcile {

// Lets GoogleTest print values in failure messages.
inline void PrintTo(const Value& v, std::ostream* os) {
  *os << (v.is_unknown() ? std::string("(unknown)") : ToJson(v));
  if (v.sensitive()) *os << " (sensitive)";
}

namespace config {

class TestScope : public Scope {
 public:
  std::map<std::string, Value> values;
  std::string base_dir = ".";

  Value Resolve(const Reference& ref, Diagnostics& diags) override {
    auto it = values.find(ref.ToString());
    if (it != values.end()) return it->second;
    diags.Error("Undefined " + ref.ToString(), {}, ref.range);
    return Value();
  }
  std::string BaseDir() const override { return base_dir; }
};

struct Evaluated {
  Value value;
  Diagnostics diags;
  // Each diagnostic as "file:line:col: error: summary", one per line.
  std::string Errors() const {
    std::string out;
    for (const Diagnostic& d : diags) {
      if (!out.empty()) out += "\n";
      out += d.range.ToString() + ": " + d.summary;
    }
    return out;
  }
};

// Parses `text` as a TOML string's template starting at main.toml:1:1 and
// evaluates it in `scope`.
inline Evaluated EvalTemplate(const std::string& text, Scope& scope) {
  Evaluated result;
  Expression e = Expression::ParseTemplate(text, SourceRange{"main.toml", 1, 1}, result.diags);
  if (!result.diags.HasErrors()) result.value = e.Evaluate(scope, result.diags);
  return result;
}

inline Evaluated EvalTemplate(const std::string& text) {
  TestScope scope;
  return EvalTemplate(text, scope);
}

inline Value Str(const std::string& s) { return Value::String(s); }
inline Value Num(double n) { return Value::Number(n); }
inline Value Bool(bool b) { return Value::Bool(b); }
inline Value List(ValueList items) { return Value::List(std::move(items)); }
inline Value Map(ValueMap entries) { return Value::Map(std::move(entries)); }

}  // namespace config
}  // namespace reconcile
