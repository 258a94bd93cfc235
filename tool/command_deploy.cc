// reconcile deploy [NAME=VALUE ...]: set release values, apply, and wait for
// the rollouts the apply starts (docs/deploy.md).
#include <CLI/CLI.hpp>

#include "deploy_flow.h"

namespace reconcile::tool {

namespace {

class DeployCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("RELEASE", flow_.assignments,
                   "Release values to deploy, NAME=VALUE (variables declared `release = true`)")
        ->type_name("NAME=VALUE");
    app.add_option("--tag", flow_.tag,
                   "Deploy TAG to the workspace of the stack's first [deploy] channel matching it")
        ->type_name("TAG");
    AddDeployFlags(app, flow_);
    SetExamples(app, {
                         {"reconcile deploy image_tag=2024-05-08",
                          "Plan with the new tag, ask, apply, and wait for the ECS services to roll out"},
                         {"reconcile deploy --workspace prod --auto-approve image_tag=v42 --timeout 15m",
                          "In CI: deploy to prod without asking; exit 1 if a rollout fails or takes longer"},
                         {"reconcile deploy --tag release-42",
                          "Route the tag by the stack's [deploy] channels (\"release-*\" = \"prod\")"},
                     });
  }

  int Run(const GlobalOptions& global) override { return RunDeployFlow(global, flow_); }

 private:
  DeployFlow flow_;
};

}  // namespace

std::unique_ptr<Command> MakeDeployCommand() { return std::make_unique<DeployCommand>(); }

}  // namespace reconcile::tool
