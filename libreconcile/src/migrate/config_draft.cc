#include "migrate/config_draft.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "migrate/terraform_types.h"

namespace reconcile::migrate {

namespace {

bool IsEmpty(const Value& v) {
  return v.is_null() || (v.is_string() && v.AsString().empty()) ||
         (v.is_list() && v.AsList().empty()) || (v.is_map() && v.AsMap().empty());
}

bool IsBareKey(const std::string& key) {
  if (key.empty()) return false;
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

// A TOML basic string; "${" is written "$${" so it stays literal.
std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else if (c == '$' && i + 1 < s.size() && s[i + 1] == '{') {
          out += "$$";
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string Key(const std::string& key) { return IsBareKey(key) ? key : Quoted(key); }

// An interpolation "${expr}": a literal string when expr holds quotes.
std::string Interpolation(const std::string& expr) {
  if (expr.find('\'') == std::string::npos && expr.find('"') != std::string::npos)
    return "'${" + expr + "}'";
  return "\"${" + expr + "}\"";
}

struct Group {
  ResourceAddress address;  // without key
  std::vector<const DraftInstance*> instances;
  std::string local_name;  // for per-instance values and variables: aws_subnet_public
};

// Which key form a group's instances have.
InstanceKey::Kind KeyKind(const Group& g) { return g.instances.front()->address.key.kind; }

class Drafter {
 public:
  explicit Drafter(const std::vector<DraftInstance>& instances) {
    for (const DraftInstance& i : instances) {
      ResourceAddress a = i.address;
      a.key = InstanceKey::None();
      Group& g = groups_[a.ToString()];
      g.address = a;
      g.instances.push_back(&i);
      std::string prefix;
      for (const ModuleStep& m : a.module_path) prefix += m.name + "_";
      g.local_name = prefix + a.type + "_" + a.name;
      for (const char* attr : {"id", "arn", "name"}) {
        const Value* v = i.attributes.Find(attr);
        if (v != nullptr && v->is_string() && v->AsString().size() > 3)
          ids_[v->AsString()].push_back({&i, attr});
      }
    }
    for (auto& [name, g] : groups_)
      std::sort(g.instances.begin(), g.instances.end(),
                [](const DraftInstance* x, const DraftInstance* y) {
                  return x->address.key < y->address.key;
                });
  }

  std::string Outputs(const std::vector<DraftOutput>& outputs) {
    std::string out;
    DraftInstance root;
    for (const DraftOutput& o : outputs) {
      out += "\n[output." + Key(o.name) + "]\n";
      if (o.sensitive || o.value.ContainsSensitive()) {
        std::string var = "output_" + o.name;
        variables_ += "[variable." + var +
                      "]\nsensitive = true\ndescription = \"the value of output " + o.name +
                      " (set it with RECONCILE_VAR_" + var + " or --var)\"\n\n";
        out += "value = " + Interpolation("var." + var) + "\nsensitive = true\n";
      } else {
        out += "value = " + Render(root, o.value) + "\n";
      }
    }
    return out;
  }

  std::string Run(const std::string& outputs) {
    std::string out =
        "# Drafted by `reconcile import --from-terraform --generate-config` from the imported\n"
        "# objects: literal values, ids of other imported objects as references. Review it,\n"
        "# then `reconcile plan` should show no changes.\n";
    std::string root, modules;
    for (const auto& [name, g] : groups_) {
      std::string block = Block(g);
      if (g.address.module_path.empty()) {
        root += "\n" + block;
      } else {
        modules += "\n";
        for (std::size_t start = 0; start < block.size();) {
          std::size_t end = block.find('\n', start);
          modules += "# " + block.substr(start, end - start) + "\n";
          start = end == std::string::npos ? block.size() : end + 1;
        }
      }
    }
    if (!variables_.empty()) out += "\n" + variables_;
    if (!locals_.empty() || !local_tables_.empty()) out += "\n[locals]\n" + locals_ + local_tables_;
    out += root + outputs;
    if (!modules.empty()) {
      out +=
          "\n# Resources inside modules, commented out: a module's resources belong in its own\n"
          "# directory (modules/NAME/*.toml, called by a [module.NAME] block), where these\n"
          "# blocks can go as they are.\n" +
          modules;
    }
    return out;
  }

 private:
  struct IdOwner {
    const DraftInstance* instance;
    const char* attribute;
  };

  static bool Configurable(const Attribute& a) { return a.required || a.optional; }

  // The value of a configurable attribute to draft, or null when it is left out.
  static Value Drafted(const DraftInstance& i, const Attribute& a) {
    const Value* found = i.attributes.Find(a.name);
    if (found != nullptr && a.optional && a.computed && found->is_number() &&
        found->AsNumber() == 0)
      return {};
    if (!Configurable(a) || a.name == "tags_all") return {};
    const std::vector<std::string>& omit = TerraformType(i.address.type).draft_omit;
    if (std::find(omit.begin(), omit.end(), a.name) != omit.end()) return {};
    const Value* v = i.attributes.Find(a.name);
    if (v == nullptr || IsEmpty(*v) || IsEmpty(WithoutDefaults(a, *v))) return {};
    if (!a.default_value.is_null() && v->Equals(a.default_value)) return {};
    return *v;
  }

  // Whether `owner` depends on the resource of another object in `owners`.
  static bool DependsOnAnother(const DraftInstance& owner, const std::vector<IdOwner>& owners) {
    for (const IdOwner& other : owners) {
      if (other.instance == &owner) continue;
      ResourceAddress resource = other.instance->address;
      resource.key = InstanceKey::None();
      if (std::find(owner.dependencies.begin(), owner.dependencies.end(), resource.ToString()) !=
          owner.dependencies.end())
        return true;
    }
    return false;
  }

  // The reference to the object whose id, arn or name is `value`, seen from `from`; "" when none.
  std::string Reference(const DraftInstance& from, const std::string& value) const {
    auto it = ids_.find(value);
    if (it == ids_.end()) return "";
    for (const IdOwner& owner : it->second) {
      const DraftInstance& to = *owner.instance;
      if (&to == &from || to.address.module_path != from.address.module_path ||
          DependsOnAnother(to, it->second))
        continue;
      ResourceAddress target = to.address;
      std::string key = target.key.ToString();
      if (target.key.kind != InstanceKey::Kind::kNone && target.key == from.address.key &&
          from.address.key.kind != InstanceKey::Kind::kNone)
        key = from.address.key.kind == InstanceKey::Kind::kIndex ? "[count.index]" : "[each.key]";
      target.key = InstanceKey::None();
      target.module_path.clear();
      return target.ResourceString() + key + "." + owner.attribute;
    }
    return "";
  }

  // A value as a TOML expression, with references for known ids (not in
  // plain maps such as tags: `references` false).
  std::string Render(const DraftInstance& from, const Value& v, bool references = true) const {
    switch (v.kind()) {
      case Value::Kind::kString: {
        std::string ref = references ? Reference(from, v.AsString()) : std::string();
        return ref.empty() ? Quoted(v.AsString()) : Interpolation(ref);
      }
      case Value::Kind::kNumber:
        return FormatNumber(v.AsNumber());
      case Value::Kind::kBool:
        return v.AsBool() ? "true" : "false";
      case Value::Kind::kList: {
        std::string out = "[";
        bool first = true;
        for (const Value& item : v.AsList()) {
          if (item.is_null()) continue;
          out += (first ? "" : ", ") + Render(from, item, references);
          first = false;
        }
        return out + "]";
      }
      case Value::Kind::kMap: {
        std::string out = "{";
        bool first = true;
        for (const auto& [k, item] : v.AsMap()) {
          if (IsEmpty(item)) continue;
          out += (first ? " " : ", ") + Key(k) + " = " + Render(from, item, references);
          first = false;
        }
        return out + (first ? "}" : " }");
      }
      default:
        return "\"${null}\"";
    }
  }

  // Nested blocks leave out fields at their defaults (the configuration gets them anyway).
  static Value WithoutDefaults(const Attribute& a, const Value& v) {
    if (a.nested.empty()) return v;
    auto trim = [&](const Value& block) {
      if (!block.is_map()) return block;
      Value out = Value::Map({});
      for (const Attribute& f : a.nested) {
        const Value* field = block.Find(f.name);
        if (field == nullptr || IsEmpty(*field) ||
            (!f.default_value.is_null() && field->Equals(f.default_value)))
          continue;
        out.Set(f.name, WithoutDefaults(f, *field));
      }
      return out;
    };
    if (v.is_list()) {
      ValueList items;
      for (const Value& block : v.AsList())
        if (Value trimmed = trim(block); !IsEmpty(trimmed)) items.push_back(trimmed);
      return Value::List(std::move(items));
    }
    return trim(v);
  }

  std::string Block(const Group& g) {
    const DraftInstance& first = *g.instances.front();
    const ResourceSchema& schema = *first.schema;
    InstanceKey::Kind kind = KeyKind(g);
    std::string each = kind == InstanceKey::Kind::kIndex ? "count.index" : "each.key";
    std::string out = "[resource." + g.address.type + "." + g.address.name + "]\n";
    if (!g.address.module_path.empty()) out = "# in " + g.address.ModulePrefix() + "\n" + out;
    std::string per_instance_name = g.local_name;
    std::map<std::string, std::string> per_instance;  // instance key text -> "attr = value, ..."
    if (kind == InstanceKey::Kind::kIndex) {
      std::int64_t count = g.instances.back()->address.key.index + 1;
      out += "count = " + std::to_string(count) + "\n";
      if (count != static_cast<std::int64_t>(g.instances.size()))
        out += "# Terraform had only some of these indexes; a plan creates the missing ones.\n";
    } else if (kind == InstanceKey::Kind::kString) {
      out += "for_each = \"${local." + per_instance_name + "}\"\n";
    }
    if (!first.provider.empty()) out += "provider = " + Quoted(first.provider) + "\n";
    for (const Attribute& a : schema.attributes) {
      std::vector<std::string> rendered;
      bool any = false, sensitive = false;
      for (const DraftInstance* i : g.instances) {
        Value v = Drafted(*i, a);
        any |= !v.is_null();
        sensitive |= v.ContainsSensitive() || a.sensitive;
        rendered.push_back(v.is_null()
                               ? std::string()
                               : Render(*i, WithoutDefaults(a, v), a.type != AttributeType::kMap));
      }
      if (!any) continue;
      if (sensitive) {
        std::string var = g.local_name + "_" + a.name;
        std::string type = kind == InstanceKey::Kind::kIndex    ? "type = \"list(string)\"\n"
                           : kind == InstanceKey::Kind::kString ? "type = \"map(string)\"\n"
                                                                : "";
        variables_ += "[variable." + var + "]\n" + type + "sensitive = true\ndescription = \"" +
                      a.name + " of " + g.address.ToString() + " (set it with RECONCILE_VAR_" +
                      var + " or --var)\"\n\n";
        out += a.name + " = " +
               Interpolation("var." + var +
                             (kind == InstanceKey::Kind::kNone ? "" : "[" + each + "]")) +
               "\n";
        continue;
      }
      bool same = std::all_of(rendered.begin(), rendered.end(),
                              [&](const std::string& r) { return r == rendered[0]; });
      if (same || kind == InstanceKey::Kind::kNone) {
        out += a.name + " = " + rendered[0] + "\n";
        continue;
      }
      for (std::size_t n = 0; n < g.instances.size(); ++n) {
        std::string& entry = per_instance[g.instances[n]->address.key.ToString()];
        entry += std::string(entry.empty() ? "" : ", ") + a.name + " = " +
                 (rendered[n].empty() ? "\"${null}\"" : rendered[n]);
      }
      out += a.name + " = " +
             Interpolation(kind == InstanceKey::Kind::kIndex
                               ? "local." + per_instance_name + "[count.index]." + a.name
                               : "each.value." + a.name) +
             "\n";
    }
    if (first.create_before_destroy) out += "lifecycle = { create_before_destroy = true }\n";
    if (kind == InstanceKey::Kind::kIndex) {
      std::string local = per_instance_name + " = [\n";
      for (const DraftInstance* i : g.instances)
        local += "  { " + per_instance[i->address.key.ToString()] + " },\n";
      local += "]\n";
      if (g.address.module_path.empty())
        locals_ += local;
      else
        out = "# [locals]\n" + local + out;
    } else if (kind == InstanceKey::Kind::kString) {
      std::string table = "[locals." + per_instance_name + "]\n";
      for (const DraftInstance* i : g.instances)
        table +=
            Key(i->address.key.key) + " = { " + per_instance[i->address.key.ToString()] + " }\n";
      if (g.address.module_path.empty())
        local_tables_ += "\n" + table;
      else
        out = table + out;
    }
    return out;
  }

  std::map<std::string, Group> groups_;
  std::map<std::string, std::vector<IdOwner>> ids_;
  std::string variables_;
  std::string locals_;        // count resources' per-instance values (arrays)
  std::string local_tables_;  // for_each resources' per-instance values ([locals.NAME] tables)
};

}  // namespace

std::string DraftConfiguration(const std::vector<DraftInstance>& instances,
                               const std::vector<DraftOutput>& outputs) {
  Drafter drafter(instances);
  std::string drafted_outputs = drafter.Outputs(outputs);
  return drafter.Run(drafted_outputs);
}

}  // namespace reconcile::migrate
