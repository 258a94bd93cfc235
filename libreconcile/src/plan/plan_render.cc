// RenderPlan: the plan as users know it from Terraform.
#include <algorithm>

#include "plan/diff_renderer.h"
#include "reconcile/plan.h"

namespace reconcile {

namespace {

using plan::Palette;

// How one action looks: its marker, colour and the words after the address.
struct ActionStyle {
  std::string_view marker;
  std::string_view color;
  std::string_view words;
};

ActionStyle StyleOf(const PlannedChange& change, const Palette& p) {
  switch (change.action) {
    case Action::kCreate:
      return {"+", p.Green(), "will be created"};
    case Action::kUpdate:
      return {"~", p.Yellow(), "will be updated in-place"};
    case Action::kReplace:
      return {change.create_before_destroy ? "+/-" : "-/+", p.Magenta(),
              change.reason == "tainted" ? "is tainted, so must be replaced" : "must be replaced"};
    case Action::kDelete:
      return {"-", p.Red(), "will be destroyed"};
    case Action::kRead:
      return {"<=", p.Cyan(), "will be read during apply"};
    case Action::kNoOp:
      break;
  }
  return {" ", "", "has no changes"};
}

ActionStyle DriftStyleOf(const PlannedChange& drift, const Palette& p) {
  if (drift.action == Action::kDelete) return {"-", p.Red(), "has been deleted"};
  return {"~", p.Yellow(), "has changed"};
}

class PlanRenderer {
 public:
  explicit PlanRenderer(const RenderOptions& options) : palette_{options.color}, options_(options) {}

  std::string Render(const Plan& plan) {
    RenderRelease(plan.release);
    RenderPending(plan.pending);
    RenderDrift(plan.drift);
    if (!plan.HasChanges()) {
      out_ += "No changes. Your infrastructure matches the configuration.\n";
      return out_;
    }
    RenderChanges(plan.changes);
    RenderSummary(plan.Summary());
    RenderOutputs(plan.outputs);
    return out_;
  }

 private:
  std::string Bold(std::string_view text) const {
    return std::string(palette_.Bold()) + std::string(text) + std::string(palette_.Reset());
  }

  // Each release value, where it came from, and what it was.
  void RenderRelease(const std::vector<ReleaseValue>& release) {
    if (release.empty()) return;
    out_ += Bold("Release values:") + "\n";
    for (const ReleaseValue& r : release) {
      out_ += "  " + r.name + " = " + ReleaseValueText(r.after) + " (" + r.origin;
      if (r.changed()) out_ += r.before.is_null() ? "; none recorded" : "; was " + ReleaseValueText(r.before);
      out_ += ")\n";
    }
    out_ += "\n";
  }

  void RenderPending(const std::vector<PendingOperation>& pending) {
    if (pending.empty()) return;
    out_ += Bold("Interrupted operations from a previous apply:") + "\n\n";
    for (const PendingOperation& op : pending)
      out_ += "  # " + op.address + ": " + op.action + " started " + op.started + " and did not finish\n";
    out_ += "\nThe next apply or refresh finds out what they did and records it before changing anything else.\n\n";
  }

  void RenderDrift(const std::vector<PlannedChange>& drift) {
    if (drift.empty()) return;
    out_ += Bold("Note: Objects have changed outside of reconcile") + "\n\n";
    out_ += "reconcile detected the following changes made outside of reconcile since the last apply:\n";
    for (const PlannedChange* change : SortedByAddress(drift, true)) {
      ActionStyle style = DriftStyleOf(*change, palette_);
      RenderInstance(*change, style, change->before, change->action == Action::kDelete ? Value() : change->after,
                     false);
    }
    out_ += "\n";
  }

  void RenderChanges(const std::vector<PlannedChange>& changes) {
    std::vector<const PlannedChange*> shown = SortedByAddress(changes, options_.show_no_ops);
    if (shown.empty()) return;
    RenderLegend(shown);
    out_ += "reconcile will perform the following actions:\n";
    for (const PlannedChange* change : shown) {
      RenderDeposed(*change);
      if (change->action == Action::kNoOp && !change->deposed.empty() && !options_.show_no_ops) continue;
      ActionStyle style = StyleOf(*change, palette_);
      bool removes = change->action == Action::kDelete;
      bool adds = change->action == Action::kCreate || change->action == Action::kRead;
      RenderInstance(*change, style, adds ? Value() : change->before, removes ? Value() : change->after, true);
    }
    out_ += "\n";
  }

  // Deposed objects by id only: their attributes carry no sensitivity marks.
  void RenderDeposed(const PlannedChange& change) {
    for (const Value& object : change.deposed) {
      std::string id = ObjectId(object);
      std::string shown = id.empty() ? "" : " " + id;
      out_ += '\n';
      out_ += Bold("  # " + change.address + " (deposed object" + shown + ") will be destroyed");
      out_ += "\n  # (left by a create_before_destroy replacement that did not finish)\n";
      out_ += Marker("-", palette_.Red()) + " " + BlockHeader(change) + " {}\n";
    }
  }

