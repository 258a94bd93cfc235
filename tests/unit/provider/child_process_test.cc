// The plugin child process: it never outlives the host (a parent-death
// signal), and a child started from a short-lived thread lives on after the
// thread ends (the signal is tied to the spawning thread, so children are
// spawned from one long-lived thread).
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "provider/child_process.h"

namespace reconcile::plugin {
namespace {

// Writes `text` to the child's stdin and reads as many bytes back from its stdout.
std::string RoundTrip(ChildProcess& child, const std::string& text) {
  EXPECT_EQ(::write(child.stdin_fd(), text.data(), text.size()), static_cast<ssize_t>(text.size()));
  std::string got;
  char buffer[256];
  while (got.size() < text.size()) {
    ssize_t n = ::read(child.stdout_fd(), buffer, sizeof buffer);
    if (n <= 0) break;
    got.append(buffer, static_cast<std::size_t>(n));
  }
  return got;
}

TEST(ChildProcessTest, AChildOfAThreadThatEndedLivesOn) {
  // Given `cat` started from a thread that then ends
  std::unique_ptr<ChildProcess> child;
  std::string error;
  std::thread([&] { child = ChildProcess::Spawn("/bin/cat", {}, {}, "", &error); }).join();
  ASSERT_NE(child, nullptr) << error;
  // When it is used afterwards
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // Then it still answers
  EXPECT_EQ(RoundTrip(*child, "still here\n"), "still here\n");
  EXPECT_FALSE(child->HasExited());
}

TEST(ChildProcessTest, TheChildDiesWithItsHost) {
  // Given a host process that starts a child (`sleep 30`) and reports its pid;
  // orphans are re-parented to this test, so it can reap the child
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  int report[2];
  ASSERT_EQ(::pipe(report), 0);
  pid_t host = ::fork();
  ASSERT_GE(host, 0);
  if (host == 0) {
    ::close(report[0]);
    std::string error;
    std::unique_ptr<ChildProcess> child = ChildProcess::Spawn("/bin/sleep", {"30"}, {}, "", &error);
    int pid = child ? child->pid() : -1;
    ssize_t ignored = ::write(report[1], &pid, sizeof pid);
    (void)ignored;
    while (true) ::pause();
  }
  ::close(report[1]);
  int child = -1;
  ASSERT_EQ(::read(report[0], &child, sizeof child), static_cast<ssize_t>(sizeof child));
  ::close(report[0]);
  ASSERT_GT(child, 0);
  // When the host is killed outright
  ::kill(host, SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(host, &status, 0), host);
  // Then the child is killed too, instead of sleeping its 30 s to the end
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited by itself with status " << status;
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
}

TEST(ChildProcessTest, AMissingProgramIsAClearError) {
  std::string error;
  std::unique_ptr<ChildProcess> child =
      ChildProcess::Spawn("/nonexistent/reconcile-provider-x", {}, {}, "", &error);
  EXPECT_EQ(child, nullptr);
  EXPECT_EQ(error, "cannot start /nonexistent/reconcile-provider-x: No such file or directory");
}

TEST(ChildProcessTest, TheChildRunsInTheGivenDirectoryWithDefaultSignals) {
  // Given a host that ignores SIGPIPE and blocks SIGTERM
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &term, nullptr);
  std::string error;
  std::unique_ptr<ChildProcess> child = ChildProcess::Spawn(
      "/bin/sh", {"-c", "pwd; grep -E '^(SigBlk|SigIgn)' /proc/self/status"}, {}, "/tmp", &error);
  ::pthread_sigmask(SIG_UNBLOCK, &term, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
  ASSERT_NE(child, nullptr) << error;
  std::string out;
  char buffer[256];
  ssize_t n;
  while ((n = ::read(child->stdout_fd(), buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<std::size_t>(n));
  // Then it starts in /tmp with nothing blocked and SIGPIPE at its default
  EXPECT_EQ(out, "/tmp\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
  EXPECT_TRUE(child->WaitForExit(std::chrono::seconds(10)));
}

}  // namespace
}  // namespace reconcile::plugin
