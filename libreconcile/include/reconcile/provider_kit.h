// The provider kit: what a provider written in C++ (aws, random, local, or a
// plugin of one's own over reconcile/plugin.h) needs beside provider.h to
// read a configuration, plan or state and to write state. One vocabulary for
// every provider; nothing here reaches AWS, the disk or the engine.
//
// Attribute reads take the map (config, planned, prior or current state) and
// an attribute name. Absent, null and unknown read as "not set": the Get*
// functions then return their fallback, the Find* functions nullopt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/value.h"

namespace reconcile {

// ---- Reading attributes.

// True when `key` holds a known, non-null value.
bool IsSet(const Value& map, std::string_view key);
// True when `key` holds a value other than null, known or not (configured).
bool Has(const Value& map, std::string_view key);
// True when `key` holds an unknown value, or a list or map with one inside.
bool IsUnknown(const Value& map, std::string_view key);
// True when `key` differs between two maps (prior and planned).
bool Changed(const Value& before, const Value& after, std::string_view key);

// A string; numbers and bools are given as text ("20", "true").
std::string GetString(const Value& map, std::string_view key);
std::optional<std::string> FindString(const Value& map, std::string_view key);
// A bool; the strings "true" and "false" count.
bool GetBool(const Value& map, std::string_view key, bool fallback = false);
std::optional<bool> FindBool(const Value& map, std::string_view key);
// A number rounded to the nearest integer; a numeric string counts.
long long GetInt(const Value& map, std::string_view key, long long fallback = 0);
std::optional<long long> FindInt(const Value& map, std::string_view key);
// A number as it is.
double GetNumber(const Value& map, std::string_view key, double fallback = 0);
// The strings of a list or set (other elements skipped).
std::vector<std::string> GetStrings(const Value& map, std::string_view key);
// The string values of a map (other values skipped).
std::map<std::string, std::string> GetStringMap(const Value& map, std::string_view key);
// The maps of a nested block list; a single block reads as a list of one.
std::vector<Value> GetBlocks(const Value& map, std::string_view key);

// The id of a state or plan ("" when absent).
inline std::string IdOf(const Value& state) { return GetString(state, "id"); }

// ---- Making state values.

Value Str(std::string s);
// A string, or null when empty (optional attributes an API reports as "").
Value StrOrNull(std::string s);
Value Num(double n);
Value Bool(bool b);
Value StrList(const std::vector<std::string>& items);
// A number from text ("20"); null when empty or not a number.
Value NumFromText(const std::string& text);
// A bool from text ("true"/"false"); null when empty.
Value BoolFromText(const std::string& text);

// Copies `keys` from `from` into `to` (null when absent): attributes that
// live only in state, which no remote read gives back.
void KeepAttributes(const Value& from, Value& to, const std::vector<std::string_view>& keys);

// ---- Encodings, digests and randomness (over OpenSSL).

namespace encoding {

enum class Base64Alphabet : unsigned char {
  kStandard,  // "+/" with "=" padding (RFC 4648 section 4)
  kUrl,       // "-_" without padding (RFC 4648 section 5)
};

std::string Base64Encode(std::string_view bytes,
                         Base64Alphabet alphabet = Base64Alphabet::kStandard);
// Accepts either alphabet, with or without padding; false on invalid input.
bool Base64Decode(std::string_view text, std::string* bytes);
std::string HexEncode(std::string_view bytes);

enum class Digest : unsigned char { kMd5, kSha1, kSha256, kSha512 };
// The raw digest of `bytes`.
std::string DigestOf(Digest digest, std::string_view bytes);

// Fills *bytes with `count` cryptographically secure random bytes (OpenSSL
// RAND_bytes); false when the generator fails.
bool RandomBytes(std::size_t count, std::string* bytes);
// A uniformly distributed integer in [0, bound), without modulo bias; bound > 0.
bool RandomBelow(std::uint32_t bound, std::uint32_t* out);

}  // namespace encoding

}  // namespace reconcile
