// Reading attributes out of a configuration, plan or state map, and making
// state values, in one line each. Absent, null and unknown read as "not set".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/value.h"

namespace reconcile::aws_provider {

// True when `key` holds a known, non-null value.
bool IsSet(const Value& map, std::string_view key);
// True when `key` differs between two maps (prior and planned).
bool Changed(const Value& before, const Value& after, std::string_view key);

std::string GetString(const Value& map, std::string_view key);
std::optional<std::string> FindString(const Value& map, std::string_view key);
bool GetBool(const Value& map, std::string_view key, bool fallback = false);
std::optional<bool> FindBool(const Value& map, std::string_view key);
long long GetInt(const Value& map, std::string_view key, long long fallback = 0);
std::optional<long long> FindInt(const Value& map, std::string_view key);
std::vector<std::string> GetStrings(const Value& map, std::string_view key);
std::map<std::string, std::string> GetStringMap(const Value& map, std::string_view key);
// The maps of a nested block list (empty when unset).
std::vector<Value> GetBlocks(const Value& map, std::string_view key);

// State values.
Value Str(std::string s);
// A string, or null when empty (optional attributes AWS reports as "").
Value StrOrNull(std::string s);
Value Num(double n);
Value Bool(bool b);
Value StrList(const std::vector<std::string>& items);
// A number from AWS text ("20"), null when empty or not a number.
Value NumFromText(const std::string& text);
// A bool from AWS text ("true"/"false"), null when empty.
Value BoolFromText(const std::string& text);

// The id of a state or plan ("" when absent).
inline std::string IdOf(const Value& state) { return GetString(state, "id"); }

// Copies `keys` from `from` into `to` (attributes AWS cannot read back).
void KeepAttributes(const Value& from, Value& to, const std::vector<std::string_view>& keys);

}  // namespace reconcile::aws_provider
