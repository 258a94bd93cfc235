// reconcile workspace list|show|new|select|delete
#include <algorithm>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

class WorkspaceCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.require_subcommand(1);
    list_ = app.add_subcommand("list", "List workspaces (* marks the current one)");
    show_ = app.add_subcommand("show", "Print the current workspace");
    new_ = app.add_subcommand("new", "Create a workspace and select it");
    new_->add_option("NAME", name_, "Workspace name")->required();
    select_ = app.add_subcommand("select", "Select a workspace");
    select_->add_option("NAME", name_, "Workspace name")->required();
    delete_ = app.add_subcommand("delete", "Delete a workspace's state");
    delete_->add_option("NAME", name_, "Workspace name")->required();
    delete_->add_flag("--force", force_, "Delete even when it still manages resources");
  }

  int Run(const GlobalOptions& global) override {
    StackFlags flags;
    std::unique_ptr<Engine> engine = OpenEngine(global, flags, nullptr);
    if (!engine) return kExitError;
    Diagnostics diags;
    if (show_->parsed()) {
      std::printf("%s\n", engine->workspace().c_str());
    } else if (list_->parsed()) {
      std::vector<std::string> names;
      diags = engine->ListWorkspaces(&names);
      if (std::find(names.begin(), names.end(), engine->workspace()) == names.end())
        names.push_back(engine->workspace());
      std::sort(names.begin(), names.end());
      for (const std::string& n : names)
        std::printf("%s %s\n", n == engine->workspace() ? "*" : " ", n.c_str());
    } else if (new_->parsed()) {
      diags = engine->NewWorkspace(name_);
      if (!diags.HasErrors())
        std::printf("Created and switched to workspace \"%s\".\n", name_.c_str());
    } else if (select_->parsed()) {
      diags = engine->SelectWorkspace(name_);
      if (!diags.HasErrors()) std::printf("Switched to workspace \"%s\".\n", name_.c_str());
    } else if (delete_->parsed()) {
      diags = engine->DeleteWorkspace(name_, force_);
      if (!diags.HasErrors()) std::printf("Deleted workspace \"%s\".\n", name_.c_str());
    }
    PrintDiagnostics(global, diags);
    return diags.HasErrors() ? kExitError : kExitOk;
  }

 private:
  CLI::App* list_ = nullptr;
  CLI::App* show_ = nullptr;
  CLI::App* new_ = nullptr;
  CLI::App* select_ = nullptr;
  CLI::App* delete_ = nullptr;
  std::string name_;
  bool force_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeWorkspaceCommand() { return std::make_unique<WorkspaceCommand>(); }

}  // namespace reconcile::tool
