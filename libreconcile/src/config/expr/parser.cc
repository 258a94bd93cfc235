#include "config/expr/parser.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <set>

#include "config/expr/expr_node.h"
#include "config/expr/functions.h"
#include "config/expr/lexer.h"
#include "config/expr/suggest.h"
#include "core/utf8.h"

namespace reconcile::config {
namespace {

using NodePtr = std::shared_ptr<ExprNode>;

constexpr std::size_t kNoPosition = static_cast<std::size_t>(-1);

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

// Describes a token for "expected X, found Y" messages.
std::string Describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEnd:
      return "the end of the expression";
    case TokenKind::kQuote:
      return "a string";
    case TokenKind::kNumber:
      return "the number " + std::string(token.text);
    default:
      return Quote(token.text);
  }
}

class Parser {
 public:
  Parser(std::string_view text, const TextOrigin& origin, Diagnostics& diags,
         ParseOptions options)
      : text_(text), origin_(origin), diags_(diags), options_(options) {}

  Expression WholeTemplate() {
    Expression result = TemplateParts(/*quoted=*/false, 0);
    return failed_ ? Invalid() : result;
  }

  Expression WholeExpression() {
    Expression result = ParseExpr();
    if (!failed_ && Peek().kind != TokenKind::kEnd) {
      const Token& extra = Peek();
      Fail("Invalid expression: unexpected " + Describe(extra) + " after the expression",
           "An expression ends here; join expressions with an operator.", extra.begin,
           extra.end);
    }
    return failed_ ? Invalid() : result;
  }

 private:
  // --- tokens -------------------------------------------------------------
  const Token& Peek() {
    if (cached_at_ != pos_) {
      cached_ = LexToken(text_, pos_);
      cached_at_ = pos_;
    }
    return cached_;
  }

  Token Next() {
    Token token = Peek();
    pos_ = token.end;
    last_end_ = token.end;
    return token;
  }

  bool Accept(std::string_view punct) {
    if (!Peek().Is(punct)) return false;
    Next();
    return true;
  }

  bool Expect(std::string_view punct, std::string_view context) {
    if (failed_) return false;
    if (Accept(punct)) return true;
    const Token& found = Peek();
    Fail("Invalid expression: expected " + Quote(punct) + " " + std::string(context) +
             ", found " + Describe(found),
         {}, found.begin, found.end);
    return false;
  }

  // --- errors and nodes -----------------------------------------------------
  SourceRange Span(std::size_t begin, std::size_t end) const {
    return origin_.Span(text_, begin, end);
  }

  void Fail(std::string summary, std::string detail, std::size_t begin, std::size_t end) {
    if (failed_) return;
    failed_ = true;
    diags_.Error(std::move(summary), std::move(detail), Span(begin, end));
  }

  Expression Invalid() const {
    return Expression::Literal(Value(), origin_.At(text_, 0));
  }

  NodePtr NewNode(ExprNode::Kind kind, std::size_t begin, std::size_t end) const {
    auto node = std::make_shared<ExprNode>();
    node->kind = kind;
    node->range = Span(begin, end);
    node->focus = node->range;
    return node;
  }

  Expression Finish(NodePtr node, std::size_t begin) {
    // Inside try() and can() an error is a result to test, not a mistake:
    // what fails when folded is left to fail when evaluated.
    Diagnostics folding;
    Expression e = ExprNode::Finish(std::move(node), try_depth_ > 0 ? folding : diags_);
    if (ExprNode::Of(e)->depth > kMaxExpressionDepth) {
      Fail("Expression too deeply nested",
           "An expression may nest at most " + std::to_string(kMaxExpressionDepth) +
               " operations; split it into local values.",
           begin, last_end_);
    }
    return e;
  }

  Expression StringLiteral(std::string text, std::size_t begin, std::size_t end) {
    return Expression::Literal(Value::String(std::move(text)), Span(begin, end));
  }

  // Counts nesting (parentheses, brackets, calls, unary chains) on the C++ stack.
  struct NestingGuard {
    explicit NestingGuard(Parser& p) : parser(p) { ++parser.nesting_; }
    ~NestingGuard() { --parser.nesting_; }
    Parser& parser;
  };

