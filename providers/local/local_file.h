// local_file and local_sensitive_file: a file on the machine running
// reconcile, as resource and as data source. A relative filename resolves
// against the working directory (the engine runs in the stack directory).
#pragma once

#include "reconcile/provider.h"

namespace reconcile::local_provider {

// `sensitive` selects local_sensitive_file: content is sensitive and the
// default permissions are 0700 instead of 0777.
ResourceSchema FileSchema(bool sensitive);
ResourceSchema FileDataSchema(bool sensitive);

Diagnostics ValidateFile(const Value& config);
PlanResponse PlanFile(const PlanRequest& request, bool sensitive);
ApplyResponse ApplyFile(const ApplyRequest& request, bool sensitive);
// A deleted file reads as gone (null); edited content or permissions read
// back as they are on disk, so the next plan shows the change back.
ReadResponse ReadFile(const ReadRequest& request, bool sensitive);
DataResponse ReadFileData(const DataRequest& request, bool sensitive);

}  // namespace reconcile::local_provider
