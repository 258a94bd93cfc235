// MakeBackend: from a stack's [backend.*] block to a Backend.
//
// To add a backend type, add one row to the table in BackendTypes() (and its
// area to this area's LIBS). The table is explicit on purpose: a registration
// done by a static initializer in a static library is dropped by the linker
// when nothing else refers to its object file.
#include "state/factory/backend_factory.h"

#include "backends/s3/s3_backend.h"
#include "state/local_backend.h"

namespace reconcile {

const std::vector<BackendType>& BackendTypes() {
  static const std::vector<BackendType> types = {
      {"local", &MakeLocalBackendFromConfig},
      {"s3", &MakeS3BackendFromConfig},
  };
  return types;
}

std::unique_ptr<Backend> MakeBackend(const BackendConfig& config, Diagnostics* diags) {
  std::string type = config.type.empty() ? "local" : config.type;
  std::string known;
  for (const BackendType& candidate : BackendTypes()) {
    if (type == candidate.name) return candidate.make(config, diags);
    known += known.empty() ? "" : ", ";
    known += candidate.name;
  }
  diags->Error("unknown backend type \"" + type + "\"", "expected [backend.<type>] with one of: " + known);
  return nullptr;
}

}  // namespace reconcile