  bool TooDeep() {
    if (nesting_ <= kMaxParseNesting) return false;
    const Token& at = Peek();
    Fail("Expression too deeply nested",
         "Brackets, parentheses and calls may nest at most " + std::to_string(kMaxParseNesting) +
             " levels.",
         at.begin, at.end);
    return true;
  }

  // --- expressions ------------------------------------------------------------
  Expression ParseExpr() {
    NestingGuard guard(*this);
    if (failed_ || TooDeep()) return Invalid();
    std::size_t begin = Peek().begin;
    Expression condition = ParseBinary(0);
    if (failed_ || !Peek().Is("?")) return condition;
    Next();
    Expression when_true = ParseExpr();
    if (!Expect(":", "between the two results of a conditional")) return Invalid();
    Expression when_false = ParseExpr();
    if (failed_) return Invalid();
    NodePtr node = NewNode(ExprNode::Kind::kConditional, begin, last_end_);
    node->operands = {condition, when_true, when_false};
    return Finish(std::move(node), begin);
  }

  static bool OperatorAtLevel(const Token& token, int level, BinaryOp* op) {
    if (token.kind != TokenKind::kPunct) return false;
    static const std::pair<std::string_view, BinaryOp> kLevels[6][4] = {
        {{"||", BinaryOp::kOr}},
        {{"&&", BinaryOp::kAnd}},
        {{"==", BinaryOp::kEqual}, {"!=", BinaryOp::kNotEqual}},
        {{"<", BinaryOp::kLess}, {"<=", BinaryOp::kLessEqual}, {">", BinaryOp::kGreater},
         {">=", BinaryOp::kGreaterEqual}},
        {{"+", BinaryOp::kAdd}, {"-", BinaryOp::kSubtract}},
        {{"*", BinaryOp::kMultiply}, {"/", BinaryOp::kDivide}, {"%", BinaryOp::kModulo}},
    };
    for (const auto& [symbol, candidate] : kLevels[level]) {
      if (!symbol.empty() && token.text == symbol) {
        *op = candidate;
        return true;
      }
    }
    return false;
  }

  Expression ParseBinary(int level) {
    if (level == 6) return ParseUnary();
    std::size_t begin = Peek().begin;
    Expression left = ParseBinary(level + 1);
    BinaryOp op;
    while (!failed_ && OperatorAtLevel(Peek(), level, &op)) {
      Token symbol = Next();
      Expression right = ParseBinary(level + 1);
      if (failed_) return Invalid();
      NodePtr node = NewNode(ExprNode::Kind::kBinary, begin, last_end_);
      node->binary_op = op;
      node->focus = Span(symbol.begin, symbol.end);
      node->operands = {left, right};
      left = Finish(std::move(node), begin);
    }
    return left;
  }

  Expression ParseUnary() {
    NestingGuard guard(*this);
    if (failed_ || TooDeep()) return Invalid();
    const Token& token = Peek();
    if (!token.Is("!") && !token.Is("-")) return ParsePostfix();
    Token symbol = Next();
    Expression operand = ParseUnary();
    if (failed_) return Invalid();
    NodePtr node = NewNode(ExprNode::Kind::kUnary, symbol.begin, last_end_);
    node->unary_op = symbol.text == "!" ? UnaryOp::kNot : UnaryOp::kNegate;
    node->focus = Span(symbol.begin, symbol.end);
    node->operands = {operand};
    return Finish(std::move(node), symbol.begin);
  }

  Expression ParsePostfix() {
    std::size_t begin = Peek().begin;
    Expression base = ParsePrimary();
    return ParseTraversals(std::move(base), begin);
  }

