#include "provider/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
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

// A close-on-exec pipe whose ends are above the standard descriptors, so the
// child's dup2 onto 0, 1 and 2 never overwrites one of them.
bool MakePipe(Pipe* p) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  for (int i = 0; i < 2; ++i) {
    if (fds[i] > STDERR_FILENO) continue;
    int moved = ::fcntl(fds[i], F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    ::close(fds[i]);
    fds[i] = moved;
  }
  p->read_end = fds[0];
  p->write_end = fds[1];
  if (fds[0] >= 0 && fds[1] >= 0) return true;
  CloseFd(&p->read_end);
  CloseFd(&p->write_end);
  return false;
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

// Everything the child needs, prepared before fork: between fork and exec
// only async-signal-safe calls are made.
struct ExecPlan {
  const char* program = nullptr;
  char** argv = nullptr;
  char** envp = nullptr;
  const char* working_directory = nullptr;  // null: stay
  int stdin_fd = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
  int report_fd = -1;  // gets errno when exec fails; closes on success
  pid_t parent = 0;
  int max_fd = 1024;   // descriptors to close when close_range is missing
};

[[noreturn]] void ChildFail(const ExecPlan& plan, int error) {
  ssize_t ignored = ::write(plan.report_fd, &error, sizeof error);
  (void)ignored;
  ::_exit(127);
}

// Runs in the child. Resets what a child should not inherit from the host
// (blocked signals, ignored SIGPIPE/SIGINT, the host's process group and
// descriptors) and ties its life to the host's.
[[noreturn]] void ExecChild(const ExecPlan& plan) {
#ifdef __linux__
  // Killed when the thread that forked it (the long-lived spawner thread)
  // ends, which is when the host process ends. If the host already died
  // before this line, the child was re-parented: give up.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) ChildFail(plan, errno);
#endif
  if (::getppid() != plan.parent) ::_exit(127);
  ::setpgid(0, 0);
  // Dispositions first: every signal is still blocked (the spawner thread's mask).
  for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::signal(s, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (::dup2(plan.stdin_fd, STDIN_FILENO) < 0 || ::dup2(plan.stdout_fd, STDOUT_FILENO) < 0 ||
      ::dup2(plan.stderr_fd, STDERR_FILENO) < 0)
    ChildFail(plan, errno);
  // Descriptors the host opened without close-on-exec (a state lock file, a
  // socket) must not live on in the plugin and outlast their owner.
  int keep = plan.report_fd;
  bool closed = false;
#ifdef SYS_close_range
  closed = (keep == STDERR_FILENO + 1 ||
            ::syscall(SYS_close_range, STDERR_FILENO + 1, keep - 1, 0) == 0) &&
           ::syscall(SYS_close_range, keep + 1, ~0U, 0) == 0;
#endif
  for (int fd = STDERR_FILENO + 1; !closed && fd < plan.max_fd; ++fd)
    if (fd != keep) ::close(fd);
  if (plan.working_directory != nullptr && ::chdir(plan.working_directory) != 0)
    ChildFail(plan, errno);
  ::execve(plan.program, plan.argv, plan.envp);
  ChildFail(plan, errno);
}

// One thread, alive for the whole process, that forks every child: a
// parent-death signal fires when the forking *thread* ends, and the threads
// that start plugins (an engine walk's workers) end long before the host.
class Spawner {
 public:
  // The spawner of this process (a forked copy gets its own).
  static Spawner& Get() {
    static std::mutex mutex;
    static Spawner* spawner = nullptr;
    std::lock_guard<std::mutex> lock(mutex);
    if (spawner == nullptr || spawner->pid_ != ::getpid()) spawner = new Spawner();  // never freed
    return *spawner;
  }

  // Runs `job` on the spawner thread and waits for it.
  void Run(const std::function<void()>& job) {
    std::unique_lock<std::mutex> lock(mutex_);
    std::uint64_t ticket = ++submitted_;
    jobs_.push_back(&job);
    wake_.notify_all();
    done_.wait(lock, [&] { return finished_ >= ticket; });
  }

 private:
  Spawner() : pid_(::getpid()) {
    std::thread([this] { Loop(); }).detach();
  }

  void Loop() {
    sigset_t all;
    sigfillset(&all);
    ::pthread_sigmask(SIG_BLOCK, &all, nullptr);  // signal handlers run elsewhere
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      wake_.wait(lock, [&] { return !jobs_.empty(); });
      const std::function<void()>* job = jobs_.front();
      jobs_.pop_front();
      lock.unlock();
      (*job)();
      lock.lock();
      ++finished_;
      done_.notify_all();
    }
  }

  pid_t pid_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::deque<const std::function<void()>*> jobs_;
  std::uint64_t submitted_ = 0;
  std::uint64_t finished_ = 0;
};

// Forks and execs `plan`; the child's pid, or -1 with *error (an errno).
pid_t ForkExec(ExecPlan plan, int* error) {
  Pipe report;
  if (!MakePipe(&report)) {
    *error = errno;
    return -1;
  }
  plan.report_fd = report.write_end;
  plan.parent = ::getpid();
  long open_max = ::sysconf(_SC_OPEN_MAX);
  if (open_max > 0) plan.max_fd = static_cast<int>(std::min(open_max, 65536L));
  pid_t pid = ::fork();
  if (pid == 0) ExecChild(plan);
  *error = pid < 0 ? errno : 0;
  CloseFd(&report.write_end);
  if (pid > 0) {
    int child_error = 0;
    ssize_t n;
    do {
      n = ::read(report.read_end, &child_error, sizeof child_error);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof child_error)) {
      *error = child_error;
      while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
      pid = -1;
    }
  }
  CloseFd(&report.read_end);
  return pid;
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
  std::vector<std::string> argv_strings{path};
  argv_strings.insert(argv_strings.end(), arguments.begin(), arguments.end());
  std::vector<std::string> env_strings = MergedEnvironment(extra_environment);
  std::vector<char*> argv = PointerArray(argv_strings);
  std::vector<char*> envp = PointerArray(env_strings);
  // Absolute, since the child may start in another directory.
  std::string program = std::filesystem::absolute(path).string();

  ExecPlan plan;
  plan.program = program.c_str();
  plan.argv = argv.data();
  plan.envp = envp.data();
  plan.working_directory = working_directory.empty() ? nullptr : working_directory.c_str();
  plan.stdin_fd = in.read_end;
  plan.stdout_fd = out.write_end;
  plan.stderr_fd = err.write_end;
  pid_t pid = -1;
  int spawn_error = 0;
  Spawner::Get().Run([&] { pid = ForkExec(plan, &spawn_error); });
  CloseFd(&in.read_end);
  CloseFd(&out.write_end);
  CloseFd(&err.write_end);
  if (pid < 0) {
    *error = "cannot start " + path + ": " + std::strerror(spawn_error);
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
