// The state bucket itself: created idempotently by `init --bootstrap`
// (versioned, default encryption, public access blocked) and checked by `init`.
#pragma once

#include <string>
#include <vector>

#include "backends/s3/object_store.h"
#include "reconcile/diagnostics.h"

namespace reconcile::s3 {

// Creates the bucket when missing, then turns on versioning, sets default
// encryption when the bucket has none (SSE-KMS with the key of `objects`'
// encryption, else AES256) and blocks public access, each only when not
// already so. One report line per step, taken or skipped.
Diagnostics BootstrapBucket(const ObjectStore& objects, std::vector<std::string>* report);

// Checks that the bucket exists and these credentials may use it.
Diagnostics CheckBucket(const ObjectStore& objects);

}  // namespace reconcile::s3
