#include "config/stack/module_decoder.h"

#include "config/expr/parser.h"
#include "config/expr/suggest.h"
#include "config/stack/variable_decoder.h"
#include "reconcile/provider.h"

namespace reconcile::config {
namespace {

const std::vector<std::string> kBlockTypes = {"backend", "data",   "deploy", "encryption", "locals",
                                              "module",  "output", "provider",
                                              "required_providers", "resource",
                                              "stack",   "variable"};
const std::vector<std::string> kResourceMetaArguments = {"count", "depends_on", "for_each",
                                                         "lifecycle", "provider"};
// Meta-arguments distinctive enough that a near miss is surely a typo (count
// and provider are too close to plausible attribute names).
const std::vector<std::string> kTypoProneMetaArguments = {"depends_on", "for_each", "lifecycle"};
const std::vector<std::string> kLifecycleSettings = {"create_before_destroy", "ignore_changes",
                                                     "prevent_destroy"};

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

// "aws" or "aws.west".
bool IsProviderKey(const std::string& key) {
  std::size_t dot = key.find('.');
  if (dot == std::string::npos) return IsName(key);
  return IsName(std::string_view(key).substr(0, dot)) &&
         IsName(std::string_view(key).substr(dot + 1));
}

// ParsePath, minus its exception on an index too large for an integer.
bool IsAttributePath(const std::string& text) {
  ValuePath path;
  try {
    return ParsePath(text, &path);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

void ModuleDecoder::Decode(const TomlDocument& doc) {
  doc_ = &doc;
  for (const auto& [key, node] : doc.root.entries) DecodeTopLevel(key, node);
  doc_ = nullptr;
}

void ModuleDecoder::DecodeVariable(const std::string& name, const TomlNode& node) {
  VariableBlock variable = VariableDecoder(diags_, *doc_).DecodeVariable(name, node);
  auto existing = module_.variables.find(name);
  if (existing != module_.variables.end()) {
    CheckUnique("variable", name, existing->second.range, variable.range);
    return;
  }
  module_.variables.emplace(name, std::move(variable));
}

void ModuleDecoder::DecodeOutput(const std::string& name, const TomlNode& node) {
  OutputBlock output = VariableDecoder(diags_, *doc_).DecodeOutput(name, node);
  auto existing = module_.outputs.find(name);
  if (existing != module_.outputs.end()) {
    CheckUnique("output", name, existing->second.range, output.range);
    return;
  }
  module_.outputs.emplace(name, std::move(output));
}

void ModuleDecoder::DecodeTopLevel(const std::string& key, const TomlNode& node) {
  if (key == "resource") return DecodeResources(node, ResourceMode::kManaged);
  if (key == "data") return DecodeResources(node, ResourceMode::kData);
  if (key == "variable")
    return ForEachNamed(node, key, [&](const std::string& n, const TomlNode& t) { DecodeVariable(n, t); });
  if (key == "output")
    return ForEachNamed(node, key, [&](const std::string& n, const TomlNode& t) { DecodeOutput(n, t); });
  if (key == "module")
    return ForEachNamed(node, key, [&](const std::string& n, const TomlNode& t) { DecodeModuleCall(n, t); });
  if (key == "provider") {
    if (!ExpectTable(node, "provider")) return;
    for (const auto& [name, child] : node.entries) DecodeProviders(name, child);
    return;
  }
  if (key == "required_providers") {
    if (!ExpectTable(node, "required_providers")) return;
    for (const auto& [name, child] : node.entries) DecodeRequiredProvider(name, child);
    return;
  }
  if (key == "locals") return DecodeLocals(node);
  if (key == "backend") return DecodeBackends(node);
  if (key == "encryption") return DecodeEncryption(node);
  if (key == "stack") return DecodeStackSettings(node);
  if (key == "deploy") return DecodeDeploySettings(node);
  const std::string what = node.is_table() ? "Unknown block type " : "Unexpected top-level setting ";
  diags_.Error(what + Quote(key) + DidYouMean(key, kBlockTypes),
               "A stack file holds [backend.TYPE], [encryption], [provider.NAME], [required_providers.NAME], "
               "[variable.NAME], [locals], [resource.TYPE.NAME], [data.TYPE.NAME], "
               "[output.NAME], [module.NAME], [stack] and [deploy] tables.",
               node.key_range);
}

template <typename F>
void ModuleDecoder::ForEachNamed(const TomlNode& node, const std::string& kind, F decode) {
  if (!ExpectTable(node, kind)) return;
  for (const auto& [name, child] : node.entries) {
    if (!child.is_table()) {
      diags_.Error("Invalid " + kind + " block " + Quote(name) + ": expected a table, got " +
                       std::string(child.KindName()),
                   "Write it as [" + kind + "." + name + "] followed by its settings.",
                   child.key_range);
      continue;
    }
    if (CheckName(name, child, kind)) decode(name, child);
  }
}

// --- resources and data sources ------------------------------------------------------

void ModuleDecoder::DecodeResources(const TomlNode& node, ResourceMode mode) {
  const std::string kind = mode == ResourceMode::kData ? "data" : "resource";
  if (!ExpectTable(node, kind)) return;
  for (const auto& [type, names] : node.entries) {
    if (!names.is_table()) {
      diags_.Error("Invalid " + kind + " block: expected [" + kind + ".TYPE.NAME], found " +
                       Quote(kind + "." + type) + " = " + std::string(names.KindName()),
                   {}, names.key_range);
      continue;
    }
    if (!CheckName(type, names, kind + " type")) continue;
    for (const auto& [name, block] : names.entries) {
      if (!block.is_table()) {
        diags_.Error("Invalid " + kind + " block: expected [" + kind + "." + type +
                         ".NAME], found " + Quote(kind + "." + type + "." + name) + " = " +
                         std::string(block.KindName()),
                     "A " + kind + " needs a type and a name: [" + kind + "." + type +
                         ".main] followed by its settings.",
                     block.key_range);
        continue;
      }
      if (CheckName(name, block, kind)) DecodeResource(mode, type, name, block);
    }
  }
}

void ModuleDecoder::DecodeResource(ResourceMode mode, const std::string& type,
                                   const std::string& name, const TomlNode& node) {
  ResourceBlock block;
  block.mode = mode;
  block.type = type;
  block.name = name;
  block.range = node.range;
  block.body.range = node.range;
  block.provider = ProviderNameForType(type);
  for (const auto& [key, value] : node.entries) {
    if (DecodeMetaArgument(key, value, block)) continue;
    std::string typo = ClosestName(key, kTypoProneMetaArguments);
    if (!typo.empty()) {
      diags_.Error("Unsupported argument " + Quote(key) + "; did you mean " + Quote(typo) + "?",
                   "This looks like a misspelt meta-argument.", value.key_range);
      continue;
    }
    block.body.attributes.emplace_back(key, ToExpression(value));
  }
  if (block.count && block.for_each) {
    diags_.Error("Invalid combination of \"count\" and \"for_each\" in " + block.Key(),
                 "A resource may use count or for_each, not both.", block.for_each->range());
  }
  auto existing = module_.resources.find(block.Key());
  if (existing != module_.resources.end()) {
    CheckUnique(mode == ResourceMode::kData ? "data source" : "resource", block.Key(),
                existing->second.range, block.range);
    return;
  }
  module_.resources.emplace(block.Key(), std::move(block));
}

std::optional<Expression> ModuleDecoder::DecodeExpansion(const std::string& key,
                                                         const TomlNode& value) {
  if (key == "count") {
    if (value.kind == TomlNode::Kind::kInteger || value.kind == TomlNode::Kind::kFloat ||
        ExpectKind(value, TomlNode::Kind::kString, "count (a whole number or \"${...}\")"))
      return ToExpression(value);
  } else if (value.is_table() || value.is_array() ||
             ExpectKind(value, TomlNode::Kind::kString, "for_each (a map, a list or \"${...}\")")) {
    return ToExpression(value);
  }
  return std::nullopt;
}

bool ModuleDecoder::DecodeMetaArgument(const std::string& key, const TomlNode& value,
                                       ResourceBlock& block) {
  if (key == "count" || key == "for_each") {
    (key == "count" ? block.count : block.for_each) = DecodeExpansion(key, value);
  } else if (key == "depends_on") {
    block.depends_on = DecodeDependsOn(value);
  } else if (key == "provider") {
    if (!ExpectKind(value, TomlNode::Kind::kString, "provider")) return true;
    if (!IsProviderKey(value.text)) {
      diags_.Error("Invalid provider " + Quote(value.text) +
                       ": expected a provider name like \"aws\" or \"aws.west\"",
                   {}, value.range);
      return true;
    }
    block.provider = value.text;
  } else if (key == "lifecycle") {
    if (block.mode == ResourceMode::kData) {
      diags_.Error("Unsupported argument \"lifecycle\" in " + block.Key(),
                   "Data sources are only read, so lifecycle settings do not apply.",
                   value.key_range);
      return true;
    }
    DecodeLifecycle(value, block);
  } else {
    return false;
  }
  return true;
}

void ModuleDecoder::DecodeLifecycle(const TomlNode& node, ResourceBlock& block) {
  if (!ExpectTable(node, "lifecycle")) return;
  Lifecycle& lifecycle = block.lifecycle;
  lifecycle.range = node.range;
  for (const auto& [key, value] : node.entries) {
    if (key == "prevent_destroy" || key == "create_before_destroy") {
      if (!ExpectKind(value, TomlNode::Kind::kBool, "lifecycle." + key + " (true or false)"))
        continue;
      (key == "prevent_destroy" ? lifecycle.prevent_destroy : lifecycle.create_before_destroy) =
          value.boolean;
    } else if (key == "ignore_changes") {
      if (value.is_string() && value.text == "all") {
        lifecycle.ignore_all_changes = true;
        continue;
      }
      if (!ExpectKind(value, TomlNode::Kind::kArray,
                      "lifecycle.ignore_changes (a list of attribute paths, or \"all\")"))
        continue;
      for (const TomlNode& item : value.items) {
        if (!item.is_string() || !IsAttributePath(item.text)) {
          diags_.Error("Invalid ignore_changes entry: expected an attribute path like "
                       "\"tags.Name\" or \"ingress[0].cidr_blocks\"",
                       {}, item.range);
          continue;
        }
        lifecycle.ignore_changes.push_back(item.text);
      }
    } else {
      UnsupportedArgument(key, value, "lifecycle of " + block.Key(), kLifecycleSettings);
    }
  }
}

// --- modules, providers, backends, locals, [stack] ---------------------------------------

void ModuleDecoder::DecodeModuleCall(const std::string& name, const TomlNode& node) {
  ModuleCall call;
  call.name = name;
  call.range = node.range;
  call.inputs.range = node.range;
  bool has_source = false;
  for (const auto& [key, value] : node.entries) {
    if (key == "source") {
      has_source = ExpectKind(value, TomlNode::Kind::kString, "module source (a directory)");
      call.source = value.text;
      call.source_range = value.range;
    } else if (key == "depends_on") {
      call.depends_on = DecodeDependsOn(value);
    } else if (key == "count" || key == "for_each") {
      std::optional<Expression>& meta = key == "count" ? call.count : call.for_each;
      meta = DecodeExpansion(key, value);
    } else if (key == "providers" || key == "version") {
      diags_.Error("Unsupported argument " + Quote(key) + " in module " + Quote(name),
                   "Module blocks take a source, count or for_each, depends_on and the module's "
                   "input variables.",
                   value.key_range);
    } else {
      call.inputs.attributes.emplace_back(key, ToExpression(value));
    }
  }
  if (call.count && call.for_each) {
    diags_.Error("Invalid combination of \"count\" and \"for_each\" in module " + Quote(name),
                 "A module may use count or for_each, not both.", call.for_each->range());
  }
  if (!has_source && call.source_range.file.empty()) {
    diags_.Error("Missing source in module " + Quote(name),
                 "Give the module's directory: source = \"./modules/" + name + "\".", node.range);
  }
  auto existing = module_.module_calls.find(name);
  if (existing != module_.module_calls.end()) {
    CheckUnique("module", name, existing->second.range, call.range);
    return;
  }
  module_.module_calls.emplace(name, std::move(call));
}

void ModuleDecoder::DecodeProviders(const std::string& key, const TomlNode& node) {
  // [provider."aws.west"] names an aliased configuration directly.
  const std::size_t dot = key.find('.');
  const std::string name = key.substr(0, dot);
  const std::string alias = dot == std::string::npos ? "" : key.substr(dot + 1);
  if (!CheckName(name, node, "provider") || (!alias.empty() && !CheckName(alias, node, "provider alias")))
    return;
  if (!is_root_) {
    diags_.Error("Provider configuration in a module: [provider." + name + "]",
                 "Configure providers in the root module; modules use their caller's providers.",
                 node.key_range);
    return;
  }
  if (node.is_array()) {
    for (const TomlNode& item : node.items)
      if (ExpectTable(item, "provider")) DecodeProvider(name, alias, item);
    return;
  }
  if (ExpectTable(node, "provider")) DecodeProvider(name, alias, node);
}

void ModuleDecoder::DecodeProvider(const std::string& name, const std::string& alias,
                                   const TomlNode& node) {
  ProviderBlock block;
  block.name = name;
  block.alias = alias;
  block.range = node.range;
  block.body.range = node.range;
  for (const auto& [key, value] : node.entries) {
    if (key != "alias") {
      block.body.attributes.emplace_back(key, ToExpression(value));
    } else if (ExpectKind(value, TomlNode::Kind::kString, "provider alias") &&
               CheckName(value.text, value, "provider alias")) {
      if (!alias.empty() && alias != value.text) {
        diags_.Error("Conflicting alias \"" + value.text + "\" in [provider.\"" + name + "." +
                         alias + "\"]",
                     "The table name already gives the alias.", value.range);
      }
      block.alias = value.text;
    }
  }
  auto existing = module_.providers.find(block.Key());
  if (existing != module_.providers.end()) {
    CheckUnique("provider configuration", block.Key(), existing->second.range, block.range);
    return;
  }
  module_.providers.emplace(block.Key(), std::move(block));
}

void ModuleDecoder::DecodeRequiredProvider(const std::string& name, const TomlNode& node) {
  if (!CheckName(name, node, "provider")) return;
  RequiredProvider required;
  required.name = name;
  required.range = node.range;
  if (node.is_string()) {
    required.version = node.text;
  } else if (ExpectTable(node, "required_providers." + name)) {
    for (const auto& [key, value] : node.entries) {
      if (key == "version" || key == "source") {
        if (ExpectKind(value, TomlNode::Kind::kString, key))
          (key == "version" ? required.version : required.source) = value.text;
      } else {
        UnsupportedArgument(key, value, "required_providers." + name, {"source", "version"});
      }
    }
  }
  auto existing = module_.required_providers.find(name);
  if (existing != module_.required_providers.end()) {
    CheckUnique("required provider", name, existing->second.range, required.range);
    return;
  }
  module_.required_providers.emplace(name, std::move(required));
}

void ModuleDecoder::DecodeBackends(const TomlNode& node) {
  if (!ExpectTable(node, "backend")) return;
  for (const auto& [type, settings] : node.entries) {
    if (!is_root_) {
      diags_.Error("Backend configuration in a module: [backend." + type + "]",
                   "Only the root module says where state is kept.", settings.key_range);
      continue;
    }
    if (!ExpectTable(settings, "backend." + type) || !CheckName(type, settings, "backend type"))
      continue;
    if (module_.backend) {
      diags_.Error("Duplicate backend [backend." + type + "]: [backend." + module_.backend->type +
                       "] is already configured at " + module_.backend->range.ToString(),
                   "A stack has one backend.", settings.range);
      continue;
    }
    BackendBlock block;
    block.type = type;
    block.range = settings.range;
    block.body.range = settings.range;
    for (const auto& [key, value] : settings.entries)
      block.body.attributes.emplace_back(key, ToExpression(value));
    module_.backend = std::move(block);
  }
}

void ModuleDecoder::DecodeEncryption(const TomlNode& node) {
  if (!ExpectTable(node, "encryption")) return;
  if (!is_root_) {
    diags_.Error("Encryption configuration in a module: [encryption]",
                 "Only the root module says how its state is encrypted.", node.key_range);
    return;
  }
  if (module_.encryption) {
    diags_.Error("Duplicate [encryption] block: one is already configured at " +
                     module_.encryption->range.ToString(),
                 "A stack has one [encryption] block.", node.range);
    return;
  }
  EncryptionBlock block;
  block.range = node.range;
  block.body.range = node.range;
  for (const auto& [key, value] : node.entries) block.body.attributes.emplace_back(key, ToExpression(value));
  module_.encryption = std::move(block);
}

void ModuleDecoder::DecodeLocals(const TomlNode& node) {
  if (!ExpectTable(node, "locals")) return;
  for (const auto& [name, value] : node.entries) {
    if (!CheckName(name, value, "local value")) continue;
    auto existing = module_.locals.find(name);
    if (existing != module_.locals.end()) {
      CheckUnique("local value", name, existing->second.range, value.key_range);
      continue;
    }
    module_.locals.emplace(name, LocalValue{name, ToExpression(value), value.key_range});
  }
}

void ModuleDecoder::DecodeStackSettings(const TomlNode& node) {
  if (!ExpectTable(node, "stack")) return;
  if (stack_settings_range_.valid()) {
    CheckUnique("[stack] table", "stack", stack_settings_range_, node.range);
    return;
  }
  stack_settings_range_ = node.range;
  for (const auto& [key, value] : node.entries) {
    if (key != "name") {
      UnsupportedArgument(key, value, "[stack]", {"name"});
    } else if (ExpectKind(value, TomlNode::Kind::kString, "stack name")) {
      module_.stack_name = value.text;
    }
  }
}

// [deploy] variable = "release_tag", channels = { "devbuild-*" = "dev" }.
void ModuleDecoder::DecodeDeploySettings(const TomlNode& node) {
  if (!ExpectTable(node, "deploy")) return;
  if (module_.deploy) {
    CheckUnique("[deploy] table", "deploy", module_.deploy->range, node.range);
    return;
  }
  DeploySettings settings;
  settings.range = node.range;
  for (const auto& [key, value] : node.entries) {
    if (key == "variable") {
      if (ExpectKind(value, TomlNode::Kind::kString, "deploy variable (a release variable's name)"))
        settings.variable = value.text;
    } else if (key == "channels") {
      if (!ExpectTable(value, "deploy channels ({ \"TAG-PATTERN\" = \"WORKSPACE\" })")) continue;
      for (const auto& [pattern, workspace] : value.entries)
        if (ExpectKind(workspace, TomlNode::Kind::kString, "the workspace of channel " + Quote(pattern)))
          settings.channels.emplace_back(pattern, workspace.text);
    } else {
      UnsupportedArgument(key, value, "[deploy]", {"channels", "variable"});
    }
  }
  module_.deploy = std::move(settings);
}

}  // namespace reconcile::config
