#include "plan/diff_renderer.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "state/json_writer.h"

namespace reconcile::plan {

namespace {

// Lists longer than this (before x after) are diffed as "all removed, all added".
constexpr std::size_t kMaxLcsCells = 250000;

bool Present(const Value* v) { return v != nullptr && !v->is_null(); }

// A container rendered over several lines (not sensitive, not empty).
bool IsOpenContainer(const Value& v) {
  if (v.sensitive()) return false;
  return (v.is_map() && !v.AsMap().empty()) || (v.is_list() && !v.AsList().empty());
}

bool Identical(const Value* a, const Value* b) { return Present(a) && Present(b) && *a == *b; }

std::string Quoted(std::string_view s) {
  std::string out;
  json::AppendQuoted(&out, s);
  return out;
}

std::string Padded(const std::string& label, std::size_t width) {
  return fmt::format("{:<{}}", label, width);
}

ValuePath Child(const ValuePath& path, PathStep step) {
  ValuePath out = path;
  out.push_back(std::move(step));
  return out;
}

// A string holding a JSON object or array (task definitions, policies) is
// shown as its structure, as Terraform shows jsonencode(...).
bool JsonDocument(const Value& v, Value* out) {
  if (v.sensitive() || !v.is_string()) return false;
  const std::string& text = v.AsString();
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || (text[first] != '{' && text[first] != '[')) return false;
  std::string error;
  *out = FromJson(text, &error);
  return error.empty() && (out->is_map() || out->is_list());
}

}  // namespace

void DiffRenderer::Line(int depth, char marker, std::string_view text, std::string_view forces) {
  std::string_view colour = marker == '+'   ? palette_.Green()
                            : marker == '~' ? palette_.Yellow()
                            : marker == '-' ? palette_.Red()
                                            : std::string_view();
  std::string_view reset = marker != ' ' ? palette_.Reset() : std::string_view();
  auto out = std::back_inserter(*out_);
  fmt::format_to(out, "{:{}}{}{}{} {}", "", 4 * depth + 2, colour, marker, reset, text);
  if (!forces.empty()) fmt::format_to(out, " {}{}{}", palette_.Red(), forces, palette_.Reset());
  out_->push_back('\n');
}

void DiffRenderer::Closing(int depth, std::string_view text) {
  fmt::format_to(std::back_inserter(*out_), "{:{}}{}\n", "", 4 * depth + 4, text);
}

std::string DiffRenderer::Scalar(const Value& v) const {
  if (v.sensitive()) return std::string(kSensitiveText);
  switch (v.kind()) {
    case Value::Kind::kNull: return "null";
    case Value::Kind::kBool: return v.AsBool() ? "true" : "false";
    case Value::Kind::kNumber: return FormatNumber(v.AsNumber());
    case Value::Kind::kString: return Quoted(v.AsString());
    case Value::Kind::kUnknown: return std::string(kUnknownText);
    case Value::Kind::kList: return v.AsList().empty() ? "[]" : "[...]";
    case Value::Kind::kMap: return v.AsMap().empty() ? "{}" : "{...}";
  }
  return {};
}

void DiffRenderer::RenderValue(int depth, char marker, const std::string& prefix, const Value& v,
                               std::string_view forces, std::string_view tail) {
  Value document;
  if (JsonDocument(v, &document) && IsOpenContainer(document)) {
    Line(depth, marker, prefix + "jsonencode(", forces);
    RenderValue(depth + 1, marker == '~' ? '-' : marker, "", document, {}, {});
    Closing(depth, std::string(")").append(tail));
    return;
  }
  if (!IsOpenContainer(v)) {  // sensitive values end here, whatever they hold
    Line(depth, marker, fmt::format("{}{}{}", prefix, Scalar(v), tail), forces);
    return;
  }
  char inner = marker == '~' ? '-' : marker;
  if (v.is_map()) {
    Line(depth, marker, prefix + "{", forces);
    std::size_t width = 0;
    for (const auto& [key, item] : v.AsMap()) width = std::max(width, Quoted(key).size());
    for (const auto& [key, item] : v.AsMap()) RenderValue(depth + 1, inner, Padded(Quoted(key), width) + " = ", item, {}, {});
    Closing(depth, std::string("}").append(tail));
    return;
  }
  Line(depth, marker, prefix + "[", forces);
  for (const Value& item : v.AsList()) RenderValue(depth + 1, inner, "", item, {}, ",");
  Closing(depth, std::string("]").append(tail));
}

