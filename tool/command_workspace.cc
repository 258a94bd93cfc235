// reconcile workspace list|show|new|select|delete
#include <algorithm>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class WorkspaceCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    list_ = app.add_subcommand("list", "List workspaces (* marks the current one)");
    SetExamples(*list_, {
                            {"reconcile workspace list", "Every workspace of the stack's backend"},
                            {"reconcile -C stacks/web workspace list", "Those of another stack"},
                        });
    show_ = app.add_subcommand("show", "Print the current workspace");
    SetExamples(*show_, {
                            {"reconcile workspace show", "The workspace commands work in"},
                            {"RECONCILE_WORKSPACE=prod reconcile workspace show",
                             "prod: the environment variable chooses it for one run"},
                        });
    new_ = app.add_subcommand("new", "Create a workspace and select it");
    new_->add_option("NAME", name_, "Workspace name")->required()->type_name(kWorkspaceValue);
    SetExamples(*new_,
                {
                    {"reconcile workspace new staging",
                     "An empty state for staging, selected for the commands that follow"},
                    {"reconcile workspace new prod && reconcile apply",
                     "Create prod and deploy into it (environments/prod.toml sets its variables)"},
                });
    select_ = app.add_subcommand("select", "Select a workspace");
    select_->add_option("NAME", name_, "Workspace name")->required()->type_name(kWorkspaceValue);
    select_->add_flag("--or-create", or_create_, "Create the workspace when it does not exist");
    SetExamples(*select_, {
                              {"reconcile workspace select prod", "Work in prod from now on"},
                              {"reconcile workspace select --or-create pr-123",
                               "In CI: one workspace per pull request, created on first use"},
                          });
    delete_ = app.add_subcommand("delete", "Delete a workspace's state");
    delete_->add_option("NAME", name_, "Workspace name")->required()->type_name(kWorkspaceValue);
    delete_->add_flag("--force", force_, "Delete even when it still manages resources");
    SetExamples(*delete_,
                {
                    {"reconcile workspace delete pr-123",
                     "Remove an empty workspace (destroy its resources first)"},
                    {"reconcile workspace delete --force pr-123",
                     "Remove it even though it still records resources (they stay, unmanaged)"},
                });
    SetExamples(app, {
                         {"reconcile workspace new staging", "Create a workspace and switch to it"},
                         {"reconcile workspace select --or-create pr-123",
                          "Switch to a workspace, creating it on first use"},
                         {"reconcile --workspace prod plan",
                          "Plan in prod without changing the selected workspace"},
                     });
  }

  int Run(const GlobalOptions& global) override {
    StackFlags flags;
    std::unique_ptr<Engine> engine = OpenEngine(global, flags, nullptr);
    if (!engine) return kExitError;
    Diagnostics diags;
    if (show_->parsed()) {
      fmt::print("{}\n", engine->workspace());
    } else if (list_->parsed()) {
      std::vector<std::string> names;
      diags = engine->ListWorkspaces(&names);
      if (std::find(names.begin(), names.end(), engine->workspace()) == names.end())
        names.push_back(engine->workspace());
      std::sort(names.begin(), names.end());
      for (const std::string& n : names)
        fmt::print("{} {}\n", n == engine->workspace() ? "*" : " ", n);
    } else if (new_->parsed()) {
      diags = Create(*engine);
    } else if (select_->parsed()) {
      diags = Select(*engine);
    } else if (delete_->parsed()) {
      diags = engine->DeleteWorkspace(name_, force_);
      if (!diags.HasErrors()) fmt::print("Deleted workspace \"{}\".\n", name_);
    }
    PrintDiagnostics(global, diags);
    return diags.HasErrors() ? kExitError : kExitOk;
  }

 private:
  Diagnostics Create(Engine& engine) {
    Diagnostics diags = engine.NewWorkspace(name_);
    if (!diags.HasErrors()) fmt::print("Created and switched to workspace \"{}\".\n", name_);
    return diags;
  }

  Diagnostics Select(Engine& engine) {
    if (or_create_) {
      std::vector<std::string> names;
      Diagnostics diags = engine.ListWorkspaces(&names);
      if (diags.HasErrors()) return diags;
      if (std::find(names.begin(), names.end(), name_) == names.end()) return Create(engine);
    }
    Diagnostics diags = engine.SelectWorkspace(name_);
    if (!diags.HasErrors()) fmt::print("Switched to workspace \"{}\".\n", name_);
    return diags;
  }

  CLI::App* list_ = nullptr;
  CLI::App* show_ = nullptr;
  CLI::App* new_ = nullptr;
  CLI::App* select_ = nullptr;
  CLI::App* delete_ = nullptr;
  std::string name_;
  bool force_ = false;
  bool or_create_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeWorkspaceCommand() { return std::make_unique<WorkspaceCommand>(); }

}  // namespace reconcile::tool
