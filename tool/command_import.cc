// reconcile import ADDRESS ID: bring an existing object under management.
// reconcile import --from-terraform SOURCE: adopt a Terraform state.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <CLI/CLI.hpp>

#include "command_line.h"
#include "progress.h"
#include "stack_flags.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

// "types not supported: aws_instance, aws_eip; data sources: 1; ..." for the summary line.
std::string SkippedSummary(const std::vector<TerraformImportEntry>& skipped) {
  std::set<std::string> unsupported;
  std::map<std::string, int> others;
  for (const TerraformImportEntry& e : skipped) {
    if (e.reason.starts_with("type not supported"))
      unsupported.insert(e.type);
    else if (e.reason.starts_with("data source"))
      ++others["data sources"];
    else if (e.reason.starts_with("provider"))
      ++others["other providers"];
    else
      ++others["other reasons"];
  }
  std::vector<std::string> parts;
  if (!unsupported.empty())
    parts.push_back(fmt::format("types not supported: {}", fmt::join(unsupported, ", ")));
  for (const auto& [what, n] : others) parts.push_back(fmt::format("{}: {}", what, n));
  return fmt::format("{}", fmt::join(parts, "; "));
}

void PrintImport(const TerraformImport& result, bool color) {
  fmt::print("Terraform state {}", result.location);
  if (!result.terraform_version.empty())
    fmt::print(" (written by Terraform {})", result.terraform_version);
  fmt::print("\n");
  for (const std::string& lock : result.locks) fmt::print("Holding Terraform's lock: {}\n", lock);
  fmt::print("\n");
  for (const TerraformImportEntry& e : result.imported)
    fmt::print("  {} {}{}\n", Styled(color, Style::kSuccess, "+"), e.address,
               e.id.empty() ? std::string() : fmt::format(" (id {})", e.id));
  for (const TerraformImportEntry& e : result.skipped)
    fmt::print("  {} {}: skipped, {}\n", Styled(color, Style::kWarning, "!"), e.address, e.reason);
  if (!result.outputs.empty()) fmt::print("  outputs: {}\n", fmt::join(result.outputs, ", "));
  std::string summary = fmt::format("Will be imported: {}, skipped: {}", result.imported.size(),
                                    result.skipped.size());
  std::string why = SkippedSummary(result.skipped);
  if (!why.empty()) summary += fmt::format(" ({})", why);
  fmt::print("\n{}.\n", Styled(color, Style::kStrong, summary));
}

class ImportCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app_ = &app;
    app.add_option("ADDRESS", address_, "Where the object goes, e.g. aws_vpc.main");
    app.add_option("ID", id_, "The object's id, e.g. vpc-0123")->type_name("ID");
    app.add_option("--from-terraform", source_,
                   "Adopt a Terraform state: a state file or s3://BUCKET/KEY (Terraform's backend "
                   "bucket and key)")
        ->type_name("SOURCE");
    app.add_option("--generate-config", config_file_,
                   "With --from-terraform: write a TOML draft of what is imported")
        ->type_name("FILE");
    app.add_option("--lock-table", lock_table_,
                   "With an s3:// source: Terraform's DynamoDB lock table (default: the stack "
                   "backend's lock_table)");
    app.add_flag("--lockfile", lockfile_,
                 "With an s3:// source: take Terraform's S3 lockfile KEY.tflock");
    app.add_flag("--auto-approve", auto_approve_, "With --from-terraform: import without asking");
    AddStackFlags(app, flags_, /*locking=*/true);
    SetExamples(app, {
                         {"reconcile import aws_vpc.main vpc-0a1b2c3d",
                          "Manage an existing VPC as the stack's [resource.aws_vpc.main]"},
                         {"reconcile import 'aws_subnet.public[\"a\"]' subnet-0a1b2c3d",
                          "Import one instance of a for_each resource"},
                         {"reconcile import --from-terraform s3://tf-state/web/terraform.tfstate "
                          "--generate-config imported.toml",
                          "Adopt everything a Terraform state manages and draft its TOML"},
                     });
  }

  int Run(const GlobalOptions& global) override {
    if (!source_.empty()) return RunFromTerraform(global);
    if (address_.empty() || id_.empty())
      return UsageError(global, *app_,
                        "import needs ADDRESS and ID, or --from-terraform SOURCE");
    std::unique_ptr<Engine> engine = OpenEngine(global, flags_, nullptr);
    if (!engine) return kExitError;
    Diagnostics diags = engine->Import(address_, id_);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    fmt::print("{}\n", Styled(UseColor(global), Style::kSuccess,
                              fmt::format("Import successful: {} is now managed.", address_)));
    return kExitOk;
  }

 private:
  int RunFromTerraform(const GlobalOptions& global) {
    bool color = UseColor(global);
    if (!address_.empty())
      return UsageError(global, *app_,
                        "--from-terraform takes no ADDRESS or ID: every resource of the Terraform "
                        "state is imported at its own address");
    if (!config_file_.empty() && std::filesystem::exists(config_file_)) {
      PrintError(global, fmt::format("--generate-config: {} already exists", config_file_),
                 "Give a new file; an existing one is never overwritten.");
      return kExitError;
    }
    ProgressPrinter progress(color, true);
    std::unique_ptr<Engine> engine = OpenEngine(global, flags_, &progress);
    if (!engine) return kExitError;
    TerraformImportOptions options;
    options.source = source_;
    options.lock_table = lock_table_;
    options.lockfile = lockfile_;
    options.draft_config = !config_file_.empty();
    bool cancelled = false;
    options.confirm = [&](const TerraformImport& result) {
      PrintImport(result, color);
      if (auto_approve_) return true;
      if (AskYes(fmt::format("Do you want to import these objects into workspace \"{}\"?",
                             engine->workspace()),
                 "reconcile will manage them from now on; Terraform's state is left as it is."))
        return true;
      cancelled = true;
      return false;
    };
    TerraformImport result;
    Diagnostics diags = engine->ImportTerraformState(options, &result);
    PrintDiagnostics(global, diags);
    if (cancelled) {
      PrintError(global, "Import cancelled", "Nothing was written.");
      return kExitError;
    }
    if (diags.HasErrors() || !result.written) return kExitError;
    fmt::print("\n{}\n",
               Styled(color, Style::kSuccess,
                      fmt::format("Import successful: {} resource instance(s) and {} output(s) "
                                  "are now managed in workspace \"{}\".",
                                  result.imported.size(), result.outputs.size(),
                                  engine->workspace())));
    if (!config_file_.empty()) {
      std::ofstream out(config_file_);
      out << result.config_draft;
      if (!out) {
        PrintError(global, fmt::format("Cannot write {}", config_file_),
                   "The import itself succeeded; check the path.");
        return kExitError;
      }
      fmt::print(
          "Wrote a configuration draft of them to {}; `reconcile plan` on it should show no "
          "changes.\n",
          config_file_);
    }
    return kExitOk;
  }

  CLI::App* app_ = nullptr;
  StackFlags flags_;
  std::string address_;
  std::string id_;
  std::string source_;
  std::string config_file_;
  std::string lock_table_;
  bool lockfile_ = false;
  bool auto_approve_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeImportCommand() { return std::make_unique<ImportCommand>(); }

}  // namespace reconcile::tool
