// reconcile import ADDRESS ID: bring an existing object under management.
// reconcile import --from-terraform SOURCE: adopt a Terraform state.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <CLI/CLI.hpp>

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
  std::string out;
  if (!unsupported.empty()) {
    out = "types not supported: ";
    bool first = true;
    for (const std::string& t : unsupported) {
      out += (first ? "" : ", ") + t;
      first = false;
    }
  }
  for (const auto& [what, n] : others)
    out += (out.empty() ? "" : "; ") + what + ": " + std::to_string(n);
  return out;
}

void PrintImport(const TerraformImport& result, bool color) {
  std::printf("Terraform state %s", result.location.c_str());
  if (!result.terraform_version.empty())
    std::printf(" (written by Terraform %s)", result.terraform_version.c_str());
  std::printf("\n");
  for (const std::string& lock : result.locks)
    std::printf("Holding Terraform's lock: %s\n", lock.c_str());
  std::printf("\n");
  for (const TerraformImportEntry& e : result.imported)
    std::printf("  %s %s%s\n", Paint(color, "green", "+").c_str(), e.address.c_str(),
                e.id.empty() ? "" : (" (id " + e.id + ")").c_str());
  for (const TerraformImportEntry& e : result.skipped)
    std::printf("  %s %s: skipped, %s\n", Paint(color, "yellow", "!").c_str(), e.address.c_str(),
                e.reason.c_str());
  if (!result.outputs.empty()) {
    std::string names;
    for (const std::string& o : result.outputs) names += (names.empty() ? "" : ", ") + o;
    std::printf("  outputs: %s\n", names.c_str());
  }
  std::string summary = "Will be imported: " + std::to_string(result.imported.size()) +
                        ", skipped: " + std::to_string(result.skipped.size());
  std::string why = SkippedSummary(result.skipped);
  if (!why.empty()) summary += " (" + why + ")";
  std::printf("\n%s.\n", Paint(color, "bold", summary).c_str());
}

class ImportCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("ADDRESS", address_, "Where the object goes, e.g. aws_vpc.main");
    app.add_option("ID", id_, "The object's id, e.g. vpc-0123");
    app.add_option("--from-terraform", source_,
                   "Adopt a Terraform state: a state file or s3://BUCKET/KEY (Terraform's backend "
                   "bucket and key)");
    app.add_option("--generate-config", config_file_,
                   "With --from-terraform: write a TOML draft of what is imported");
    app.add_option("--lock-table", lock_table_,
                   "With an s3:// source: Terraform's DynamoDB lock table (default: the stack "
                   "backend's lock_table)");
    app.add_flag("--lockfile", lockfile_,
                 "With an s3:// source: take Terraform's S3 lockfile KEY.tflock");
    app.add_flag("--auto-approve", auto_approve_, "With --from-terraform: import without asking");
    AddStackFlags(app, flags_, /*locking=*/true);
  }

  int Run(const GlobalOptions& global) override {
    if (!source_.empty()) return RunFromTerraform(global);
    if (address_.empty() || id_.empty()) {
      PrintError(global, "import needs ADDRESS and ID, or --from-terraform SOURCE",
                 "For example `reconcile import aws_vpc.main vpc-0123`, or `reconcile import "
                 "--from-terraform "
                 "s3://bucket/terraform.tfstate`.");
      return kExitError;
    }
    std::unique_ptr<Engine> engine = OpenEngine(global, flags_, nullptr);
    if (!engine) return kExitError;
    Diagnostics diags = engine->Import(address_, id_);
    PrintDiagnostics(global, diags);
    if (diags.HasErrors()) return kExitError;
    std::printf("%s\n", Paint(UseColor(global), "green",
                              "Import successful: " + address_ + " is now managed.")
                            .c_str());
    return kExitOk;
  }

 private:
  int RunFromTerraform(const GlobalOptions& global) {
    bool color = UseColor(global);
    if (!address_.empty()) {
      PrintError(global, "--from-terraform takes no ADDRESS or ID",
                 "Every resource of the Terraform state is imported at its own address.");
      return kExitError;
    }
    if (!config_file_.empty() && std::filesystem::exists(config_file_)) {
      PrintError(global, "--generate-config: " + config_file_ + " already exists",
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
      if (AskYes(
              "Do you want to import these objects into workspace \"" + engine->workspace() + "\"?",
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
    std::printf(
        "\n%s\n",
        Paint(color, "green",
              "Import successful: " + std::to_string(result.imported.size()) +
                  " resource instance(s) and " + std::to_string(result.outputs.size()) +
                  " output(s) are now managed in workspace \"" + engine->workspace() + "\".")
            .c_str());
    if (!config_file_.empty()) {
      std::ofstream out(config_file_);
      out << result.config_draft;
      if (!out) {
        PrintError(global, "Cannot write " + config_file_,
                   "The import itself succeeded; check the path.");
        return kExitError;
      }
      std::printf(
          "Wrote a configuration draft of them to %s; `reconcile plan` on it should show no "
          "changes.\n",
          config_file_.c_str());
    }
    return kExitOk;
  }

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
