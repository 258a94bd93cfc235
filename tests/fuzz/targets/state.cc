// State documents and the pending-operation journal: the input is the
// document. Whatever the reader accepts, the writer must write in a form the
// reader reads back to the same document.
#include <map>
#include <string>

#include "fuzz_targets.h"
#include "reconcile/state.h"
#include "state/state_identity.h"

namespace reconcile::fuzz {

void FuzzStateDocument(std::string_view input) {
  StateIdentity identity;
  std::string error;
  (void)PeekStateIdentity(input, &identity, &error);
  State state;
  Diagnostics diags = ParseState(input, &state);
  (void)diags.ToString();
  if (diags.HasErrors()) return;
  const std::string written = SerializeState(state);
  State again;
  Diagnostics reread = ParseState(written, &again);
  FUZZ_CHECK(!reread.HasErrors());
  FUZZ_CHECK(SerializeState(again) == written);
  FUZZ_CHECK(PeekStateIdentity(written, &identity, &error));
  FUZZ_CHECK(identity.lineage == state.lineage && identity.serial == state.serial);
}

void FuzzPendingJournal(std::string_view input) {
  std::map<std::string, PendingOperation> pending;
  Diagnostics diags = ParsePending(input, &pending);
  (void)diags.ToString();
  if (diags.HasErrors()) return;
  const std::string written = SerializePending(pending);
  std::map<std::string, PendingOperation> again;
  FUZZ_CHECK(!ParsePending(written, &again).HasErrors());
  FUZZ_CHECK(SerializePending(again) == written);
}

}  // namespace reconcile::fuzz
