#include "generated_name.h"

#include "reconcile/provider_kit.h"

namespace reconcile::aws_provider {

std::string NameForCreate(const ResourceContext& ctx, const Value& planned) {
  if (auto name = FindString(planned, "name")) return *name;
  return FindString(planned, "name_prefix").value_or("reconcile-") + ctx.ClientToken(26);
}

}  // namespace reconcile::aws_provider
