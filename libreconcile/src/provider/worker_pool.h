// A pool of threads that grows on demand up to a limit, so a plugin serves as
// many requests at once as the host sends (up to the limit) without keeping
// idle threads it never needed.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace reconcile::plugin {

class WorkerPool {
 public:
  explicit WorkerPool(std::size_t max_workers) : max_workers_(max_workers) {}
  // Finishes every submitted task, then joins the threads.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Submit(std::function<void()> task);
  // True when every worker is busy and no more may start: a task submitted
  // now waits in the queue.
  bool Saturated();
  // Blocks until every submitted task has finished.
  void Drain();

 private:
  void Work();

  std::size_t max_workers_;
  std::mutex mutex_;
  std::condition_variable task_ready_;
  std::condition_variable all_done_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  std::size_t running_ = 0;
  bool quitting_ = false;
};

}  // namespace reconcile::plugin
