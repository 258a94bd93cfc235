// Checks one invalid stack: loads it, checks references, resolves variables
// with no inputs (but environments/default.toml when present) and expands the
// count/for_each of resources and module calls that depend only on variables;
// then compares the first line of every diagnostic with the case's
// expected.txt.
//
//   invalid_stack_runner CASE_DIR        exit 0 on a match, 1 otherwise
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "config/stack/instances.h"
#include "config/stack/reference_check.h"
#include "config/stack/stack_loader.h"
#include "config/stack/variables.h"

namespace fs = std::filesystem;
using namespace reconcile;
using namespace reconcile::config;

namespace {

// Resolves var.NAME from resolved root variables; nothing else.
class VariablesOnlyScope : public Scope {
 public:
  explicit VariablesOnlyScope(const std::map<std::string, Value>& values) : values_(values) {}
  Value Resolve(const Reference& ref, Diagnostics& diags) override {
    auto it = values_.find(ref.name);
    if (ref.kind == RefKind::kVariable && it != values_.end()) return it->second;
    diags.Error("Unexpected reference " + ref.ToString(), {}, ref.range);
    return Value();
  }
  std::string BaseDir() const override { return "."; }

 private:
  const std::map<std::string, Value>& values_;
};

bool OnlyVariables(const Expression& e) {
  for (const Reference& ref : e.References())
    if (ref.kind != RefKind::kVariable) return false;
  return true;
}

void ExpandRootResources(const Module& root, const std::map<std::string, Value>& values,
                         Diagnostics& diags) {
  VariablesOnlyScope scope(values);
  for (const auto& [key, block] : root.resources) {
    const std::optional<Expression>& meta = block.count ? block.count : block.for_each;
    if (!meta || !OnlyVariables(*meta)) continue;
    std::vector<InstanceSpec> specs;
    diags.Append(ExpandInstances(block, scope, &specs));
  }
  for (const auto& [name, call] : root.module_calls) {
    const std::optional<Expression>& meta = call.count ? call.count : call.for_each;
    if (!meta || !OnlyVariables(*meta)) continue;
    std::vector<InstanceSpec> specs;
    diags.Append(ExpandInstances(call.count, call.for_each, scope, &specs));
  }
}

Diagnostics Check(const std::string& dir) {
  Stack stack;
  Diagnostics diags = LoadStack(dir, &stack);
  if (diags.HasErrors() || !stack.root) return diags;
  diags.Append(CheckReferences(stack));
  VariableSources sources;
  const fs::path environment = fs::path(dir) / "environments" / "default.toml";
  if (fs::exists(environment)) sources.environment_file = environment.string();
  std::map<std::string, Value> values;
  Diagnostics variables = ResolveRootVariables(*stack.root, sources, &values);
  diags.Append(variables);
  if (!variables.HasErrors()) ExpandRootResources(*stack.root, values, diags);
  return diags;
}

std::string FirstLines(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags) {
    std::string text = d.ToString();
    out += text.substr(0, text.find('\n')) + "\n";
  }
  return out;
}

std::string ReadExpected(const fs::path& file) {
  std::ifstream in(file);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) out += line + "\n";
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: invalid_stack_runner CASE_DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  const std::string expected = ReadExpected(fs::path(dir) / "expected.txt");
  const Diagnostics diags = Check(dir);
  const std::string actual = FirstLines(diags);
  if (expected.empty()) {
    std::cerr << "missing or empty expected.txt in " << dir << "\n";
    return 1;
  }
  if (actual == expected) return 0;
  std::cout << "Expected:\n" << expected << "\nActual:\n" << actual << "\nFull diagnostics:\n"
            << diags.ToString() << "\n";
  return 1;
}
