// The stack's trust in its own plugins (reconcile/plugin.h: TrustStackPlugins):
// `.reconcile/plugins.lock` names each executable of `.reconcile/plugins/`
// with the SHA-256 of its content, as `reconcile init` found it. Discovery
// runs a plugin from the stack directory only when it is listed with its
// current checksum, so a checkout cannot run code nobody looked at.
#pragma once

#include <map>
#include <string>

#include "reconcile/diagnostics.h"

namespace reconcile::plugin {

// File name ("reconcile-provider-x") -> lowercase hex SHA-256.
using PluginChecksums = std::map<std::string, std::string>;

// The lock file of a stack directory.
std::string PluginLockPath(const std::string& stack_dir);

// Reads the lock file; a missing file is an empty map, a malformed one an error.
Diagnostics ReadPluginLock(const std::string& stack_dir, PluginChecksums* out);
// Writes the lock file (temp file and rename).
Diagnostics WritePluginLock(const std::string& stack_dir, const PluginChecksums& checksums);

// The SHA-256 of a file's content in hex; empty with *error when unreadable.
std::string FileSha256(const std::string& path, std::string* error);

// Why the stack plugin at `path` may not run, or empty when the lock file
// lists it with its current checksum. The reason says what to do.
std::string StackPluginTrustProblem(const std::string& stack_dir, const std::string& path);

}  // namespace reconcile::plugin
