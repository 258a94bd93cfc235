// reconcile-provider-local: the local provider as a plugin.
#include "local_provider.h"
#include "reconcile/plugin.h"

int main() { return reconcile::ServeProvider(reconcile::MakeLocalProvider()); }
