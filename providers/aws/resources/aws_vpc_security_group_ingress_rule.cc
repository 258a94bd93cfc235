// aws_vpc_security_group_ingress_rule: one ingress rule of a VPC security group
// (services/vpc_security_group_rule.h). Import takes the rule id (sgr-...).
#include "resource_type.h"
#include "services/vpc_security_group_rule.h"

namespace reconcile::aws_provider::resources {

ResourceType aws_vpc_security_group_ingress_rule() { return VpcSecurityGroupRuleType(false); }

}  // namespace reconcile::aws_provider::resources