  // `.name`, `[key]`, `[*]` and `.*` after a value. After a splat the rest
  // of the chain applies to each element.
  Expression ParseTraversals(Expression base, std::size_t begin) {
    while (!failed_) {
      const Token& token = Peek();
      if (token.Is(".")) {
        Next();
        const Token& name = Peek();
        if (name.kind == TokenKind::kIdentifier) {
          Token attr = Next();
          NodePtr node = NewNode(ExprNode::Kind::kGetAttr, begin, attr.end);
          node->name = std::string(attr.text);
          node->focus = Span(attr.begin, attr.end);
          node->operands = {base};
          base = Finish(std::move(node), begin);
        } else if (name.kind == TokenKind::kNumber) {
          Token index = Next();
          base = MakeIndex(base, NumberLiteral(index), begin, index.begin, index.end);
        } else if (name.Is("*")) {
          Token star = Next();
          return MakeSplat(base, begin, star.begin - 1, star.end);
        } else {
          Fail("Invalid attribute access: expected an attribute name after \".\", found " +
                   Describe(name),
               {}, name.begin, name.end);
        }
      } else if (token.Is("[")) {
        Token open = Next();
        if (Accept("*")) {
          if (!Expect("]", "after \"[*\"")) return Invalid();
          return MakeSplat(base, begin, open.begin, last_end_);
        }
        Expression key = ParseExpr();
        if (!Expect("]", "to close the index")) return Invalid();
        base = MakeIndex(base, key, begin, open.begin, last_end_);
      } else {
        break;
      }
    }
    return failed_ ? Invalid() : base;
  }

  Expression MakeIndex(const Expression& collection, const Expression& key, std::size_t begin,
                       std::size_t focus_begin, std::size_t focus_end) {
    NodePtr node = NewNode(ExprNode::Kind::kIndex, begin, focus_end);
    node->focus = Span(focus_begin, focus_end);
    node->operands = {collection, key};
    return Finish(std::move(node), begin);
  }

  Expression MakeSplat(const Expression& source, std::size_t begin, std::size_t star_begin,
                       std::size_t star_end) {
    NodePtr item = NewNode(ExprNode::Kind::kSplatItem, star_begin, star_end);
    Expression each = ParseTraversals(Finish(std::move(item), star_begin), star_begin);
    if (failed_) return Invalid();
    NodePtr node = NewNode(ExprNode::Kind::kSplat, begin, last_end_);
    node->focus = Span(star_begin, star_end);
    node->operands = {source, each};
    return Finish(std::move(node), begin);
  }

  Expression NumberLiteral(const Token& token) {
    std::string digits(token.text);
    return Expression::Literal(Value::Number(std::strtod(digits.c_str(), nullptr)),
                               Span(token.begin, token.end));
  }

  Expression ParsePrimary() {
    const Token token = Peek();
    switch (token.kind) {
      case TokenKind::kNumber:
        Next();
        return NumberLiteral(token);
      case TokenKind::kQuote:
        Next();
        return TemplateParts(/*quoted=*/true, token.begin);
      case TokenKind::kIdentifier:
        return ParseName();
      default:
        break;
    }
    if (token.Is("(")) {
      Next();
      Expression inner = ParseExpr();
      if (!Expect(")", "to close the parenthesis")) return Invalid();
      return inner;
    }
    if (token.Is("[")) return ParseList();
    if (token.Is("{")) return ParseMap();
    Fail("Invalid expression: expected a value, found " + Describe(token),
         "A value is a number, a \"string\", true, false, null, a [list], a { map }, a "
         "reference such as var.name, or a function call.",
         token.begin, token.end);
    return Invalid();
  }

  // A keyword literal, a function call or a reference.
  Expression ParseName() {
    Token name = Next();
    if (name.text == "true" || name.text == "false") {
      return Expression::Literal(Value::Bool(name.text == "true"), Span(name.begin, name.end));
    }
    if (name.text == "null") return Expression::Literal(Value(), Span(name.begin, name.end));
    if (Peek().Is("(")) return ParseCall(name);
    if (const ForName* bound = FindBound(name.text)) return ParseForVariable(name, *bound);
    return ParseReference(name);
  }

  // --- for expressions ------------------------------------------------------------
  // A variable a for expression declares, visible in its key, value and
  // condition (the innermost declaration of a name wins).
  struct ForName {
    std::string name;
    std::uint8_t level = 0;
    bool is_key = false;
  };