void DiffRenderer::RenderEntry(int depth, const Entry& entry, std::size_t width) {
  std::string prefix = entry.label.empty() ? std::string() : Padded(entry.label, width) + " = ";
  std::string_view forces = replace_paths_.count(FormatPath(entry.path)) ? "# forces replacement" : "";
  std::string_view comma = entry.label.empty() ? "," : "";
  if (!Present(entry.before)) {
    RenderValue(depth, '+', prefix, *entry.after, forces, comma);
  } else if (!Present(entry.after)) {
    RenderValue(depth, '-', prefix, *entry.before, forces, entry.label.empty() ? "," : " -> null");
  } else if (*entry.before == *entry.after) {
    RenderValue(depth, ' ', prefix, *entry.after, forces, comma);
  } else {
    RenderChanged(depth, entry, prefix, forces, comma);
  }
}

void DiffRenderer::RenderChanged(int depth, const Entry& entry, const std::string& prefix, std::string_view forces,
                                 std::string_view comma) {
  const Value& before = *entry.before;
  const Value& after = *entry.after;
  std::string tail(comma);
  if (before.sensitive() || after.sensitive()) {
    Line(depth, '~', fmt::format("{}{}{}", prefix, kSensitiveText, tail), forces);
  } else if (after.is_unknown()) {
    RenderValue(depth, '~', prefix, before, forces, fmt::format(" -> {}{}", kUnknownText, tail));
  } else if (Value b, a; JsonDocument(before, &b) && JsonDocument(after, &a) && b.kind() == a.kind()) {
    Line(depth, '~', prefix + "jsonencode(", forces);
    Line(depth + 1, '~', b.is_map() ? "{" : "[");
    RenderEntries(depth + 2, b.is_map() ? MapEntries(&b, &a, entry.path, true) : ListEntries(b, a, entry.path),
                  "element", false);
    Closing(depth + 1, b.is_map() ? "}" : "]");
    Closing(depth, ")" + tail);
  } else if (before.is_map() && after.is_map()) {
    Line(depth, '~', prefix + "{", forces);
    RenderEntries(depth + 1, MapEntries(&before, &after, entry.path, true), "element", false);
    Closing(depth, "}" + tail);
  } else if (before.is_list() && after.is_list()) {
    Line(depth, '~', prefix + "[", forces);
    RenderEntries(depth + 1, ListEntries(before, after, entry.path), "element", false);
    Closing(depth, "]" + tail);
  } else if (!IsOpenContainer(before) && !IsOpenContainer(after) && !entry.label.empty()) {
    Line(depth, '~', fmt::format("{}{} -> {}", prefix, Scalar(before), Scalar(after)), forces);
  } else {  // a list element, or a change of kind involving a container: out with the old, in with the new
    RenderValue(depth, '-', prefix, before, forces, entry.label.empty() ? "," : " -> null");
    RenderValue(depth, '+', prefix, after, forces, comma);
  }
}

void DiffRenderer::RenderEntries(int depth, const std::vector<Entry>& entries, std::string_view noun,
                                 bool show_identity) {
  std::vector<const Entry*> shown;
  std::size_t hidden = 0;
  for (const Entry& entry : entries) {
    if (!Present(entry.before) && !Present(entry.after)) continue;
    bool identity = show_identity && (entry.label == "id" || entry.label == "name");
    bool forces = !replace_paths_.empty() && replace_paths_.count(FormatPath(entry.path)) != 0;
    if (Identical(entry.before, entry.after) && !identity && !forces) {
      ++hidden;
      continue;
    }
    shown.push_back(&entry);
  }
  std::size_t width = 0;
  for (const Entry* entry : shown) width = std::max(width, entry->label.size());
  for (const Entry* entry : shown) RenderEntry(depth, *entry, width);
  if (hidden > 0)
    Line(depth, ' ', fmt::format("# ({} unchanged {}{} hidden)", hidden, noun, hidden == 1 ? "" : "s"));
}

