// reconcile-provider-aws: the AWS provider as a plugin.
#include "aws_provider.h"
#include "reconcile/plugin.h"

int main() { return reconcile::ServeProvider(reconcile::MakeAwsProvider()); }
