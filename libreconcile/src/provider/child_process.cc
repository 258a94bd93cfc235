#include "provider/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <cstring>
#include <thread>

extern char** environ;

namespace reconcile::plugin {

namespace {

struct Pipe {
  int read_end = -1;
  int write_end = -1;
};

void CloseFd(int* fd) {
  if (*fd >= 0) ::close(*fd);
  *fd = -1;
}

bool MakePipe(Pipe* p) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  p->read_end = fds[0];
  p->write_end = fds[1];
  return true;
}

// The current environment with `extra` entries added, replacing same names.
std::vector<std::string> MergedEnvironment(const std::vector<std::string>& extra) {
  std::vector<std::string> merged;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    std::string name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const std::string& x : extra) replaced = replaced || x.substr(0, x.find('=')) == name;
    if (!replaced) merged.push_back(std::move(entry));
  }
  merged.insert(merged.end(), extra.begin(), extra.end());
  return merged;
}

std::vector<char*> PointerArray(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Resets what a child should not inherit from the host: blocked signals, an
// ignored SIGPIPE/SIGINT, and the host's process group.
void PrepareAttributes(posix_spawnattr_t* attr) {
  posix_spawnattr_init(attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(attr, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&defaults, s);
  posix_spawnattr_setsigdefault(attr, &defaults);
  posix_spawnattr_setpgroup(attr, 0);
  posix_spawnattr_setflags(attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
}

}  // namespace

std::unique_ptr<ChildProcess> ChildProcess::Spawn(const std::string& path,
                                                  const std::vector<std::string>& arguments,
                                                  const std::vector<std::string>& extra_environment,
                                                  const std::string& working_directory,
                                                  std::string* error) {
  Pipe in, out, err;
  if (!MakePipe(&in) || !MakePipe(&out) || !MakePipe(&err)) {
    *error = std::string("cannot create pipes: ") + std::strerror(errno);
    for (Pipe* p : {&in, &out, &err}) CloseFd(&p->read_end), CloseFd(&p->write_end);
    return nullptr;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read_end, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write_end, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write_end, STDERR_FILENO);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  // Descriptors the host opened without close-on-exec (a state lock file, a
  // socket) must not live on in the plugin and outlast their owner.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
#endif
  if (!working_directory.empty())
    posix_spawn_file_actions_addchdir_np(&actions, working_directory.c_str());
  posix_spawnattr_t attr;
  PrepareAttributes(&attr);

  std::vector<std::string> argv_strings{path};
  argv_strings.insert(argv_strings.end(), arguments.begin(), arguments.end());
  std::vector<std::string> env_strings = MergedEnvironment(extra_environment);
  std::vector<char*> argv = PointerArray(argv_strings);
  std::vector<char*> envp = PointerArray(env_strings);

  pid_t pid = -1;
  // Absolute, since the child may start in another directory.
  std::string program = std::filesystem::absolute(path).string();
  int rc = posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  CloseFd(&in.read_end);
  CloseFd(&out.write_end);
  CloseFd(&err.write_end);
  if (rc != 0) {
    *error = "cannot start " + path + ": " + std::strerror(rc);
    for (int* fd : {&in.write_end, &out.read_end, &err.read_end}) CloseFd(fd);
    return nullptr;
  }
  std::unique_ptr<ChildProcess> child(new ChildProcess());
  child->pid_ = pid;
  child->stdin_fd_ = in.write_end;
  child->stdout_fd_ = out.read_end;
  child->stderr_fd_ = err.read_end;
  return child;
}

ChildProcess::~ChildProcess() {
  CloseStdin();
  CloseStdout();
  CloseStderr();
  std::lock_guard<std::mutex> lock(mutex_);
  if (!exited_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ReapLocked(true);
  }
}

void ChildProcess::CloseStdin() { CloseFd(&stdin_fd_); }
void ChildProcess::CloseStdout() { CloseFd(&stdout_fd_); }
void ChildProcess::CloseStderr() { CloseFd(&stderr_fd_); }

bool ChildProcess::ReapLocked(bool block) {
  if (exited_) return true;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid_ || (r < 0 && errno == ECHILD)) {
    exited_ = true;
    status_ = r == pid_ ? status : 0;
  }
  return exited_;
}

bool ChildProcess::HasExited() {
  std::lock_guard<std::mutex> lock(mutex_);
  return ReapLocked(false);
}

bool ChildProcess::WaitForExit(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  while (true) {
    if (HasExited()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(25));
  }
}

void ChildProcess::Signal(int signal) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!ReapLocked(false)) ::kill(pid_, signal);
}

std::string ChildProcess::ExitDescription() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!ReapLocked(false)) return "still running";
  if (WIFEXITED(status_)) return "exit status " + std::to_string(WEXITSTATUS(status_));
  if (WIFSIGNALED(status_)) {
    int sig = WTERMSIG(status_);
    const char* name = strsignal(sig);
    return "killed by signal " + std::to_string(sig) + (name ? std::string(" (") + name + ")" : "");
  }
  return "ended with status " + std::to_string(status_);
}

}  // namespace reconcile::plugin