  const ForName* FindBound(std::string_view name) const {
    for (auto it = bound_.rbegin(); it != bound_.rend(); ++it)
      if (it->name == name) return &*it;
    return nullptr;
  }

  Expression ParseForVariable(const Token& name, const ForName& bound) {
    NodePtr node = NewNode(ExprNode::Kind::kForVariable, name.begin, name.end);
    node->name = bound.name;
    node->for_level = bound.level;
    node->for_key = bound.is_key;
    Expression variable = Finish(std::move(node), name.begin);
    return ParseTraversals(std::move(variable), name.begin);
  }

  // After "[" or "{": whether a for expression starts here (`for NAME`).
  bool AtForIntro() {
    if (!Peek().IsIdentifier("for")) return false;
    return LexToken(text_, Peek().end).kind == TokenKind::kIdentifier;
  }

  bool ReadForVariableName(std::string* out, std::string_view after) {
    const Token token = Peek();
    if (token.kind != TokenKind::kIdentifier) {
      Fail("Invalid 'for' expression: expected a variable name " + std::string(after) +
               ", found " + Describe(token),
           "A for expression reads [for VALUE in COLLECTION : RESULT] or "
           "[for KEY, VALUE in COLLECTION : RESULT].",
           token.begin, token.end);
      return false;
    }
    Next();
    *out = std::string(token.text);
    return true;
  }

  // `[for k, v in coll : value if cond]` and `{for k, v in coll : key => value... if cond}`;
  // `open` is the bracket and the next token is "for".
  Expression ParseFor(const Token& open, bool is_map) {
    NestingGuard guard(*this);
    const Token intro = Next();  // for
    const std::string_view close = is_map ? "}" : "]";
    std::string first, second;
    if (!ReadForVariableName(&first, "after \"for\"")) return Invalid();
    if (Accept(",") && !ReadForVariableName(&second, "after \",\"")) return Invalid();
    if (!second.empty() && first == second) {
      Fail("Invalid 'for' expression: the key and value variables are both named \"" + first +
               "\"",
           "Give the key (or index) and the value different names.", intro.begin, last_end_);
      return Invalid();
    }
    if (!Peek().IsIdentifier("in")) {
      const Token& found = Peek();
      Fail("Invalid 'for' expression: expected \"in\" after the variable names, found " +
               Describe(found),
           {}, found.begin, found.end);
      return Invalid();
    }
    Next();
    Expression collection = ParseExpr();
    if (!Expect(":", "after the collection of the for expression")) return Invalid();
    if (for_depth_ >= kMaxForNesting) {
      Fail("Expression too deeply nested",
           "For expressions may nest at most " + std::to_string(kMaxForNesting) + " levels.",
           intro.begin, intro.end);
      return Invalid();
    }
    const auto level = static_cast<std::uint8_t>(++for_depth_);
    const std::size_t bound_before = bound_.size();
    if (second.empty()) {
      bound_.push_back({first, level, false});
    } else {
      bound_.push_back({first, level, true});
      bound_.push_back({second, level, false});
    }
    Expression key, value, condition;
    bool grouping = false;
    if (is_map) {
      key = ParseExpr();
      if (!failed_ && !Accept("=>")) {
        const Token& found = Peek();
        Fail("Invalid 'for' expression: expected \"=>\" between the key and the value, found " +
                 Describe(found),
             "A map for expression reads {for KEY, VALUE in COLLECTION : NEW_KEY => NEW_VALUE}.",
             found.begin, found.end);
      }
    }
    if (!failed_) value = ParseExpr();
    if (!failed_ && is_map) grouping = Accept("...");
    if (!failed_ && Peek().IsIdentifier("if")) {
      Next();
      condition = ParseExpr();
    }
    bound_.resize(bound_before);
    --for_depth_;
    if (!Expect(close, is_map ? "to close the for expression (after the value or the if "
                                "condition)"
                              : "to close the for expression (after the result or the if "
                                "condition)"))
      return Invalid();
    NodePtr node = NewNode(ExprNode::Kind::kFor, open.begin, last_end_);
    node->focus = Span(intro.begin, intro.end);
    node->for_map = is_map;
    node->for_grouping = grouping;
    node->for_level = level;
    node->operands = {collection, value, key, condition};
    return Finish(std::move(node), open.begin);
  }

