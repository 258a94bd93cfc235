#include "graph/parallel_walk.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace reconcile::graph {

namespace {

using Vertex = DependencyGraph::Vertex;

// The walk's shared bookkeeping; every field is guarded by `mutex`.
class Walk {
 public:
  Walk(const DependencyGraph& graph, const WalkOptions& options,
       const std::function<bool(Vertex)>& visit)
      : graph_(graph), options_(options), visit_(visit), outcome_(graph.size(), VisitOutcome::kNotRun),
        waiting_on_(graph.size(), 0), dependents_(graph.size()) {
    for (Vertex v = 0; v < graph.size(); ++v) {
      std::vector<Vertex> deps = graph.Dependencies(v);
      waiting_on_[v] = deps.size();
      for (Vertex d : deps) dependents_[d].push_back(v);
      if (deps.empty()) ready_.push_back(v);
    }
    remaining_ = graph.size();
  }

  std::vector<VisitOutcome> Run() {
    int workers = std::max(1, std::min<int>(options_.parallelism, static_cast<int>(graph_.size())));
    if (graph_.size() == 0) return {};
    std::vector<std::thread> threads;
    threads.reserve(workers);
    for (int i = 0; i < workers; ++i) threads.emplace_back([this] { Work(); });
    for (std::thread& t : threads) t.join();
    return std::move(outcome_);
  }

 private:
  void Work() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      cv_.wait(lock, [this] { return !ready_.empty() || Finished(); });
      if (ready_.empty()) return;
      Vertex v = ready_.front();
      ready_.pop_front();
      ++in_flight_;
      lock.unlock();
      bool ok = visit_(v);
      lock.lock();
      --in_flight_;
      Complete(v, ok ? VisitOutcome::kSucceeded : VisitOutcome::kFailed);
      cv_.notify_all();
    }
  }

  bool Finished() const { return remaining_ == 0 || (stopped_ && in_flight_ == 0); }

  void Complete(Vertex v, VisitOutcome outcome) {
    outcome_[v] = outcome;
    --remaining_;
    if (outcome == VisitOutcome::kFailed && options_.stop_on_failure) {
      stopped_ = true;
      ready_.clear();
    }
    for (Vertex d : dependents_[v]) {
      if (outcome != VisitOutcome::kSucceeded) {
        Skip(d);
      } else if (--waiting_on_[d] == 0 && outcome_[d] == VisitOutcome::kNotRun && !stopped_) {
        ready_.push_back(d);
      }
    }
  }

  // Marks d and everything depending on it as skipped.
  void Skip(Vertex d) {
    std::vector<Vertex> stack{d};
    while (!stack.empty()) {
      Vertex v = stack.back();
      stack.pop_back();
      if (outcome_[v] != VisitOutcome::kNotRun) continue;
      outcome_[v] = VisitOutcome::kSkipped;
      --remaining_;
      for (Vertex next : dependents_[v]) stack.push_back(next);
    }
  }

  const DependencyGraph& graph_;
  const WalkOptions& options_;
  const std::function<bool(Vertex)>& visit_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<VisitOutcome> outcome_;
  std::vector<std::size_t> waiting_on_;
  std::vector<std::vector<Vertex>> dependents_;
  std::deque<Vertex> ready_;
  std::size_t remaining_ = 0;
  int in_flight_ = 0;
  bool stopped_ = false;
};

}  // namespace

std::vector<VisitOutcome> ParallelWalk(const DependencyGraph& graph, const WalkOptions& options,
                                       const std::function<bool(DependencyGraph::Vertex)>& visit) {
  Walk walk(graph, options, visit);
  return walk.Run();
}

}  // namespace reconcile::graph
