#include "config/stack/block_decoder.h"

#include "config/expr/expr_node.h"
#include "config/expr/parser.h"
#include "config/expr/suggest.h"
#include "config/stack/toml_expression.h"

namespace reconcile::config {
namespace {

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

}  // namespace

bool IsName(std::string_view name) {
  if (name.empty() || !IsNameStart(name[0])) return false;
  for (char c : name)
    if (!IsNameStart(c) && !(c >= '0' && c <= '9') && c != '-') return false;
  return true;
}

bool BlockDecoder::ExpectTable(const TomlNode& node, const std::string& what) {
  return ExpectKind(node, TomlNode::Kind::kTable, what);
}

bool BlockDecoder::ExpectKind(const TomlNode& node, TomlNode::Kind kind, const std::string& what) {
  if (node.kind == kind) return true;
  TomlNode expected;
  expected.kind = kind;
  const std::string name(expected.KindName());
  const std::string article = name[0] == 'a' || name[0] == 'i' ? "an " : "a ";
  diags_.Error(
      "Invalid " + what + ": expected " + article + name + ", got " + std::string(node.KindName()),
      {}, node.range);
  return false;
}

bool BlockDecoder::CheckName(const std::string& name, const TomlNode& node,
                             const std::string& what) {
  if (IsName(name)) return true;
  diags_.Error("Invalid " + what + " name " + Quote(name),
               "Names start with a letter or underscore and hold letters, digits, underscores "
               "and dashes.",
               node.key_range);
  return false;
}

bool BlockDecoder::CheckUnique(const std::string& what, const std::string& key,
                               const SourceRange& existing, const SourceRange& here) {
  diags_.Error("Duplicate " + what + " " + Quote(key) + ": first defined at " + existing.ToString(),
               "Each name may be defined once across all the stack's files.", here);
  return false;
}

void BlockDecoder::UnsupportedArgument(const std::string& key, const TomlNode& node,
                                       const std::string& where,
                                       const std::vector<std::string>& allowed) {
  std::string list;
  for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
  diags_.Error("Unsupported argument " + Quote(key) + " in " + where + DidYouMean(key, allowed),
               "Expected one of: " + list + ".", node.key_range);
}

Expression BlockDecoder::ToExpression(const TomlNode& node) {
  return ExpressionFromToml(*doc_, node, diags_);
}

std::vector<Reference> BlockDecoder::DecodeDependsOn(const TomlNode& node) {
  std::vector<Reference> refs;
  if (!ExpectKind(node, TomlNode::Kind::kArray, "depends_on (a list of addresses)")) return refs;
  for (const TomlNode& item : node.items) {
    if (!ExpectKind(item, TomlNode::Kind::kString, "a depends_on entry (an address string)"))
      continue;
    std::string text = item.text;
    if (text.size() > 3 && text.rfind("${", 0) == 0 && text.back() == '}')
      text = text.substr(2, text.size() - 3);
    Diagnostics local;
    Expression e = ParseExpressionAt(text, OriginOf(*doc_, item), local);
    const ExprNode* parsed = ExprNode::Of(e);
    const bool whole_object =
        !local.HasErrors() && parsed && parsed->kind == ExprNode::Kind::kReference &&
        (parsed->reference.kind == RefKind::kResource || parsed->reference.kind == RefKind::kData ||
         (parsed->reference.kind == RefKind::kModule && parsed->reference.attr.empty()));
    if (!whole_object) {
      diags_.Error("Invalid depends_on entry " + Quote(item.text) +
                       ": expected a resource, data source or module address",
                   "Write it as \"aws_vpc.main\", \"data.aws_ami.ubuntu\" or \"module.network\".",
                   item.range);
      continue;
    }
    refs.push_back(parsed->reference);
  }
  return refs;
}

}  // namespace reconcile::config