  Expression ParseList() {
    Token open = Next();
    if (AtForIntro()) return ParseFor(open, /*is_map=*/false);
    NodePtr node = NewNode(ExprNode::Kind::kList, open.begin, open.end);
    while (!failed_ && !Accept("]")) {
      if (Peek().kind == TokenKind::kEnd) {
        Fail("Invalid expression: missing \"]\" to close the list", {}, open.begin, open.end);
        break;
      }
      node->operands.push_back(ParseExpr());
      if (failed_ || Accept(",") || Peek().Is("]") || Peek().newline_before) continue;
      const Token& found = Peek();
      Fail("Invalid expression: expected \",\" or \"]\" in the list, found " + Describe(found),
           {}, found.begin, found.end);
    }
    if (failed_) return Invalid();
    node->range = Span(open.begin, last_end_);
    return Finish(std::move(node), open.begin);
  }

  struct MapKey {
    std::string text;
    Expression dynamic;  // set when the key is computed
    bool is_dynamic = false;
  };

  bool ParseMapKey(MapKey* key) {
    const Token token = Peek();
    if (token.kind == TokenKind::kIdentifier || token.kind == TokenKind::kNumber) {
      Next();
      key->text = std::string(token.text);
      return true;
    }
    if (token.kind == TokenKind::kQuote) {
      Next();
      Expression e = TemplateParts(/*quoted=*/true, token.begin);
      const Value* literal = e.literal_value();
      if (literal && literal->is_string()) {
        key->text = literal->AsString();
      } else {
        key->dynamic = e;
        key->is_dynamic = true;
      }
      return !failed_;
    }
    if (token.Is("(")) {
      Next();
      key->dynamic = ParseExpr();
      key->is_dynamic = true;
      return Expect(")", "to close the computed key");
    }
    Fail("Invalid map key: expected a name, a \"quoted string\" or a (computed) key, found " +
             Describe(token),
         {}, token.begin, token.end);
    return false;
  }

  Expression ParseMap() {
    Token open = Next();
    if (AtForIntro()) return ParseFor(open, /*is_map=*/true);
    std::vector<std::pair<MapKey, Expression>> items;
    std::set<std::string> seen;
    while (!failed_ && !Accept("}")) {
      const Token key_token = Peek();
      if (key_token.kind == TokenKind::kEnd) {
        Fail("Invalid expression: missing \"}\" to close the map", {}, open.begin, open.end);
        break;
      }
      MapKey key;
      if (!ParseMapKey(&key)) break;
      if (!key.is_dynamic && !seen.insert(key.text).second) {
        Fail("Duplicate map key " + Quote(key.text), {}, key_token.begin, last_end_);
        break;
      }
      if (!Accept("=") && !Accept(":")) {
        const Token& found = Peek();
        Fail("Invalid expression: expected \"=\" after the map key, found " + Describe(found),
             {}, found.begin, found.end);
        break;
      }
      items.emplace_back(std::move(key), ParseExpr());
      if (failed_ || Accept(",") || Peek().Is("}") || Peek().newline_before) continue;
      const Token& found = Peek();
      Fail("Invalid expression: expected \",\" or \"}\" in the map, found " + Describe(found), {},
           found.begin, found.end);
    }
    if (failed_) return Invalid();
    return BuildMap(std::move(items), open.begin);
  }

  Expression BuildMap(std::vector<std::pair<MapKey, Expression>> items, std::size_t begin) {
    bool dynamic = false;
    for (const auto& item : items) dynamic = dynamic || item.first.is_dynamic;
    NodePtr node = NewNode(dynamic ? ExprNode::Kind::kDynamicMap : ExprNode::Kind::kMap, begin,
                           last_end_);
    for (auto& [key, value] : items) {
      if (!dynamic) {
        node->entries.emplace_back(std::move(key.text), std::move(value));
        continue;
      }
      node->operands.push_back(key.is_dynamic
                                   ? key.dynamic
                                   : Expression::Literal(Value::String(key.text), value.range()));
      node->operands.push_back(std::move(value));
    }
    return Finish(std::move(node), begin);
  }

