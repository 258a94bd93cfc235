// The library's log: off unless RECONCILE_LOG is set (error, warn, info,
// debug, trace); written to stderr, or to RECONCILE_LOG_FILE when set (created
// 0600). Thread-safe. Callers redact secrets they recognise by name (see
// aws/redact.h); values known to be sensitive are registered with AddSecret
// and never reach the log, whoever writes them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace reconcile::log {

enum class Level : unsigned char { kOff, kError, kWarn, kInfo, kDebug, kTrace };

// True when messages at `level` are written; cheap, so guard costly formatting.
bool Enabled(Level level);
// Writes one line "2026-11-23T09:30:00.123Z DEBUG [component] message", with
// every registered secret replaced by "***".
void Write(Level level, std::string_view component, std::string_view message);
// Re-reads RECONCILE_LOG / RECONCILE_LOG_FILE (tests change them).
void Reconfigure();

// Registers a string this process's log must never show. Strings shorter than
// kMinSecretSize are ignored: hiding every "1" or "on" would garble the log
// and protect nothing. Registering the same string again is cheap.
inline constexpr std::size_t kMinSecretSize = 4;
void AddSecret(std::string_view secret);
// `text` with every registered secret replaced by "***" (what Write does).
std::string Scrub(std::string_view text);
// True when `text` contains a registered secret.
bool ContainsSecret(std::string_view text);

}  // namespace reconcile::log
