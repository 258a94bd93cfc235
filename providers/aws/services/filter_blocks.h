// The `filter` blocks of the EC2 data sources (aws_ami,
// aws_availability_zones): { name, values } pairs sent as EC2 filters.
#pragma once

#include <vector>

#include "aws/query.h"
#include "reconcile/provider.h"

namespace reconcile::aws_provider {

// The `filter` attribute: a set of { name, values } blocks.
Attribute FilterBlocksAttribute();

// The configured filter blocks as EC2 filters.
std::vector<aws::Ec2Filter> FiltersOf(const Value& config);

}  // namespace reconcile::aws_provider
