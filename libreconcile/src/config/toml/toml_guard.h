// What a stack file's text must be before toml11 reads it, and the small
// scans of TOML text the layer needs around toml11: toml11 parses nested
// arrays and inline tables recursively, and copies and frees its trees
// recursively (dotted-key levels included), so depth is bounded first.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/diagnostics.h"

namespace reconcile::config {

// False, with one diagnostic at file:line:col, when the text is over 16 MiB,
// not UTF-8, nests arrays and inline tables deeper than kMaxTomlNesting, or
// has a dotted key of more parts.
bool CheckTomlText(std::string_view text, const std::string& display_name, Diagnostics& diags);

// The text with each "\r\n" made "\n" (a CR elsewhere stays, for toml11 to
// refuse). No token moves line or column.
std::string WithoutCarriageReturns(std::string text);

// A (dotted) key as written: where its parts start, and where it ends.
struct KeyScan {
  std::vector<std::size_t> parts;
  std::size_t end = 0;
};

// Scans the key written at text[i], stopping after kMaxTomlNesting + 1 parts.
KeyScan ScanKey(std::string_view text, std::size_t i);

// A character of a bare key: A-Z a-z 0-9 _ -.
bool IsBareKeyChar(char c);

}  // namespace reconcile::config
