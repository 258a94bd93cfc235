// The engine's side of client-side encryption: the settings from
// RECONCILE_ENCRYPTION or the stack's [encryption] block, and the cipher every
// state, journal, plan-file and errored-state document goes through.
#pragma once

#include <memory>
#include <optional>

#include "config/stack/stack.h"
#include "encryption/envelope.h"
#include "reconcile/engine.h"

namespace reconcile::engine {

// The encryption settings in force: RECONCILE_ENCRYPTION (JSON or TOML of the
// block's shape) wins over the [encryption] block; nullopt when neither is
// there. The block may use var.NAME (for a passphrase), resolved from the
// stack's variable sources for `workspace`.
Diagnostics LoadEncryptionSettings(const config::Stack& stack, const EngineOptions& options,
                                   const std::string& workspace,
                                   std::optional<encryption::EncryptionSettings>* out);

// A cipher for the stack (disabled when nothing is configured); null with
// errors in diags when the settings are wrong.
std::shared_ptr<encryption::DocumentCipher> MakeStackCipher(const config::Stack& stack,
                                                            const EngineOptions& options,
                                                            const std::string& workspace, Diagnostics& diags);

}  // namespace reconcile::engine
