// The library's log: off unless RECONCILE_LOG is set (error, warn, info,
// debug, trace); written to stderr, or to RECONCILE_LOG_FILE when set.
// Thread-safe. Callers redact secrets before logging (see aws/redact.h).
#pragma once

#include <string_view>

namespace reconcile::log {

enum class Level : unsigned char { kOff, kError, kWarn, kInfo, kDebug, kTrace };

// True when messages at `level` are written; cheap, so guard costly formatting.
bool Enabled(Level level);
// Writes one line "2026-11-23T09:30:00.123Z DEBUG [component] message".
void Write(Level level, std::string_view component, std::string_view message);
// Re-reads RECONCILE_LOG / RECONCILE_LOG_FILE (tests change them).
void Reconfigure();

}  // namespace reconcile::log
