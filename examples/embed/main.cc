// embed STACK_DIR: plans the stack, prints a summary, applies it, prints the
// outputs; all through the public API. Built with EMBED_IN_PROCESS_PROVIDERS
// it runs the providers in this process, else the installed plugins.
#include <cstdio>

#include "reconcile/engine.h"
#ifdef EMBED_IN_PROCESS_PROVIDERS
#include "reconcile/providers/aws.h"
#include "reconcile/providers/local.h"
#include "reconcile/providers/random.h"
#endif

namespace {

// Prints each finished apply operation as it happens.
class PrintingObserver : public reconcile::Observer {
 public:
  void OnResourceEvent(const reconcile::ResourceEvent& e) override {
    if (e.phase == reconcile::Phase::kApply && e.status != reconcile::EventStatus::kStarted)
      std::printf("%s %s: %s\n", std::string(reconcile::ActionName(e.action)).c_str(),
                  e.address.c_str(), e.status == reconcile::EventStatus::kFinished ? "done" : "failed");
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: embed STACK_DIR\n");
    return 2;
  }
  PrintingObserver observer;
  reconcile::EngineOptions options;
  options.stack_dir = argv[1];
  options.plugin_dirs = {RECONCILE_PLUGIN_DIR};
#ifdef EMBED_IN_PROCESS_PROVIDERS
  options.providers = {{"aws", reconcile::MakeAwsProvider},
                       {"random", reconcile::MakeRandomProvider},
                       {"local", reconcile::MakeLocalProvider}};
  options.use_plugins = false;
  std::printf("providers: in-process\n");
#else
  std::printf("providers: plugins\n");
#endif
  options.observer = &observer;
  reconcile::Diagnostics diags;
  std::unique_ptr<reconcile::Engine> engine = reconcile::Engine::Open(options, &diags);
  if (!engine) {
    std::fprintf(stderr, "%s\n", diags.ToString().c_str());
    return 1;
  }
  reconcile::Plan plan;
  diags = engine->MakePlan({}, &plan);
  if (diags.HasErrors()) {
    std::fprintf(stderr, "%s\n", diags.ToString().c_str());
    return 1;
  }
  reconcile::PlanSummary s = plan.Summary();
  std::printf("plan: %d to add, %d to change, %d to destroy\n", s.add, s.change, s.destroy);
  reconcile::ApplySummary applied;
  diags = engine->Apply(plan, {}, &applied);
  if (diags.HasErrors()) {
    std::fprintf(stderr, "%s\n", diags.ToString().c_str());
    return 1;
  }
  std::printf("applied: %d added, %d changed, %d destroyed\n", applied.added, applied.changed,
              applied.destroyed);
  std::map<std::string, reconcile::OutputValue> outputs;
  engine->Outputs(&outputs);
  for (const auto& [name, o] : outputs)
    std::printf("output %s = %s\n", name.c_str(), o.sensitive ? "(sensitive)" : reconcile::ToJson(o.value).c_str());
  return 0;
}
