// Expressions of the stack language: `${...}` templates and the values inside
// them, parsed from TOML values, with the references they make and their
// evaluation against a Scope the caller provides.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile::config {

// What a reference names at its root. The evaluator applies the rest of the
// traversal (attributes, indexes, splats) to the root value the Scope returns.
enum class RefKind : unsigned char {
  kVariable,   // var.NAME
  kLocal,      // local.NAME
  kEach,       // each.key / each.value      (name = "key" or "value")
  kCount,      // count.index                (name = "index")
  kPath,       // path.module / path.root / path.cwd
  kWorkspace,  // workspace, or terraform.workspace
  kModule,     // module.NAME[.OUTPUT]       (name, attr = output or empty)
  kResource,   // TYPE.NAME                  (type, name)
  kData,       // data.TYPE.NAME             (type, name)
};

struct Reference {
  RefKind kind = RefKind::kVariable;
  std::string type;  // resource/data type
  std::string name;
  std::string attr;  // module output name, when the reference names one
  SourceRange range;

  // As written at its root: "var.region", "aws_vpc.main", "module.net.vpc_id".
  std::string ToString() const;
};

// Resolves reference roots during evaluation. Implemented by the engine (and
// by tests). A Scope returns Unknown for what is known only after apply.
class Scope {
 public:
  virtual ~Scope() = default;
  // The value at the reference's root: for a resource, its object (or list of
  // objects with count, map with for_each); for module.NAME.OUTPUT the output.
  // Reports undefined names into diags (with ref.range) and returns null.
  virtual Value Resolve(const Reference& ref, Diagnostics& diags) = 0;
  // Directory that file() and templatefile() resolve relative paths against.
  virtual std::string BaseDir() const = 0;
};

class ExprNode;  // the AST, private to the config library

// An immutable parsed expression. Copies share the tree.
class Expression {
 public:
  Expression() = default;  // a null literal with no location

  // A TOML value that holds no template: a literal.
  static Expression Literal(Value v, SourceRange range);
  // Parses a TOML string: a template with `${...}` interpolations (a string
  // that is exactly one `${...}` keeps the inner value's type). `range` is
  // where the string starts, so errors point inside it.
  static Expression ParseTemplate(const std::string& text, const SourceRange& range,
                                  Diagnostics& diags);
  // Parses bare expression text (no `${}`), e.g. a `condition` or the
  // CLI's `--var` typed values.
  static Expression ParseExpression(const std::string& text, const SourceRange& range,
                                    Diagnostics& diags);
  // A list or map built from element expressions (TOML arrays, inline tables).
  static Expression MakeList(std::vector<Expression> items, SourceRange range);
  static Expression MakeMap(std::vector<std::pair<std::string, Expression>> entries,
                            SourceRange range);

  // Every reference the expression makes, in source order.
  std::vector<Reference> References() const;
  const SourceRange& range() const;
  bool is_null_literal() const;
  // The value when the expression contains no references and no function calls
  // that read files; otherwise nullptr.
  const Value* literal_value() const;
  // For a map expression: its keys and element expressions (nested blocks
  // are walked this way to give per-attribute locations). Empty otherwise.
  const std::vector<std::pair<std::string, Expression>>* map_entries() const;
  const std::vector<Expression>* list_items() const;

  Value Evaluate(Scope& scope, Diagnostics& diags) const;

 private:
  std::shared_ptr<const ExprNode> node_;
  friend class ExprNode;
};

}  // namespace reconcile::config
