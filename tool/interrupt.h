// Graceful interrupts for the `reconcile` tool. SIGINT and SIGTERM become
// Engine::Cancel() calls: the first finishes the provider calls in flight and
// starts no more, the second abandons them; either way the state is saved and
// the lock released before the tool exits 130 (SIGINT) or 143 (SIGTERM).
// SIGPIPE never kills a run (`reconcile apply | head`). The signal handler
// only writes the signal's number to a pipe; a watcher thread does the rest.
#pragma once

namespace reconcile {
class Engine;
}

namespace reconcile::tool {

// Installs the handlers and starts the watcher thread; once, first in main.
void InstallInterruptHandling();

// While one lives, an interrupt cancels its engine. With none, an interrupt
// ends the process as the signal would by default (nothing is locked then).
class CancelOnInterrupt {
 public:
  explicit CancelOnInterrupt(Engine& engine);
  ~CancelOnInterrupt();
  CancelOnInterrupt(const CancelOnInterrupt&) = delete;
  CancelOnInterrupt& operator=(const CancelOnInterrupt&) = delete;
};

// 128 + the number of the first interrupting signal (130 for SIGINT, 143 for
// SIGTERM), or 0 when none arrived.
int InterruptExitCode();

}  // namespace reconcile::tool
