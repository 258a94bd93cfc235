// reconcile state list|show|rm|mv|pull|push
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "stack_flags.h"
#include "ui.h"
#include "value_text.h"

namespace reconcile::tool {

namespace {

class StateCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.require_subcommand(1);
    list_ = app.add_subcommand("list", "List the resource instances in state");
    list_->add_option("ADDRESS", list_filter_, "Only instances matching these addresses");
    show_ = app.add_subcommand("show", "Show one instance's attributes");
    show_->add_option("ADDRESS", address_, "The instance")->required();
    rm_ = app.add_subcommand("rm", "Forget instances (the objects keep running, unmanaged)");
    rm_->add_option("ADDRESS", addresses_, "Instances or resources to forget")->required();
    mv_ = app.add_subcommand("mv", "Move an instance (or resource) to another address");
    mv_->add_option("SOURCE", source_, "Current address")->required();
    mv_->add_option("DESTINATION", destination_, "New address")->required();
    pull_ = app.add_subcommand("pull", "Print the raw state document");
    pull_->add_option("--format", pull_format_, "reconcile (default), or terraform: a Terraform state (format version 4)")
        ->check(CLI::IsMember({"reconcile", "terraform"}));
    push_ = app.add_subcommand("push", "Replace the state with a document (- for stdin)");
    push_->add_option("FILE", file_, "State document")->required();
    push_->add_flag("--force", force_, "Replace even a state of another lineage or higher serial");
    for (CLI::App* sub : {rm_, mv_, push_}) {
      sub->add_option("--lock-timeout", flags_.lock_timeout, "Wait this long for a held lock");
    }
  }

  int Run(const GlobalOptions& global) override {
    std::unique_ptr<Engine> engine = OpenEngine(global, flags_, nullptr);
    if (!engine) return kExitError;
    Diagnostics diags;
    if (pull_->parsed() && pull_format_ == "terraform") {
      std::string document;
      diags = engine->TerraformStateDocument(&document);
      if (!diags.HasErrors()) std::printf("%s", document.c_str());
    } else if (list_->parsed() || show_->parsed() || pull_->parsed()) {
      State state;
      diags = engine->ReadState(&state);
      if (!diags.HasErrors()) diags.Append(Print(state));
    } else if (rm_->parsed()) {
      std::vector<std::string> removed;
      diags = engine->RemoveFromState(addresses_, &removed);
      if (!diags.HasErrors())
        for (const std::string& a : removed) std::printf("Removed %s\n", a.c_str());
    } else if (mv_->parsed()) {
      diags = engine->MoveInState(source_, destination_);
      if (!diags.HasErrors()) std::printf("Moved %s to %s\n", source_.c_str(), destination_.c_str());
    } else if (push_->parsed()) {
      std::stringstream content;
      if (file_ == "-") {
        content << std::cin.rdbuf();
      } else {
        std::ifstream in(file_);
        if (!in) {
          PrintError(global, "Cannot read " + file_, "Check the path.");
          return kExitError;
        }
        content << in.rdbuf();
      }
      diags = engine->PushState(content.str(), force_);
    }
    PrintDiagnostics(global, diags);
    return diags.HasErrors() ? kExitError : kExitOk;
  }

 private:
  Diagnostics Print(const State& state) {
    Diagnostics diags;
    if (pull_->parsed()) {
      std::printf("%s\n", SerializeState(state).c_str());
    } else if (list_->parsed()) {
      for (const auto& [address, r] : state.resources) {
        if (!Matches(address)) continue;
        std::printf("%s\n", address.c_str());
      }
    } else {
      auto it = state.resources.find(address_);
      if (it == state.resources.end()) {
        diags.Error("No instance " + address_ + " in state", "See `reconcile state list`.");
      } else {
        std::printf("# %s:\n%s\n", address_.c_str(), ValueText(it->second.attributes).c_str());
      }
    }
    return diags;
  }

  bool Matches(const std::string& address) const {
    if (list_filter_.empty()) return true;
    ResourceAddress a;
    std::string error;
    if (!ResourceAddress::Parse(address, &a, &error)) return false;
    for (const std::string& f : list_filter_) {
      ResourceAddress t;
      if (ResourceAddress::Parse(f, &t, &error) && AddressMatches(t, a)) return true;
    }
    return false;
  }

  StackFlags flags_;
  CLI::App* list_ = nullptr;
  CLI::App* show_ = nullptr;
  CLI::App* rm_ = nullptr;
  CLI::App* mv_ = nullptr;
  CLI::App* pull_ = nullptr;
  CLI::App* push_ = nullptr;
  std::vector<std::string> list_filter_;
  std::string address_;
  std::vector<std::string> addresses_;
  std::string source_;
  std::string destination_;
  std::string file_;
  std::string pull_format_ = "reconcile";
  bool force_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeStateCommand() { return std::make_unique<StateCommand>(); }

}  // namespace reconcile::tool
