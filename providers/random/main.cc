// reconcile-provider-random: the random provider as a plugin.
#include "random_provider.h"
#include "reconcile/plugin.h"

int main() { return reconcile::ServeProvider(reconcile::MakeRandomProvider()); }
