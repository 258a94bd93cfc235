// RenderPlan: the plan as users know it from Terraform.
#include <algorithm>
#include <iterator>
#include <utility>

#include <fmt/format.h>

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
  std::string_view words = ActionWords(change);
  switch (change.action) {
    case Action::kCreate:
      return {"+", p.Green(), words};
    case Action::kUpdate:
      return {"~", p.Yellow(), words};
    case Action::kReplace:
      return {change.create_before_destroy ? "+/-" : "-/+", p.Magenta(), words};
    case Action::kDelete:
      return {"-", p.Red(), words};
    case Action::kRead:
      return {"<=", p.Cyan(), words};
    case Action::kNoOp:
      break;
  }
  return {" ", "", words};
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
    RenderExcluded(plan);
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
  // Appends formatted text to the output.
  template <typename... Args>
  void Out(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(out_), format, std::forward<Args>(args)...);
  }

  std::string Bold(std::string_view text) const {
    return fmt::format("{}{}{}", palette_.Bold(), text, palette_.Reset());
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
    Out("{}\n\n", Bold("Interrupted operations from a previous apply:"));
    bool unknown = false;
    for (const PendingOperation& op : pending) {
      std::string what = op.action;
      if (op.action == "create" && !op.prior_state.is_null()) {
        std::string replaced = ObjectId(op.prior_state);
        what = fmt::format("create of the replacement of {} (create_before_destroy)",
                           replaced.empty() ? "the current object" : replaced);
      }
      Out("  # {}: {} started {} {}\n", op.address, what, op.started,
          op.outcome_unknown ? "and failed without saying whether it took effect" : "and did not finish");
      unknown = unknown || op.outcome_unknown;
    }
    out_ += "\nThe next apply or refresh finds out what they did and records it before changing anything else";
    out_ += unknown ? ":\na create is looked up (ownership tags, client token, name) and recorded when found, else "
                      "made again\nwith the same client token; a delete is read back.\n\n"
                    : ".\n\n";
  }

  void RenderDrift(const std::vector<PlannedChange>& drift) {
    if (drift.empty()) return;
    Out("{}\n\n", Bold("Note: Objects have changed outside of reconcile"));
    out_ += "reconcile detected the following changes made outside of reconcile since the last apply:\n";
    for (const PlannedChange* change : SortedByAddress(drift, true)) {
      ActionStyle style = DriftStyleOf(*change, palette_);
      RenderInstance(*change, style, change->before, change->action == Action::kDelete ? Value() : change->after,
                     false);
    }
    out_ += "\n";
  }

  // What --exclude left out, each with the reason it is left alone.
  void RenderExcluded(const Plan& plan) {
    if (plan.excluded.empty()) return;
    out_ += Bold("Excluded by --exclude: this plan leaves these alone") + "\n\n";
    for (const ExcludedInstance& e : plan.excluded) {
      if (e.because_of.empty())
        out_ += "  # " + e.address + " is excluded, as requested\n";
      else if (plan.destroy)
        out_ += "  # " + e.address + " is excluded: " + e.because_of + " depends on it\n";
      else
        out_ += "  # " + e.address + " is excluded: it depends on " + e.because_of + "\n";
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
      Out("\n{}\n", Bold(fmt::format("  # {} (deposed object{}) will be destroyed", change.address, shown)));
      Out("  # (left by a create_before_destroy replacement that did not finish)\n");
      Out("{} {} {{}}\n", Marker("-", palette_.Red()), BlockHeader(change));
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
      if (used) Out("{} {}\n", Marker(symbol.marker, symbol.color), symbol.meaning);
    }
    out_ += "\n";
  }

  // The marker right-aligned in three columns ("  +", "-/+", " <=").
  std::string Marker(std::string_view marker, std::string_view color) const {
    return fmt::format("{:>{}}{}{}{}", "", 3 - std::min<std::size_t>(3, marker.size()), color, marker,
                       color.empty() ? std::string_view() : palette_.Reset());
  }

  void RenderInstance(const PlannedChange& change, const ActionStyle& style, const Value& before,
                      const Value& after, bool with_reason) {
    Out("\n{}\n", Bold(fmt::format("  # {} {}", change.address, style.words)));
    if (with_reason && !change.reason.empty() && change.reason != kReasonTainted &&
        change.reason != kReasonReplaceRequested)
      Out("  # (because {})\n", change.reason);
    Out("{} {} {{\n", Marker(style.marker, style.color), BlockHeader(change));
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
    return fmt::format("{} \"{}\" \"{}\"", data ? "data" : "resource", type, name);
  }

  void RenderSummary(const PlanSummary& summary) {
    Out("{} {} to add, {} to change, {} to destroy.\n", Bold("Plan:"), summary.add, summary.change,
        summary.destroy);
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
