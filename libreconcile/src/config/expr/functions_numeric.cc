// Numeric functions with Terraform's rules: numeric strings convert, a
// result that is not a finite number is an error.
#include "config/expr/functions_numeric.h"

#include <cmath>
#include <string>

#include "config/expr/conversion.h"

namespace reconcile::config {
namespace {

// At most this many elements from range(), as Terraform.
constexpr std::size_t kMaxRange = 1024;

Value Finite(double n, CallContext& call) {
  if (std::isfinite(n)) return Value::Number(n);
  call.Error("the result is not a finite number");
  return Value();
}

using UnaryMath = double (*)(double);

Value Apply(const std::vector<Value>& args, CallContext& call, UnaryMath op) {
  double n = 0;
  if (!call.GetNumber(args, 0, &n)) return Value();
  return Finite(op(n), call);
}

Value Abs(const std::vector<Value>& args, CallContext& call) {
  return Apply(args, call, [](double n) { return std::fabs(n); });
}
Value Ceil(const std::vector<Value>& args, CallContext& call) {
  return Apply(args, call, [](double n) { return std::ceil(n); });
}
Value Floor(const std::vector<Value>& args, CallContext& call) {
  return Apply(args, call, [](double n) { return std::floor(n); });
}
Value Signum(const std::vector<Value>& args, CallContext& call) {
  return Apply(args, call, [](double n) { return n > 0 ? 1.0 : n < 0 ? -1.0 : 0.0; });
}

Value Pow(const std::vector<Value>& args, CallContext& call) {
  double base = 0, exponent = 0;
  if (!call.GetNumber(args, 0, &base) || !call.GetNumber(args, 1, &exponent)) return Value();
  return Finite(std::pow(base, exponent), call);
}

Value Log(const std::vector<Value>& args, CallContext& call) {
  double n = 0, base = 0;
  if (!call.GetNumber(args, 0, &n) || !call.GetNumber(args, 1, &base)) return Value();
  return Finite(std::log(n) / std::log(base), call);
}

// max / min over variadic numbers.
Value Extreme(const std::vector<Value>& args, CallContext& call, bool greatest) {
  double best = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    double n = 0;
    if (!call.GetNumber(args, i, &n)) return Value();
    if (i == 0 || (greatest ? n > best : n < best)) best = n;
  }
  return Value::Number(best);
}

Value Max(const std::vector<Value>& args, CallContext& call) { return Extreme(args, call, true); }
Value Min(const std::vector<Value>& args, CallContext& call) { return Extreme(args, call, false); }

Value Sum(const std::vector<Value>& args, CallContext& call) {
  const ValueList* list = nullptr;
  if (!call.GetList(args, 0, &list)) return Value();
  if (list->empty()) {
    call.ArgumentError(0, "cannot sum an empty list");
    return Value();
  }
  double total = 0;
  for (std::size_t i = 0; i < list->size(); ++i) {
    double n = 0;
    if (!ToNumber((*list)[i], &n)) {
      call.ArgumentError(0, "element " + std::to_string(i) + " is " + DescribeValue((*list)[i]) +
                                ", not a number");
      return Value();
    }
    total += n;
  }
  return Finite(total, call);
}

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 36;
  return 99;
}

Value ParseInt(const std::vector<Value>& args, CallContext& call) {
  std::string text;
  std::int64_t base = 0;
  if (!call.GetString(args, 0, &text) || !call.GetInteger(args, 1, &base)) return Value();
  if (base < 2 || base > 62) {
    call.ArgumentError(1, "the base must be from 2 to 62, got " + std::to_string(base));
    return Value();
  }
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) i = 1;
  // Up to base 36 letters are case-insensitive, as Go's strconv reads them.
  double n = 0;
  bool any = false;
  for (; i < text.size(); ++i) {
    int digit = DigitValue(text[i]);
    if (base <= 36 && text[i] >= 'A' && text[i] <= 'Z') digit = text[i] - 'A' + 10;
    if (digit >= base) {
      any = false;
      break;
    }
    n = n * static_cast<double>(base) + digit;
    any = true;
  }
  if (!any || i != text.size() || !IsWholeNumber(n)) {
    call.ArgumentError(0, "cannot parse " + DescribeValue(args[0]) + " as a base " +
                              std::to_string(base) + " integer");
    return Value();
  }
  return Value::Number(negative ? -n : n);
}

Value Range(const std::vector<Value>& args, CallContext& call) {
  double bounds[3] = {0, 0, 1};
  for (std::size_t i = 0; i < args.size(); ++i)
    if (!call.GetNumber(args, i, &bounds[i])) return Value();
  double start = 0, limit = 0, step = 1;
  if (args.size() == 1) {
    limit = bounds[0];
    step = limit < 0 ? -1 : 1;
  } else {
    start = bounds[0];
    limit = bounds[1];
    step = args.size() == 3 ? bounds[2] : (limit < start ? -1 : 1);
  }
  if (step == 0) {
    call.ArgumentError(2, "the step must not be zero");
    return Value();
  }
  if (step < 0 && limit > start) {
    call.ArgumentError(1, "the limit must be less than the start when the step is negative");
    return Value();
  }
  if (step > 0 && limit < start) {
    call.ArgumentError(1, "the limit must be greater than the start when the step is positive");
    return Value();
  }
  ValueList out;
  for (double n = start; step > 0 ? n < limit : n > limit; n += step) {
    if (out.size() >= kMaxRange) {
      call.Error("more than " + std::to_string(kMaxRange) +
                 " numbers were generated; narrow the range or use a larger step");
      return Value();
    }
    out.push_back(Value::Number(n));
  }
  return Value::List(std::move(out));
}

}  // namespace

std::vector<Function> NumericFunctions() {
  return {
      {"abs", "abs(number)", 1, 1, false, false, Abs},
      {"ceil", "ceil(number)", 1, 1, false, false, Ceil},
      {"floor", "floor(number)", 1, 1, false, false, Floor},
      {"signum", "signum(number)", 1, 1, false, false, Signum},
      {"pow", "pow(number, power)", 2, 2, false, false, Pow},
      {"log", "log(number, base)", 2, 2, false, false, Log},
      {"max", "max(numbers...)", 1, -1, false, false, Max},
      {"min", "min(numbers...)", 1, -1, false, false, Min},
      {"sum", "sum(list)", 1, 1, false, false, Sum},
      {"parseint", "parseint(string, base)", 2, 2, false, false, ParseInt},
      {"range", "range(start, limit, step)", 1, 3, false, false, Range},
  };
}

}  // namespace reconcile::config
