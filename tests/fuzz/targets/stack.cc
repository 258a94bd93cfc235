// The stack language. The first byte picks what the rest is: (0) a TOML
// string's template, (1) a bare expression, (2) stack files separated by
// "\n%%\n" (main.toml, b.toml, modules/m/main.toml, modules/m/x.toml),
// loaded, checked, resolved and evaluated. Nothing may crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/stack/instances.h"
#include "config/stack/reference_check.h"
#include "config/stack/source_reader.h"
#include "config/stack/stack_loader.h"
#include "config/stack/variables.h"
#include "fuzz_targets.h"

namespace reconcile::fuzz {
namespace {

using namespace reconcile::config;

// Answers every reference with something of every kind: nested maps and
// lists, unknowns and sensitive values.
class PermissiveScope : public Scope {
 public:
  explicit PermissiveScope(std::string base_dir) : base_dir_(std::move(base_dir)) {}

  Value Resolve(const Reference& ref, Diagnostics&) override {
    switch (ref.kind) {
      case RefKind::kEach:
        return ref.name == "key" ? Value::String("a") : Object();
      case RefKind::kCount:
        return Value::Number(1);
      case RefKind::kPath:
        return Value::String(base_dir_);
      case RefKind::kWorkspace:
        return Value::String("default");
      case RefKind::kResource:
        return Value::List({Object(), Object()});
      case RefKind::kData:
        return Value::Map({{"a", Object()}, {"b", Object()}});
      default:
        return Object();
    }
  }
  std::string BaseDir() const override { return base_dir_; }

 private:
  static Value Object() {
    return Value::Map({{"id", Value::String("id-1")},
                       {"n", Value::Number(2)},
                       {"on", Value::Bool(true)},
                       {"later", Value::Unknown()},
                       {"secret", Value::String("s").MarkedSensitive()},
                       {"list", Value::List({Value::String("x"), Value::Number(0), Value()})},
                       {"tags", Value::Map({{"Name", Value::String("n")}})}});
  }
  std::string base_dir_;
};

// A directory with a couple of files for file() and templatefile().
const std::string& FilesDir() {
  static const std::string dir = [] {
    std::string path = (std::filesystem::temp_directory_path() / "reconcile-fuzz-files").string();
    std::filesystem::create_directories(path);
    std::ofstream(path + "/a.txt") << "hello\n";
    std::ofstream(path + "/t.tpl") << "x=${x} ${upper(y)}\n";
    return path;
  }();
  return dir;
}

void EvaluateAll(const Expression& e, Scope& scope) {
  Diagnostics diags;
  (void)e.Evaluate(scope, diags);
  (void)e.References();
}

void FuzzExpression(const std::string& text, bool bare) {
  Diagnostics diags;
  SourceRange at{"fuzz.toml", 1, 1};
  Expression e = bare ? Expression::ParseExpression(text, at, diags)
                      : Expression::ParseTemplate(text, at, diags);
  PermissiveScope scope(FilesDir());
  EvaluateAll(e, scope);
}

std::vector<std::string> SplitFiles(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  const std::string separator = "\n%%\n";
  while (parts.size() < 3) {
    std::size_t at = text.find(separator, start);
    if (at == std::string::npos) break;
    parts.push_back(text.substr(start, at - start));
    start = at + separator.size();
  }
  parts.push_back(text.substr(start));
  return parts;
}

void EvaluateModule(const Module& module, Scope& scope) {
  for (const auto& [name, local] : module.locals) EvaluateAll(local.value, scope);
  for (const auto& [name, output] : module.outputs) EvaluateAll(output.value, scope);
  for (const auto& [key, block] : module.resources) {
    std::vector<InstanceSpec> specs;
    (void)ExpandInstances(block, scope, &specs);
    for (const auto& [name, e] : block.body.attributes) EvaluateAll(e, scope);
  }
  for (const auto& [name, call] : module.module_calls) {
    for (const auto& [input, e] : call.inputs.attributes) EvaluateAll(e, scope);
    if (call.module) EvaluateModule(*call.module, scope);
  }
}

void FuzzStackFiles(const std::string& text) {
  static const char* kNames[] = {"/fuzz/main.toml", "/fuzz/b.toml", "/fuzz/modules/m/main.toml",
                                 "/fuzz/modules/m/x.toml"};
  MemorySourceReader reader;
  std::vector<std::string> files = SplitFiles(text);
  for (std::size_t i = 0; i < files.size(); ++i) reader.Add(kNames[i], files[i]);
  Stack stack;
  Diagnostics diags = LoadStackFrom(reader, "/fuzz", &stack);
  if (!stack.root) return;
  diags.Append(CheckReferences(stack));
  VariableSources sources;
  for (const auto& [name, variable] : stack.root->variables) sources.env[name] = "[\"a\", 1]";
  std::map<std::string, Value> values;
  diags.Append(ResolveRootVariables(*stack.root, sources, &values));
  PermissiveScope scope(FilesDir());
  EvaluateModule(*stack.root, scope);
  (void)diags.ToString();
}

}  // namespace

void FuzzStack(std::string_view input) {
  if (input.empty()) return;
  const std::string text(input.substr(1));
  switch (static_cast<unsigned char>(input[0]) % 3) {
    case 0:
      FuzzExpression(text, /*bare=*/false);
      break;
    case 1:
      FuzzExpression(text, /*bare=*/true);
      break;
    default:
      FuzzStackFiles(text);
      break;
  }
}

}  // namespace reconcile::fuzz