  void RenderLegend(const std::vector<const PlannedChange*>& shown) {
    struct Symbol {
      std::string_view marker;
      std::string_view color;
      std::string_view meaning;
    };
    const Symbol symbols[] = {
        {"+", palette_.Green(), "create"},
        {"~", palette_.Yellow(), "update in-place"},
        {"-", palette_.Red(), "destroy"},
        {"-/+", palette_.Magenta(), "destroy and then create replacement"},
        {"+/-", palette_.Magenta(), "create replacement and then destroy"},
        {"<=", palette_.Cyan(), "read (data resources)"},
    };
    out_ += "Resource actions are indicated with the following symbols:\n";
    for (const Symbol& symbol : symbols) {
      bool used = std::any_of(shown.begin(), shown.end(), [&](const PlannedChange* c) {
        if (symbol.marker == "-" && !c->deposed.empty()) return true;
        return c->action != Action::kNoOp && StyleOf(*c, palette_).marker == symbol.marker;
      });
      if (used) out_ += Marker(symbol.marker, symbol.color) + " " + std::string(symbol.meaning) + "\n";
    }
    out_ += "\n";
  }

  // The marker right-aligned in three columns ("  +", "-/+", " <=").
  std::string Marker(std::string_view marker, std::string_view color) const {
    std::string out(3 - std::min<std::size_t>(3, marker.size()), ' ');
    out += color;
    out += marker;
    if (!color.empty()) out += palette_.Reset();
    return out;
  }

  void RenderInstance(const PlannedChange& change, const ActionStyle& style, const Value& before,
                      const Value& after, bool with_reason) {
    out_ += '\n';
    out_ += Bold("  # " + change.address + " " + std::string(style.words));
    out_ += '\n';
    if (with_reason && !change.reason.empty() && change.reason != "tainted")
      out_ += "  # (because " + change.reason + ")\n";
    out_ += Marker(style.marker, style.color) + " " + BlockHeader(change) + " {\n";
    plan::DiffRenderer diff(&out_, palette_);
    bool in_place = change.action == Action::kUpdate || change.action == Action::kReplace ||
                    change.action == Action::kNoOp;
    diff.RenderAttributes(before, after, change.replace_paths, in_place);
    out_ += "    }\n";
  }

  // `resource "aws_subnet" "public"` or `data "aws_ami" "ubuntu"`.
  static std::string BlockHeader(const PlannedChange& change) {
    ResourceAddress address;
    std::string error;
    bool parsed = ResourceAddress::Parse(change.address, &address, &error) && !address.type.empty();
    bool data = parsed ? address.mode == ResourceMode::kData : change.mode == ResourceMode::kData;
    std::string type = parsed ? address.type : change.type;
    std::string name = parsed ? address.name : change.address;
    return std::string(data ? "data" : "resource") + " \"" + type + "\" \"" + name + "\"";
  }

  void RenderSummary(const PlanSummary& summary) {
    out_ += Bold("Plan:") + " " + std::to_string(summary.add) + " to add, " + std::to_string(summary.change) +
            " to change, " + std::to_string(summary.destroy) + " to destroy.\n";
  }

  void RenderOutputs(const std::vector<OutputChange>& outputs) {
    std::vector<const OutputChange*> changed;
    for (const OutputChange& output : outputs)
      if (output.action != Action::kNoOp) changed.push_back(&output);
    if (changed.empty()) return;
    out_ += "\nChanges to Outputs:\n";
    std::size_t width = 0;
    for (const OutputChange* output : changed) width = std::max(width, output->name.size());
    plan::DiffRenderer diff(&out_, palette_);
    for (const OutputChange* output : changed) {
      Value before = output->action == Action::kCreate ? Value() : output->before;
      Value after = output->action == Action::kDelete ? Value() : output->after;
      if (output->sensitive) {
        if (!before.is_null()) before = before.MarkedSensitive();
        if (!after.is_null()) after = after.MarkedSensitive();
      }
      diff.RenderNamed(output->name, width, before, after);
    }
  }

  static std::vector<const PlannedChange*> SortedByAddress(const std::vector<PlannedChange>& changes,
                                                           bool include_no_ops) {
    std::vector<const PlannedChange*> out;
    for (const PlannedChange& change : changes)
      if (include_no_ops || change.action != Action::kNoOp || !change.deposed.empty()) out.push_back(&change);
    std::stable_sort(out.begin(), out.end(),
                     [](const PlannedChange* a, const PlannedChange* b) { return a->address < b->address; });
    return out;
  }

  Palette palette_;
  RenderOptions options_;
  std::string out_;
};

}  // namespace

std::string ReleaseValueText(const Value& value) {
  if (value.ContainsSensitive()) return "(sensitive value)";
  if (value.is_unknown()) return "(known after apply)";
  if (value.is_string()) return value.AsString();
  return ToJson(value);
}

std::string RenderPlan(const Plan& plan, const RenderOptions& options) {
  return PlanRenderer(options).Render(plan);
}

}  // namespace reconcile
