// IAM policy documents (assume_role_policy, inline policies) compared by
// meaning, as IAM itself does: a single value and a one-element list are the
// same, the order of statements, actions, resources and condition values does
// not matter, "Principal": "*" is {"AWS": "*"}, and an account id principal is
// its root ARN. Whitespace and key order never matter.
#pragma once

#include <optional>
#include <string>

namespace reconcile::aws_provider {

// The canonical text of a policy document; nullopt (with `error` set) when
// the text is not a JSON object.
std::optional<std::string> CanonicalPolicy(const std::string& text, std::string* error = nullptr);

// True when both texts are valid and mean the same policy.
bool EquivalentPolicies(const std::string& a, const std::string& b);

// What to record for a policy AWS holds as `aws_text`: `recorded` (the
// user's text) while it means the same, else AWS's text.
std::string PolicyForState(const std::string& aws_text, const std::string& recorded);

}  // namespace reconcile::aws_provider
