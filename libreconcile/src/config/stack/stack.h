// A loaded stack: the blocks of every *.toml file in a directory, merged, with
// child modules loaded recursively. Nothing is evaluated here; the engine
// evaluates expressions against state as it plans.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/expr/expression.h"
#include "reconcile/address.h"
#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile::config {

// The attributes of a block in source order, each with its expression (nested
// blocks are list/map expressions).
struct Body {
  std::vector<std::pair<std::string, Expression>> attributes;
  SourceRange range;

  const Expression* Find(std::string_view name) const;
};

struct Validation {
  Expression condition;
  std::string error_message;
  SourceRange range;
};

struct VariableBlock {
  std::string name;
  std::string type = "any";  // string, number, bool, list, map, any, list(string), map(number), ...
  std::optional<Expression> default_value;
  std::string description;
  bool sensitive = false;
  bool nullable = true;
  // A release variable: the value applied last is recorded in the workspace's
  // state and used by later runs that do not set it (docs/deploy.md).
  bool release = false;
  std::vector<Validation> validations;
  SourceRange range;
};

struct LocalValue {
  std::string name;
  Expression value;
  SourceRange range;
};

struct OutputBlock {
  std::string name;
  Expression value;
  std::string description;
  bool sensitive = false;
  std::vector<Reference> depends_on;
  SourceRange range;
};

struct Lifecycle {
  bool prevent_destroy = false;
  bool create_before_destroy = false;
  bool ignore_all_changes = false;           // ignore_changes = "all"
  std::vector<std::string> ignore_changes;   // attribute paths ("tags.Name", "image")
  SourceRange range;
};

// A resource or data block.
struct ResourceBlock {
  ResourceMode mode = ResourceMode::kManaged;
  std::string type;
  std::string name;
  std::optional<Expression> count;
  std::optional<Expression> for_each;
  std::vector<Reference> depends_on;
  std::string provider;  // "aws" or "aws.west"; defaults to ProviderNameForType(type)
  Lifecycle lifecycle;
  Body body;  // every attribute that is not a meta-argument
  SourceRange range;

  // "aws_vpc.main" or "data.aws_ami.ubuntu".
  std::string Key() const;
};

// A [provider.NAME] block; an alias makes it `NAME.ALIAS`.
struct ProviderBlock {
  std::string name;
  std::string alias;
  Body body;
  SourceRange range;

  std::string Key() const { return alias.empty() ? name : name + "." + alias; }
};

struct RequiredProvider {
  std::string name;
  std::string version;  // constraint: "= 1.2.0", ">= 0.1", "~> 1.0"
  std::string source;
  SourceRange range;
};

struct BackendBlock {
  std::string type;  // "local", "s3"
  Body body;
  SourceRange range;
};

// [deploy]: how `reconcile deploy --tag T` picks a workspace (docs/deploy.md).
struct DeploySettings {
  std::string variable;  // the release variable a tag sets
  // Tag patterns ('*' matches any run of characters) and their workspaces, in
  // source order; the first match wins.
  std::vector<std::pair<std::string, std::string>> channels;
  SourceRange range;
};

// The [encryption] block (root module only): client-side encryption of state,
// journal and plan files. Evaluated by the engine (docs/encryption.md).
struct EncryptionBlock {
  Body body;
  SourceRange range;
};

struct Module;

// A [module.NAME] block: source is a local directory relative to the calling
// module; count or for_each make several instances of it; every other
// attribute is an input variable.
struct ModuleCall {
  std::string name;
  std::string source;
  Body inputs;
  std::optional<Expression> count;
  std::optional<Expression> for_each;
  std::vector<Reference> depends_on;
  std::shared_ptr<Module> module;  // loaded child
  SourceRange range;
  SourceRange source_range;  // where `source` is written
};

struct Module {
  std::string dir;           // absolute directory
  std::string display_dir;   // relative to the stack root, "" for the root
  std::vector<std::string> path;  // module call names from the root: {"net"}

  std::map<std::string, VariableBlock> variables;
  std::map<std::string, LocalValue> locals;
  std::map<std::string, OutputBlock> outputs;
  std::map<std::string, ResourceBlock> resources;  // by Key()
  std::map<std::string, ModuleCall> module_calls;
  std::map<std::string, ProviderBlock> providers;  // by Key(); root module only
  std::map<std::string, RequiredProvider> required_providers;
  std::optional<BackendBlock> backend;  // root module only
  std::optional<EncryptionBlock> encryption;  // root module only
  // [stack] name = "...": names the stack in ownership tags (default: dir name).
  std::string stack_name;
  std::optional<DeploySettings> deploy;  // root module only
};

struct Stack {
  std::string dir;  // absolute
  std::shared_ptr<Module> root;
};

}  // namespace reconcile::config
