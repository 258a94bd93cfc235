// aws_vpc_security_group_ingress_rule and _egress_rule: one security group
// rule each (one source: an IPv4 or IPv6 CIDR, a prefix list or a group),
// with its own id (sgr-...) and tags, changed in place by
// ModifySecurityGroupRules. The two types differ only in direction.
#pragma once

#include "resource_type.h"

namespace reconcile::aws_provider {

ResourceType VpcSecurityGroupRuleType(bool egress);

}  // namespace reconcile::aws_provider
