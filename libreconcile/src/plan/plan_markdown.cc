// RenderPlanMarkdown: the plan as a pull-request comment.
#include <algorithm>
#include <map>

#include "plan/diff_renderer.h"
#include "reconcile/plan.h"

namespace reconcile {

namespace {

std::string_view MarkerOf(const PlannedChange& change) {
  switch (change.action) {
    case Action::kCreate:
      return "+";
    case Action::kUpdate:
      return "~";
    case Action::kReplace:
      return change.create_before_destroy ? "+/-" : "-/+";
    case Action::kDelete:
      return "-";
    case Action::kRead:
      return "<=";
    case Action::kNoOp:
      break;
  }
  return " ";
}

// Text inside HTML (<summary>): &, < and > escaped.
std::string Html(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

// A fenced block that no run of backticks inside `body` can close early.
std::string Fenced(std::string_view language, const std::string& body) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  return fence + std::string(language) + "\n" + body + fence + "\n";
}

// The plan's diff lines with each `+`/`-` marker moved to the first column,
// where a ```diff block colours it.
std::string DiffColumns(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    std::size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos && first > 0 && (line[first] == '+' || line[first] == '-')) {
      line[0] = line[first];
      line[first] = ' ';
    }
    out += line + "\n";
    start = end + 1;
  }
  return out;
}

std::string BlockHeader(const PlannedChange& change) {
  ResourceAddress address;
  std::string error;
  bool parsed = ResourceAddress::Parse(change.address, &address, &error) && !address.type.empty();
  bool data = parsed ? address.mode == ResourceMode::kData : change.mode == ResourceMode::kData;
  return std::string(data ? "data" : "resource") + " \"" + (parsed ? address.type : change.type) +
         "\" \"" + (parsed ? address.name : change.address) + "\"";
}

class MarkdownRenderer {
 public:
  explicit MarkdownRenderer(const MarkdownOptions& options) : options_(options) {}

  std::string Render(const Plan& plan) {
    if (!plan.HasChanges()) {
      out_ += "### reconcile plan: no changes\n\n";
      RenderContext(plan);
      out_ += "Your infrastructure matches the configuration.\n";
      return out_;
    }
    PlanSummary summary = plan.Summary();
    out_ += "### reconcile plan: " + std::to_string(summary.add) + " to add, " +
            std::to_string(summary.change) + " to change, " + std::to_string(summary.destroy) +
            " to destroy\n\n";
    RenderContext(plan);
    std::vector<const PlannedChange*> shown;
    for (const PlannedChange& c : plan.changes)
      if (c.action != Action::kNoOp) shown.push_back(&c);
    std::stable_sort(
        shown.begin(), shown.end(),
        [](const PlannedChange* a, const PlannedChange* b) { return a->address < b->address; });
    RenderTable(shown);
    std::size_t rendered = 0;
    for (const PlannedChange* change : shown) {
      if (rendered == options_.max_resources || out_.size() >= options_.max_chars) break;
      RenderChange(*change);
      ++rendered;
    }
    if (rendered < shown.size())
      out_ += "\n_" + std::to_string(shown.size() - rendered) + " more resource change" +
              (shown.size() - rendered == 1 ? "" : "s") +
              " not shown here; `reconcile show PLANFILE` shows the whole plan._\n";
    RenderOutputs(plan.outputs);
    return out_;
  }

 private:
  // The workspace, and what makes this plan unusual: destroy, targets,
  // exclusions, drift, interrupted operations.
  void RenderContext(const Plan& plan) {
    out_ += "Workspace `" + plan.workspace + "`";
    if (plan.destroy) out_ += ", destroy plan";
    out_ += ".";
    if (!plan.targets.empty()) out_ += " Targets: " + CodeList(plan.targets) + ".";
    if (!plan.excluded.empty()) {
      std::vector<std::string> excluded;
      for (const ExcludedInstance& e : plan.excluded) excluded.push_back(e.address);
      out_ += " Left alone by --exclude: " + CodeList(excluded) + ".";
    }
    if (!plan.drift.empty())
      out_ += " " + std::to_string(plan.drift.size()) + " resource" +
              (plan.drift.size() == 1 ? "" : "s") + " changed outside reconcile.";
    if (!plan.pending.empty())
      out_ += " " + std::to_string(plan.pending.size()) +
              " interrupted operation(s) are reconciled first.";
    out_ += "\n\n";
  }

  static std::string CodeList(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", `" : "`") + items[i] + "`";
    return out;
  }

  void RenderTable(const std::vector<const PlannedChange*>& shown) {
    std::map<Action, int> counts;
    for (const PlannedChange* c : shown) ++counts[c->action];
    out_ += "| Action | Resources |\n|---|---:|\n";
    for (Action action :
         {Action::kCreate, Action::kUpdate, Action::kReplace, Action::kDelete, Action::kRead})
      if (counts.count(action) != 0)
        out_ += "| " + std::string(ActionName(action)) + " | " + std::to_string(counts[action]) +
                " |\n";
    out_ += "\n";
  }

  void RenderChange(const PlannedChange& change) {
    std::string body = std::string(MarkerOf(change)) + " " + BlockHeader(change) + " {\n";
    plan::DiffRenderer diff(&body, plan::Palette{false});
    bool removes = change.action == Action::kDelete;
    bool adds = change.action == Action::kCreate || change.action == Action::kRead;
    bool in_place = change.action == Action::kUpdate || change.action == Action::kReplace;
    diff.RenderAttributes(adds ? Value() : change.before, removes ? Value() : change.after,
                          change.replace_paths, in_place);
    body += "    }\n";
    std::string because;
    if (!change.reason.empty() && change.reason != kReasonTainted &&
        change.reason != kReasonReplaceRequested)
      because = " (because " + change.reason + ")";
    out_ += "<details><summary><code>" + Html(MarkerOf(change)) + " " + Html(change.address) +
            "</code> " + Html(ActionWords(change)) + Html(because) + "</summary>\n\n";
    out_ += Fenced("diff", DiffColumns(body));
    out_ += "\n</details>\n";
  }

  void RenderOutputs(const std::vector<OutputChange>& outputs) {
    std::vector<const OutputChange*> changed;
    std::size_t width = 0;
    for (const OutputChange& output : outputs) {
      if (output.action == Action::kNoOp) continue;
      changed.push_back(&output);
      width = std::max(width, output.name.size());
    }
    if (changed.empty()) return;
    std::string body;
    plan::DiffRenderer diff(&body, plan::Palette{false});
    for (const OutputChange* output : changed) {
      Value before = output->action == Action::kCreate ? Value() : output->before;
      Value after = output->action == Action::kDelete ? Value() : output->after;
      if (output->sensitive) {
        if (!before.is_null()) before = before.MarkedSensitive();
        if (!after.is_null()) after = after.MarkedSensitive();
      }
      diff.RenderNamed(output->name, width, before, after);
    }
    out_ += "<details><summary>Changes to outputs (" + std::to_string(changed.size()) +
            ")</summary>\n\n";
    out_ += Fenced("diff", DiffColumns(body));
    out_ += "\n</details>\n";
  }

  MarkdownOptions options_;
  std::string out_;
};

}  // namespace

std::string RenderPlanMarkdown(const Plan& plan, const MarkdownOptions& options) {
  return MarkdownRenderer(options).Render(plan);
}

}  // namespace reconcile
