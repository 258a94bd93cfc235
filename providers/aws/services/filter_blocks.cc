#include "filter_blocks.h"

#include "reconcile/provider_kit.h"

namespace reconcile::aws_provider {

Attribute FilterBlocksAttribute() {
  return Attribute::Optional("filter", AttributeType::kSet)
      .Block({
          Attribute::Required("name", AttributeType::kString),
          Attribute::Required("values", AttributeType::kSet).Of(AttributeType::kString),
      })
      .Describe("EC2 filters: { name = \"...\", values = [...] }");
}

std::vector<aws::Ec2Filter> FiltersOf(const Value& config) {
  std::vector<aws::Ec2Filter> filters;
  for (const Value& block : GetBlocks(config, "filter"))
    filters.push_back({GetString(block, "name"), GetStrings(block, "values")});
  return filters;
}

}  // namespace reconcile::aws_provider
