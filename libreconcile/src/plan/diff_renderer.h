// Renders what changes inside one object (a resource's attributes, or an
// output) as the lines users know from Terraform: a marker per attribute
// (`+` added, `~` changed, `-` removed), nested maps and lists indented,
// `old -> new`, "(known after apply)" and "(sensitive value)". A sensitive
// value is never rendered, at any depth: the check comes before every value.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/value.h"

namespace reconcile::plan {

inline constexpr std::string_view kSensitiveText = "(sensitive value)";
inline constexpr std::string_view kUnknownText = "(known after apply)";

// ANSI colours for markers, or nothing.
struct Palette {
  bool color = false;
  std::string_view Green() const { return color ? "\x1b[32m" : ""; }
  std::string_view Yellow() const { return color ? "\x1b[33m" : ""; }
  std::string_view Red() const { return color ? "\x1b[31m" : ""; }
  std::string_view Cyan() const { return color ? "\x1b[36m" : ""; }
  std::string_view Magenta() const { return color ? "\x1b[35m" : ""; }
  std::string_view Bold() const { return color ? "\x1b[1m" : ""; }
  std::string_view Reset() const { return color ? "\x1b[0m" : ""; }
};

class DiffRenderer {
 public:
  DiffRenderer(std::string* out, Palette palette) : out_(out), palette_(palette) {}

  // The attribute lines of a resource block (depth 1). `before`/`after` are
  // maps, or null for a create/delete. Unchanged attributes are counted, not
  // shown, except `id` and `name` when `show_identity`. Attributes whose path
  // is in `replace_paths` carry "# forces replacement".
  void RenderAttributes(const Value& before, const Value& after, const std::vector<std::string>& replace_paths,
                        bool show_identity);

  // One named entry (an output) at depth 0, its name padded to `width`.
  void RenderNamed(std::string_view name, std::size_t width, const Value& before, const Value& after);

 private:
  struct Entry {
    std::string label;  // attribute name, quoted map key, or "" for a list element
    const Value* before = nullptr;
    const Value* after = nullptr;
    ValuePath path;
  };

  void RenderEntries(int depth, const std::vector<Entry>& entries, std::string_view noun, bool show_identity);
  void RenderEntry(int depth, const Entry& entry, std::size_t width);
  void RenderChanged(int depth, const Entry& entry, const std::string& prefix, std::string_view forces,
                     std::string_view comma);
  // A whole value under one marker (children get the same marker; under `~`, `-`).
  void RenderValue(int depth, char marker, const std::string& prefix, const Value& v, std::string_view forces,
                   std::string_view tail);
  std::vector<Entry> MapEntries(const Value* before, const Value* after, const ValuePath& path, bool quote);
  std::vector<Entry> ListEntries(const Value& before, const Value& after, const ValuePath& path);

  void Line(int depth, char marker, std::string_view text, std::string_view forces = {});
  void Closing(int depth, std::string_view text);
  std::string Scalar(const Value& v) const;

  std::string* out_;
  Palette palette_;
  std::set<std::string> replace_paths_;
};

}  // namespace reconcile::plan