  Expression ParseCall(const Token& name) {
    Next();  // (
    const bool tests_errors = name.text == "try" || name.text == "can";
    if (tests_errors) ++try_depth_;
    struct LeaveTry {
      int& depth;
      bool active;
      ~LeaveTry() {
        if (active) --depth;
      }
    } leave_try{try_depth_, tests_errors};
    std::vector<Expression> args;
    bool expand_last = false;
    while (!failed_ && !Accept(")")) {
      if (Peek().kind == TokenKind::kEnd) {
        Fail("Invalid expression: missing \")\" to close the call to " + std::string(name.text),
             {}, name.begin, name.end);
        break;
      }
      args.push_back(ParseExpr());
      if (!failed_ && Accept("...")) {
        expand_last = true;
        Expect(")", "after the expanded argument");
        break;
      }
      if (failed_ || Accept(",") || Peek().Is(")")) continue;
      const Token& found = Peek();
      Fail("Invalid expression: expected \",\" or \")\" in the call to " +
               std::string(name.text) + ", found " + Describe(found),
           {}, found.begin, found.end);
    }
    if (failed_) return Invalid();
    const Function* function = ResolveFunction(name, args.size(), expand_last);
    if (function == nullptr) return Invalid();
    NodePtr node = NewNode(ExprNode::Kind::kCall, name.begin, last_end_);
    node->focus = Span(name.begin, name.end);
    node->function = function;
    node->expand_last = expand_last;
    node->operands = std::move(args);
    return Finish(std::move(node), name.begin);
  }

  const Function* ResolveFunction(const Token& name, std::size_t arg_count, bool expand_last) {
    const Function* function = FindFunction(name.text);
    if (function == nullptr) {
      Fail("Call to unknown function " + Quote(name.text) + DidYouMean(name.text, FunctionNames()),
           "Functions are named in docs/language.md.", name.begin, name.end);
      return nullptr;
    }
    const int count = static_cast<int>(arg_count);
    const bool too_few = count < function->min_args && !expand_last;
    const bool too_many = function->max_args >= 0 && count > function->max_args;
    if (too_few || too_many) {
      std::string expected = std::to_string(function->min_args);
      if (function->max_args < 0) expected = "at least " + expected;
      else if (function->max_args != function->min_args)
        expected += " to " + std::to_string(function->max_args);
      Fail("Wrong number of arguments to " + std::string(function->signature) + ": expected " +
               expected + ", got " + std::to_string(count),
           {}, name.begin, last_end_);
      return nullptr;
    }
    return function;
  }

  // --- references ---------------------------------------------------------------
  bool NameAfterDot(std::string* out, std::size_t* end) {
    if (!Peek().Is(".")) return false;
    std::size_t after_dot = Peek().end;
    Token name = LexToken(text_, after_dot);
    if (name.kind != TokenKind::kIdentifier) return false;
    Next();
    Next();
    *out = std::string(name.text);
    *end = name.end;
    return true;
  }

  Expression ParseReference(const Token& first) {
    Reference ref;
    std::size_t end = first.end;
    if (!ReadReferenceRoot(first, &ref, &end)) return Invalid();
    ref.range = Span(first.begin, end);
    NodePtr node = NewNode(ExprNode::Kind::kReference, first.begin, end);
    node->reference = std::move(ref);
    Expression root = Finish(std::move(node), first.begin);
    return ParseTraversals(std::move(root), first.begin);
  }

  bool ReferenceError(const Token& first, std::size_t end, std::string summary,
                      std::string detail = {}) {
    Fail(std::move(summary), std::move(detail), first.begin, end);
    return false;
  }

