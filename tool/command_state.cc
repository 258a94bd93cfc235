// reconcile state list|show|rm|mv|pull|push|rekey
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "command_line.h"
#include "stack_flags.h"
#include "ui.h"
#include "value_text.h"

namespace reconcile::tool {

namespace {

class StateCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    list_ = app.add_subcommand("list", "List the resource instances in state");
    list_->add_option("ADDRESS", list_filter_, "Only instances matching these addresses")
        ->type_name(kAddressValue);
    SetExamples(*list_, {
                            {"reconcile state list", "Every instance the workspace manages"},
                            {"reconcile state list aws_subnet.public",
                             "The instances of one resource (all its count/for_each keys)"},
                        });
    show_ = app.add_subcommand("show", "Show one instance's attributes");
    show_->add_option("ADDRESS", address_, "The instance")->required()->type_name(kAddressValue);
    SetExamples(*show_,
                {
                    {"reconcile state show aws_vpc.main", "One instance's recorded attributes"},
                    {"reconcile state show 'aws_subnet.public[\"a\"]'",
                     "An instance of a for_each resource (quote the brackets)"},
                });
    rm_ = app.add_subcommand("rm", "Forget instances (the objects keep running, unmanaged)");
    rm_->add_option("ADDRESS", addresses_, "Instances or resources to forget")
        ->required()
        ->type_name(kAddressValue);
    SetExamples(*rm_,
                {
                    {"reconcile state rm aws_instance.legacy",
                     "Stop managing an object without destroying it"},
                    {"reconcile state rm aws_subnet.public", "Forget every instance of a resource"},
                });
    mv_ = app.add_subcommand("mv", "Move an instance (or resource) to another address");
    mv_->add_option("SOURCE", source_, "Current address")->required()->type_name(kAddressValue);
    mv_->add_option("DESTINATION", destination_, "New address")
        ->required()
        ->type_name(kAddressValue);
    SetExamples(*mv_, {
                          {"reconcile state mv aws_vpc.main aws_vpc.primary",
                           "After renaming [resource.aws_vpc.main] in the stack: keep the object"},
                          {"reconcile state mv 'aws_subnet.public[0]' 'aws_subnet.public[\"a\"]'",
                           "After moving from count to for_each"},
                      });
    pull_ = app.add_subcommand("pull", "Print the raw state document");
    pull_->add_option("--format", pull_format_,
                      "reconcile (default), or terraform: a Terraform state (format version 4)")
        ->check(OneOf({"reconcile", "terraform"}))
        ->type_name("reconcile|terraform");
    SetExamples(*pull_, {
                            {"reconcile state pull > backup.json", "Keep a copy of the state"},
                            {"reconcile state pull | jq '.resources | keys'", "Inspect it with jq"},
                            {"reconcile state pull --format terraform > terraform.tfstate",
                             "Go back to Terraform with what reconcile manages"},
                        });
    push_ = app.add_subcommand("push", "Replace the state with a document (- for stdin)");
    push_->add_option("FILE", file_, "State document")->required()->type_name(kFileValue);
    push_->add_flag("--force", force_, "Replace even a state of another lineage or higher serial");
    SetExamples(*push_,
                {
                    {"reconcile state push backup.json",
                     "Restore a copy (refused when the state moved on since)"},
                    {"reconcile state pull | jq 'del(.outputs.old)' | reconcile state push -",
                     "Edit the state through a pipe"},
                });
    rekey_ = app.add_subcommand("rekey", "Re-encrypt the state and journal under the configured key");
    SetExamples(*rekey_, {
                             {"reconcile state rekey",
                              "After moving the old key to [encryption] fallback: seal the state with the new one"},
                             {"RECONCILE_ENCRYPTION='key_provider = { passphrase = { env = \"STATE_KEY\" } }' "
                              "reconcile state rekey",
                              "Encrypt a plaintext state for the first time"},
                         });
    for (CLI::App* sub : {rm_, mv_, push_, rekey_}) AddLockTimeoutOption(*sub, flags_.lock_timeout);
    SetExamples(app,
                {
                    {"reconcile state list", "Every instance the workspace manages"},
                    {"reconcile state show aws_vpc.main", "One instance's recorded attributes"},
                    {"reconcile state mv aws_vpc.main aws_vpc.primary",
                     "Follow a rename in the stack without replacing the object"},
                });
  }

  int Run(const GlobalOptions& global) override {
    std::unique_ptr<Engine> engine = OpenEngine(global, flags_, nullptr);
    if (!engine) return kExitError;
    Diagnostics diags;
    if (pull_->parsed() && pull_format_ == "terraform") {
      std::string document;
      diags = engine->TerraformStateDocument(&document);
      if (!diags.HasErrors()) fmt::print("{}", document);
    } else if (list_->parsed() || show_->parsed() || pull_->parsed()) {
      State state;
      diags = engine->ReadState(&state);
      if (!diags.HasErrors()) diags.Append(Print(state));
    } else if (rm_->parsed()) {
      std::vector<std::string> removed;
      diags = engine->RemoveFromState(addresses_, &removed);
      if (!diags.HasErrors())
        for (const std::string& a : removed) fmt::print("Removed {}\n", a);
    } else if (mv_->parsed()) {
      diags = engine->MoveInState(source_, destination_);
      if (!diags.HasErrors()) fmt::print("Moved {} to {}\n", source_, destination_);
    } else if (rekey_->parsed()) {
      diags = engine->RekeyState();
      if (!diags.HasErrors()) fmt::print("Re-encrypted the state of workspace \"{}\".\n", engine->workspace());
    } else if (push_->parsed()) {
      std::stringstream content;
      if (file_ == "-") {
        content << std::cin.rdbuf();
      } else {
        std::ifstream in(file_);
        if (!in) {
          PrintError(global, fmt::format("Cannot read {}", file_), "Check the path.");
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
      fmt::print("{}\n", SerializeState(state));
    } else if (list_->parsed()) {
      for (const auto& [address, r] : state.resources) {
        if (!Matches(address)) continue;
        fmt::print("{}\n", address);
      }
    } else {
      auto it = state.resources.find(address_);
      if (it == state.resources.end()) {
        diags.Error(fmt::format("No instance {} in state", address_),
                    "See `reconcile state list`.");
      } else {
        fmt::print("# {}:\n{}\n", address_, ValueText(it->second.attributes));
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
  CLI::App* rekey_ = nullptr;
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
