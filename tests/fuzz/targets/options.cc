// rc_open's options JSON (reconcile/c_api.h): the input is the options
// document, up to its first NUL byte as a C caller would pass it. rc_open
// must always hand back a JSON array of diagnostics, each with its severity
// and summary, and must return an engine exactly when none is an error.
// rc_open only reads: the stack's *.toml files, var_files and
// .reconcile/environment; a relative stack_dir resolves in the directory the
// fuzzer runs in.
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_targets.h"
#include "reconcile/c_api.h"

namespace reconcile::fuzz {

void FuzzEngineOptions(std::string_view input) {
  // The workspace comes from the options, not from the fuzzer's environment.
  static const bool environment_cleared = [] {
    ::unsetenv("RECONCILE_WORKSPACE");
    return true;
  }();
  (void)environment_cleared;

  std::string options(input);
  char* diagnostics = nullptr;
  rc_engine* engine = rc_open(options.c_str(), &diagnostics);
  FUZZ_CHECK(diagnostics != nullptr);
  nlohmann::json parsed = nlohmann::json::parse(diagnostics, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(parsed.is_array());
  bool error = false;
  for (const nlohmann::json& d : parsed) {
    FUZZ_CHECK(d.is_object() && d.contains("severity") && d.contains("summary"));
    error = error || d["severity"] == "error";
  }
  FUZZ_CHECK((engine != nullptr) == !error);
  rc_free(diagnostics);
  rc_close(engine);
}

}  // namespace reconcile::fuzz
