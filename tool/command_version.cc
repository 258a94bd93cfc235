// reconcile version
#include <cstdio>

#include <CLI/CLI.hpp>

#include "command.h"

#include "reconcile/engine.h"
#include "reconcile/plugin.h"

namespace reconcile::tool {

namespace {

class VersionCommand : public Command {
 public:
  void Setup(CLI::App&) override {}
  int Run(const GlobalOptions&) override {
    std::printf("reconcile %s (plugin protocol %s)\n", Version(), kPluginProtocolVersion);
    return kExitOk;
  }
};

}  // namespace

std::unique_ptr<Command> MakeVersionCommand() { return std::make_unique<VersionCommand>(); }

}  // namespace reconcile::tool