  bool ReadReferenceRoot(const Token& first, Reference* ref, std::size_t* end) {
    const std::string_view root = first.text;
    if (options_.bare_names_are_variables) {
      ref->kind = RefKind::kVariable;
      ref->name = std::string(root);
      return true;
    }
    if (root == "var" || root == "local") {
      ref->kind = root == "var" ? RefKind::kVariable : RefKind::kLocal;
      if (NameAfterDot(&ref->name, end)) return true;
      return ReferenceError(first, *end,
                            "Invalid reference: \"" + std::string(root) +
                                "\" must be followed by a name, as in " + std::string(root) +
                                ".name");
    }
    if (root == "each" || root == "count" || root == "path" || root == "terraform") {
      return ReadObjectAttribute(first, ref, end);
    }
    if (root == "workspace") {
      ref->kind = RefKind::kWorkspace;
      ref->name = "workspace";
      return true;
    }
    if (root == "module") {
      ref->kind = RefKind::kModule;
      if (!NameAfterDot(&ref->name, end)) {
        return ReferenceError(first, *end,
                              "Invalid reference: \"module\" must be followed by a module name, "
                              "as in module.network.vpc_id");
      }
      NameAfterDot(&ref->attr, end);
      return true;
    }
    if (root == "data") {
      ref->kind = RefKind::kData;
      if (NameAfterDot(&ref->type, end) && NameAfterDot(&ref->name, end)) return true;
      return ReferenceError(first, *end,
                            "Invalid reference: \"data\" must be followed by a type and a name, "
                            "as in data.aws_ami.ubuntu");
    }
    ref->kind = RefKind::kResource;
    ref->type = std::string(root);
    if (NameAfterDot(&ref->name, end)) return true;
    return ReferenceError(
        first, *end, "Invalid reference " + Quote(root) + ": a name on its own is not a reference",
        "Write var." + std::string(root) + " for a variable, local." + std::string(root) +
            " for a local value, or TYPE.NAME for a resource.");
  }

  // each.key / each.value, count.index, path.module|root|cwd, terraform.workspace.
  bool ReadObjectAttribute(const Token& first, Reference* ref, std::size_t* end) {
    struct Allowed {
      std::string_view object;
      RefKind kind;
      std::vector<std::string_view> names;
    };
    static const Allowed kObjects[] = {
        {"each", RefKind::kEach, {"key", "value"}},
        {"count", RefKind::kCount, {"index"}},
        {"path", RefKind::kPath, {"module", "root", "cwd"}},
        {"terraform", RefKind::kWorkspace, {"workspace"}},
    };
    for (const Allowed& allowed : kObjects) {
      if (allowed.object != first.text) continue;
      std::string name;
      bool has_name = NameAfterDot(&name, end);
      for (std::string_view candidate : allowed.names) {
        if (has_name && candidate == name) {
          ref->kind = allowed.kind;
          ref->name = name;
          return true;
        }
      }
      std::string choices;
      for (std::string_view candidate : allowed.names) {
        if (!choices.empty()) choices += ", ";
        choices += std::string(allowed.object) + "." + std::string(candidate);
      }
      return ReferenceError(first, *end,
                            "Invalid reference: \"" + std::string(allowed.object) +
                                "\" has only " + choices);
    }
    return false;
  }

  // --- templates ----------------------------------------------------------------
  // Reads the parts of a template up to the end of the text, or (quoted) up
  // to the closing quote. `begin` is where the template starts.
  Expression TemplateParts(bool quoted, std::size_t begin) {
    std::vector<Expression> parts;
    std::string literal;
    std::size_t literal_begin = pos_;
    auto flush_literal = [&](std::size_t end) {
      if (!literal.empty()) parts.push_back(StringLiteral(std::move(literal), literal_begin, end));
      literal.clear();
    };
    while (!failed_) {
      if (pos_ >= text_.size()) {
        if (quoted) Fail("Unterminated string: missing the closing quote", {}, begin, begin + 1);
        break;
      }
      const char c = text_[pos_];
      if (quoted && c == '"') {
        flush_literal(pos_);
        ++pos_;
        break;
      }
      if (quoted && c == '\n') {
        Fail("Unterminated string: a quoted string must end on the line where it starts", {},
             begin, begin + 1);
        break;
      }
      if (quoted && c == '\\') {
        ReadEscape(literal);
      } else if (text_.compare(pos_, 3, "$${") == 0) {
        literal += "${";
        pos_ += 3;
      } else if (text_.compare(pos_, 2, "${") == 0) {
        flush_literal(pos_);
        ReadInterpolation(parts);
        literal_begin = pos_;
      } else {
        literal += c;
        ++pos_;
      }
    }
    if (!failed_) flush_literal(pos_);
    last_end_ = pos_;
    if (failed_) return Invalid();
    // A quoted string that is plain text is located at its opening quote.
    if (quoted && parts.size() == 1 && ExprNode::Of(parts[0])->kind == ExprNode::Kind::kLiteral)
      return StringLiteral(parts[0].literal_value()->AsString(), begin, pos_);
    return BuildTemplate(std::move(parts), begin);
  }

