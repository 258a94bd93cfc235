#include "shell_command.h"

#include <sys/wait.h>

#include <cstdio>

namespace reconcile::testing {

int RunShell(const std::string& command, std::string* output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::string collected;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) collected.append(buffer, n);
  int status = pclose(pipe);
  if (output != nullptr) *output = collected;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int AwsStatus(const std::string& args, std::string* output) {
  return RunShell("aws " + args + " --output json", output);
}

}  // namespace reconcile::testing
