#include "interrupt.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <mutex>
#include <thread>

#include "reconcile/engine.h"

namespace reconcile::tool {

namespace {

int signal_pipe[2] = {-1, -1};
std::atomic<int> first_signal{0};

std::mutex engine_mutex;       // guards `engine` and is held while cancelling it
Engine* engine = nullptr;
int signals_seen = 0;

// Async-signal-safe: one write to a non-blocking pipe.
void OnSignal(int signal_number) {
  int saved = errno;
  auto byte = static_cast<unsigned char>(signal_number);
  ssize_t ignored = ::write(signal_pipe[1], &byte, 1);
  (void)ignored;
  errno = saved;
}

// With no engine to cancel, the signal does what it does by default.
[[noreturn]] void DieBy(int signal_number) {
  std::fflush(stdout);
  ::signal(signal_number, SIG_DFL);
  ::kill(::getpid(), signal_number);
  // The kill is delivered to a thread that does not block it; wait for it.
  while (true) ::pause();
}

void Handle(int signal_number) {
  std::lock_guard<std::mutex> lock(engine_mutex);
  int expected = 0;
  first_signal.compare_exchange_strong(expected, signal_number);
  if (engine == nullptr) DieBy(signal_number);
  ++signals_seen;
  if (signals_seen <= 2) {
    engine->Cancel();
  } else if (signals_seen == 3) {
    std::fprintf(stderr,
                 "\nStill saving the state and releasing the lock. (kill -9 stops at once but "
                 "leaves the lock held.)\n");
  }
}

void Watch() {
  sigset_t all;
  sigfillset(&all);
  ::pthread_sigmask(SIG_BLOCK, &all, nullptr);
  while (true) {
    unsigned char byte = 0;
    ssize_t n = ::read(signal_pipe[0], &byte, 1);
    if (n == 1) Handle(byte);
    else if (n < 0 && errno != EINTR) return;
  }
}

}  // namespace

void InstallInterruptHandling() {
  ::signal(SIGPIPE, SIG_IGN);  // a closed stdout gives EPIPE, never a dead apply
  if (::pipe2(signal_pipe, O_CLOEXEC) != 0) return;
  ::fcntl(signal_pipe[1], F_SETFL, O_NONBLOCK);
  std::thread(Watch).detach();
  struct sigaction action{};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  // No SA_RESTART: a read blocked on the confirmation prompt returns, so an
  // interrupt there ends the prompt.
  action.sa_flags = 0;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

CancelOnInterrupt::CancelOnInterrupt(Engine& e) {
  std::lock_guard<std::mutex> lock(engine_mutex);
  engine = &e;
  signals_seen = 0;
}

CancelOnInterrupt::~CancelOnInterrupt() {
  std::lock_guard<std::mutex> lock(engine_mutex);
  engine = nullptr;
}

int InterruptExitCode() {
  int signal_number = first_signal.load();
  return signal_number == 0 ? 0 : 128 + signal_number;
}

}  // namespace reconcile::tool