  void ReadInterpolation(std::vector<Expression>& parts) {
    const std::size_t open = pos_;
    pos_ += 2;
    Expression inner = ParseExpr();
    if (failed_) return;
    const Token& close = Peek();
    if (close.Is("}")) {
      Next();
      parts.push_back(std::move(inner));
      return;
    }
    if (close.kind == TokenKind::kEnd) {
      Fail("Unterminated template: missing \"}\" to close \"${\"", {}, open, open + 2);
    } else {
      Fail("Invalid expression: expected \"}\" to close \"${\", found " + Describe(close),
           "Join expressions with an operator, or close the interpolation.", close.begin,
           close.end);
    }
  }

  Expression BuildTemplate(std::vector<Expression> parts, std::size_t begin) {
    if (parts.empty()) return StringLiteral({}, begin, pos_);
    if (parts.size() == 1) return parts.front();
    NodePtr node = NewNode(ExprNode::Kind::kTemplate, begin, pos_);
    node->operands = std::move(parts);
    return Finish(std::move(node), begin);
  }

  void ReadEscape(std::string& literal) {
    const std::size_t at = pos_;
    const char kind = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    pos_ += 2;
    switch (kind) {
      case 'n': literal += '\n'; return;
      case 'r': literal += '\r'; return;
      case 't': literal += '\t'; return;
      case '"': literal += '"'; return;
      case '\\': literal += '\\'; return;
      case 'u':
      case 'U':
        ReadUnicodeEscape(literal, at, kind == 'u' ? 4 : 8);
        return;
      default:
        Fail("Invalid escape sequence \"\\" + std::string(1, kind) + "\" in a string",
             "Escapes are \\n \\r \\t \\\" \\\\ \\uNNNN and \\UNNNNNNNN.", at, pos_);
    }
  }

  void ReadUnicodeEscape(std::string& literal, std::size_t at, std::size_t digits) {
    unsigned long code = 0;
    for (std::size_t i = 0; i < digits; ++i, ++pos_) {
      char c = pos_ < text_.size() ? text_[pos_] : '\0';
      int value = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
      if (value < 0) {
        Fail("Invalid escape sequence: \\u needs 4 and \\U 8 hexadecimal digits", {}, at, pos_);
        return;
      }
      code = code * 16 + static_cast<unsigned long>(value);
    }
    if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      Fail("Invalid escape sequence: not a Unicode character", {}, at, pos_);
      return;
    }
    AppendUtf8(static_cast<std::uint32_t>(code), &literal);
  }

  std::string_view text_;
  const TextOrigin& origin_;
  Diagnostics& diags_;
  ParseOptions options_;
  std::size_t pos_ = 0;
  std::size_t last_end_ = 0;
  Token cached_;
  std::size_t cached_at_ = kNoPosition;
  bool failed_ = false;
  int nesting_ = 0;
  int for_depth_ = 0;
  int try_depth_ = 0;                // arguments of try() and can() being parsed
  std::vector<ForName> bound_;       // variables of the enclosing for expressions
};

}  // namespace

Expression ParseTemplateAt(std::string_view text, const TextOrigin& origin, Diagnostics& diags,
                           ParseOptions options) {
  return Parser(text, origin, diags, options).WholeTemplate();
}

Expression ParseExpressionAt(std::string_view text, const TextOrigin& origin, Diagnostics& diags,
                             ParseOptions options) {
  return Parser(text, origin, diags, options).WholeExpression();
}

}  // namespace reconcile::config
