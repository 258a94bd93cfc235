// A child process with its stdin, stdout and stderr connected to pipes, for
// plugin hosts. Reaping is thread-safe; the destructor kills and reaps a
// child still running, so no zombie outlives the object. On Linux the child
// is killed when the host process dies (even by kill -9), so a plugin never
// works on after the tool that started it is gone.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace reconcile::plugin {

class ChildProcess {
 public:
  // Starts `path` with `arguments` and the current environment plus
  // `extra_environment` ("NAME=value"), in its own process group (a terminal's
  // Ctrl-C reaches the host only; the host stops its plugins), with default
  // signal dispositions and no blocked signals. Safe from any thread, also one
  // that ends soon after. Returns null with *error on failure.
  static std::unique_ptr<ChildProcess> Spawn(const std::string& path,
                                             const std::vector<std::string>& arguments,
                                             const std::vector<std::string>& extra_environment,
                                             const std::string& working_directory,
                                             std::string* error);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  int pid() const { return pid_; }
  // Our ends of the pipes (close-on-exec); -1 once closed.
  int stdin_fd() const { return stdin_fd_; }
  int stdout_fd() const { return stdout_fd_; }
  int stderr_fd() const { return stderr_fd_; }
  void CloseStdin();
  void CloseStdout();
  void CloseStderr();

  // Waits up to `timeout` for the child to exit; true once it has.
  bool WaitForExit(std::chrono::milliseconds timeout);
  bool HasExited();
  // Sends `signal` unless the child was already reaped.
  void Signal(int signal);
  // "exit status 3", "killed by signal 9 (Killed)", or "still running".
  std::string ExitDescription();

 private:
  ChildProcess() = default;
  bool ReapLocked(bool block);

  int pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::mutex mutex_;
  bool exited_ = false;
  int status_ = 0;
};

}  // namespace reconcile::plugin
