#include "provider/worker_pool.h"

namespace reconcile::plugin {

WorkerPool::~WorkerPool() {
  Drain();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quitting_ = true;
  }
  task_ready_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::Submit(std::function<void()> task) {
  std::lock_guard<std::mutex> lock(mutex_);
  queue_.push_back(std::move(task));
  if (queue_.size() > idle_ && threads_.size() < max_workers_) {
    threads_.emplace_back([this] { Work(); });
  } else {
    task_ready_.notify_one();
  }
}

bool WorkerPool::Saturated() {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size() >= idle_ && threads_.size() >= max_workers_;
}

void WorkerPool::Drain() {
  std::unique_lock<std::mutex> lock(mutex_);
  all_done_.wait(lock, [this] { return queue_.empty() && running_ == 0; });
}

void WorkerPool::Work() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    ++idle_;
    task_ready_.wait(lock, [this] { return quitting_ || !queue_.empty(); });
    --idle_;
    if (queue_.empty()) return;  // quitting
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    task();
    lock.lock();
    --running_;
    if (queue_.empty() && running_ == 0) all_done_.notify_all();
  }
}

}  // namespace reconcile::plugin
