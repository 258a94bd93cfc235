#include "command.h"

namespace reconcile::tool {

const std::vector<CommandInfo>& Commands() {
  static const std::vector<CommandInfo> commands = {
      {"init", "Prepare the stack: check the backend (--bootstrap creates it), find providers",
       &MakeInitCommand},
      {"validate", "Check the configuration without touching any state", &MakeValidateCommand},
      {"plan", "Show what apply would change", &MakePlanCommand},
      {"apply", "Make the infrastructure match the configuration (or a saved plan)",
       &MakeApplyCommand},
      {"destroy", "Destroy everything the workspace manages", &MakeDestroyCommand},
      {"deploy", "Set release values, apply, and wait for the rollouts to finish", &MakeDeployCommand},
      {"history", "List the workspace's applies, newest first, with their release values",
       &MakeHistoryCommand},
      {"rollback", "Deploy the release values of an earlier apply", &MakeRollbackCommand},
      {"refresh", "Read every managed resource and record what is there", &MakeRefreshCommand},
      {"show", "Show the state, or a saved plan", &MakeShowCommand},
      {"output", "Show output values", &MakeOutputCommand},
      {"state", "Inspect and edit the state", &MakeStateCommand},
      {"workspace", "Manage workspaces (one state per environment)", &MakeWorkspaceCommand},
      {"force-unlock", "Release a state lock left behind by a dead process",
       &MakeForceUnlockCommand},
      {"graph", "Print the resource dependency graph (DOT), or draw it (SVG, PNG)", &MakeGraphCommand},
      {"import", "Bring an existing object under management", &MakeImportCommand},
      {"taint", "Mark an instance for replacement by the next apply", &MakeTaintCommand},
      {"untaint", "Take back the tainted mark of an instance", &MakeUntaintCommand},
      {"console", "Evaluate expressions against the configuration and the state",
       &MakeConsoleCommand},
      {"fmt", "Rewrite the stack's files in the canonical layout", &MakeFmtCommand},
      {"version", "Print the version and the provider plugins found", &MakeVersionCommand},
      {"help", "Show a command's help (or the whole reference)", &MakeHelpCommand},
      {"completion", "Print a shell completion script (bash, zsh, fish)", &MakeCompletionCommand},
  };
  return commands;
}

}  // namespace reconcile::tool
