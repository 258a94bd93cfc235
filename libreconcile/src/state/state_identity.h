// The identity (lineage, serial) of a stored state document, read without
// parsing the whole document: backends check it before replacing a state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace reconcile {

struct StateIdentity {
  std::string lineage;
  std::uint64_t serial = 0;
};

// Reads the top-level "lineage" and "serial" of a state document, stopping as
// soon as both are seen (they come first in documents reconcile writes).
// False with *error set when the document is not JSON or lacks either.
bool PeekStateIdentity(std::string_view document, StateIdentity* out, std::string* error);

}  // namespace reconcile
