// File functions: file(path), templatefile(path, vars) and fileset(path,
// pattern), reading relative to the scope's base directory (the module's
// directory).
#include "config/expr/functions_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/expr/conversion.h"
#include "config/expr/evaluator.h"
#include "config/expr/functions.h"
#include "config/expr/glob_match.h"
#include "config/expr/parser.h"
#include "config/expr/suggest.h"
#include "core/utf8.h"

namespace reconcile::config {
namespace {

constexpr std::uintmax_t kMaxFileBytes = 16 * 1024 * 1024;

std::string ResolvePath(const std::string& path, CallContext& call) {
  std::filesystem::path p(path);
  if (p.is_absolute()) return p.lexically_normal().string();
  return (std::filesystem::path(call.eval().scope.BaseDir()) / p).lexically_normal().string();
}

// Reads the file named by argument 0; reports a missing or unreadable file.
bool ReadArgumentFile(const std::vector<Value>& args, CallContext& call, std::string* path,
                      std::string* contents) {
  if (!call.GetString(args, 0, path)) return false;
  const std::string full = ResolvePath(*path, call);
  std::error_code error;
  if (!std::filesystem::is_regular_file(full, error)) {
    call.ArgumentError(0, "no file exists at \"" + full + "\"");
    return false;
  }
  if (std::filesystem::file_size(full, error) > kMaxFileBytes) {
    call.ArgumentError(0, "the file \"" + full + "\" is larger than 16 MiB");
    return false;
  }
  std::ifstream in(full, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in) {
    call.ArgumentError(0, "the file \"" + full + "\" could not be read");
    return false;
  }
  *contents = buffer.str();
  if (!IsValidUtf8(*contents)) {
    call.ArgumentError(0, "the file \"" + full + "\" is not valid UTF-8 text");
    return false;
  }
  return true;
}

Value File(const std::vector<Value>& args, CallContext& call) {
  std::string path, contents;
  if (!ReadArgumentFile(args, call, &path, &contents)) return Value();
  return Value::String(std::move(contents));
}

// Resolves a template's bare names from the vars map.
class TemplateScope : public Scope {
 public:
  TemplateScope(const ValueMap& vars, std::string base_dir)
      : vars_(vars), base_dir_(std::move(base_dir)) {}

  Value Resolve(const Reference& ref, Diagnostics& diags) override {
    auto it = vars_.find(ref.name);
    if (ref.kind == RefKind::kVariable && it != vars_.end()) return it->second;
    std::vector<std::string> names;
    for (const auto& [name, value] : vars_) names.push_back(name);
    diags.Error("Invalid template variable \"" + ref.name + "\"" + DidYouMean(ref.name, names),
                "The vars map given to templatefile has no key \"" + ref.name + "\".", ref.range);
    return Value();
  }
  std::string BaseDir() const override { return base_dir_; }

 private:
  const ValueMap& vars_;
  std::string base_dir_;
};

Value TemplateFile(const std::vector<Value>& args, CallContext& call) {
  if (call.eval().in_templatefile) {
    call.Error("templatefile cannot be called from inside a template");
    return Value();
  }
  const ValueMap* vars = nullptr;
  std::string path, contents;
  if (!call.GetMap(args, 1, &vars) || !ReadArgumentFile(args, call, &path, &contents))
    return Value();
  Diagnostics& diags = call.eval().diags;
  const std::size_t mark = diags.size();
  ParseOptions options;
  options.bare_names_are_variables = true;
  Expression tmpl = ParseTemplateAt(contents, TextOrigin(SourceRange{path, 1, 1}), diags, options);
  if (diags.size() > mark) return Value();
  TemplateScope scope(*vars, call.eval().scope.BaseDir());
  EvalContext ctx{scope, diags};
  ctx.in_templatefile = true;
  const ExprNode* node = ExprNode::Of(tmpl);
  Value result = node ? EvaluateNode(*node, ctx) : Value();
  if (diags.size() > mark) return Value();
  std::string text;
  if (result.is_unknown()) return result;
  if (!ToText(result, &text)) {
    call.Error("the template produced a " + std::string(result.kind_name()) +
               ", not a string");
    return Value();
  }
  return MarkIf(Value::String(std::move(text)), result.sensitive());
}

// Entries fileset() visits at most, so a pattern over a huge tree fails
// instead of hanging.
constexpr std::size_t kMaxFilesetEntries = 100000;

Value FileSet(const std::vector<Value>& args, CallContext& call) {
  std::string path, pattern, error;
  if (!call.GetString(args, 0, &path) || !call.GetString(args, 1, &pattern)) return Value();
  if (!ValidGlob(pattern, &error)) {
    call.ArgumentError(1, "invalid pattern \"" + pattern + "\": " + error);
    return Value();
  }
  namespace fs = std::filesystem;
  const fs::path base = ResolvePath(path, call);
  const std::string prefix = GlobStaticPrefix(pattern);
  const fs::path start = prefix.empty() ? base : base / prefix;
  std::error_code ec;
  ValueList matches;
  if (!fs::is_directory(start, ec)) return Value::List(std::move(matches));
  std::size_t visited = 0;
  for (fs::recursive_directory_iterator it(start, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (++visited > kMaxFilesetEntries) {
      call.Error("more than " + std::to_string(kMaxFilesetEntries) + " entries below \"" +
                 start.string() + "\"; narrow the path or the pattern");
      return Value();
    }
    if (!it->is_regular_file(ec)) continue;
    const std::string relative = it->path().lexically_relative(base).generic_string();
    if (GlobMatch(pattern, relative)) matches.push_back(Value::String(relative));
  }
  std::sort(matches.begin(), matches.end(),
            [](const Value& a, const Value& b) { return a.AsString() < b.AsString(); });
  return Value::List(std::move(matches));
}

}  // namespace

std::vector<Function> FileFunctions() {
  return {
      {"file", "file(path)", 1, 1, false, true, File},
      {"templatefile", "templatefile(path, vars)", 2, 2, false, true, TemplateFile},
      {"fileset", "fileset(path, pattern)", 2, 2, false, true, FileSet},
  };
}

}  // namespace reconcile::config
