// The root module's variable values: gathered from their sources, converted
// to each variable's declared type and validated.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "config/stack/stack.h"
#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile::config {

// Where root variable values come from, lowest precedence first: defaults <
// environment file < recorded release values < var files <
// RECONCILE_VAR_<name> < --var.
struct VariableSources {
  std::string environment_file;                          // environments/<ws>.toml, if it exists
  // The release values the workspace's state recorded (release variables only;
  // others are ignored), and how to name where they came from.
  std::map<std::string, Value> recorded;
  std::string recorded_origin = "recorded in the state";
  // A release variable with no value at all resolves to unknown instead of
  // failing (checks made before the state is read).
  bool unset_release_unknown = false;
  std::vector<std::string> var_files;                    // TOML files of name = value
  std::map<std::string, std::string> env;                // RECONCILE_VAR_<name> values, by name
  std::vector<std::pair<std::string, std::string>> cli;  // --var name=value, in order
};

// Resolves, converts and validates the root module's variables. A missing
// required variable, a value of the wrong type, an undeclared name in a var
// file, or a failed validation is an error. Sensitive variables come back
// marked sensitive.
// `origins`, when given, receives where each value came from: "default",
// "environments/prod.toml", "--var image_tag", "RECONCILE_VAR_image_tag", a
// var file's name, or sources.recorded_origin.
Diagnostics ResolveRootVariables(const Module& root, const VariableSources& sources,
                                 std::map<std::string, Value>* out,
                                 std::map<std::string, std::string>* origins = nullptr);

// Converts a value to a variable's declared type and runs its validations
// (used for module inputs too). `range` locates the value for messages.
Diagnostics ConvertVariable(const VariableBlock& variable, const Value& value,
                            const SourceRange& range, Value* out);

}  // namespace reconcile::config