std::vector<DiffRenderer::Entry> DiffRenderer::MapEntries(const Value* before, const Value* after,
                                                          const ValuePath& path, bool quote) {
  static const ValueMap kEmpty;
  const ValueMap& b = Present(before) && before->is_map() ? before->AsMap() : kEmpty;
  const ValueMap& a = Present(after) && after->is_map() ? after->AsMap() : kEmpty;
  std::vector<Entry> entries;
  auto ib = b.begin();
  auto ia = a.begin();
  while (ib != b.end() || ia != a.end()) {  // both sorted: merge the keys
    bool take_b = ia == a.end() || (ib != b.end() && ib->first <= ia->first);
    bool take_a = ib == b.end() || (ia != a.end() && ia->first <= ib->first);
    const std::string& key = take_b ? ib->first : ia->first;
    entries.push_back(Entry{quote ? Quoted(key) : key, take_b ? &ib->second : nullptr,
                            take_a ? &ia->second : nullptr, Child(path, PathStep{key, 0, false})});
    if (take_b) ++ib;
    if (take_a) ++ia;
  }
  return entries;
}

std::vector<DiffRenderer::Entry> DiffRenderer::ListEntries(const Value& before, const Value& after,
                                                           const ValuePath& path) {
  const ValueList& b = before.AsList();
  const ValueList& a = after.AsList();
  std::vector<Entry> entries;
  auto element = [&](const Value* from, const Value* to, std::size_t index) {
    entries.push_back(Entry{"", from, to, Child(path, PathStep{{}, index, true})});
  };
  if (b.size() * a.size() > kMaxLcsCells) {
    for (std::size_t i = 0; i < b.size(); ++i) element(&b[i], nullptr, i);
    for (std::size_t j = 0; j < a.size(); ++j) element(nullptr, &a[j], j);
    return entries;
  }
  // Longest common subsequence: kept elements are hidden, the rest removed or
  // added; a removed object followed by an added one shows as one changed object.
  std::vector<std::vector<std::size_t>> lcs(b.size() + 1, std::vector<std::size_t>(a.size() + 1, 0));
  for (std::size_t i = b.size(); i-- > 0;)
    for (std::size_t j = a.size(); j-- > 0;)
      lcs[i][j] = b[i] == a[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < b.size() || j < a.size()) {
    if (i < b.size() && j < a.size() && b[i] == a[j]) {
      element(&b[i++], &a[j], j);
      ++j;
      continue;
    }
    std::size_t removed_from = i;
    while (i < b.size() && (j == a.size() || lcs[i + 1][j] >= lcs[i][j + 1]) && !(j < a.size() && b[i] == a[j])) ++i;
    std::size_t added_from = j;
    while (j < a.size() && (i == b.size() || lcs[i][j + 1] > lcs[i + 1][j]) && !(i < b.size() && b[i] == a[j])) ++j;
    std::size_t paired = 0;
    while (removed_from + paired < i && added_from + paired < j && b[removed_from + paired].is_map() &&
           a[added_from + paired].is_map())
      ++paired;
    for (std::size_t k = 0; k < paired; ++k) element(&b[removed_from + k], &a[added_from + k], added_from + k);
    for (std::size_t k = removed_from + paired; k < i; ++k) element(&b[k], nullptr, k);
    for (std::size_t k = added_from + paired; k < j; ++k) element(nullptr, &a[k], k);
  }
  return entries;
}

void DiffRenderer::RenderAttributes(const Value& before, const Value& after,
                                    const std::vector<std::string>& replace_paths, bool show_identity) {
  replace_paths_ = std::set<std::string>(replace_paths.begin(), replace_paths.end());
  if (before.sensitive() || after.sensitive()) {
    Line(1, ' ', "# (all attributes are sensitive)");
    return;
  }
  RenderEntries(1, MapEntries(&before, &after, {}, false), "attribute", show_identity);
}

void DiffRenderer::RenderNamed(std::string_view name, std::size_t width, const Value& before, const Value& after) {
  replace_paths_.clear();
  Entry entry{std::string(name), &before, &after, {}};
  if (!Present(entry.before) && !Present(entry.after)) {
    Line(0, '~', Padded(entry.label, width) + " = null");
    return;
  }
  RenderEntry(0, entry, width);
}

}  // namespace reconcile::plan
