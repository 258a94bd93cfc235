// Durable file operations for state, journals and plan files: atomic replace
// (temp file in the same directory, fsync, rename, fsync directory), whole-file
// reads, and the identity (device, inode, size, mtime) that tells whether a
// file changed under us.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "reconcile/diagnostics.h"

namespace reconcile::files {

// What identifies one version of a file on disk.
struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::int64_t size = -1;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

struct AtomicWriteOptions {
  mode_t mode = 0600;
  // When set and the file exists, its current version is kept here first
  // (itself replaced atomically), so the file is never missing.
  std::string backup_path;
};

// Replaces `path` with `content` atomically and durably. On success *written
// (when given) is the identity of the new file.
Diagnostics WriteAtomically(const std::string& path, std::string_view content,
                            const AtomicWriteOptions& options = {}, FileIdentity* written = nullptr);

enum class ReadStatus : unsigned char { kOk, kMissing, kFailed };
// Reads a whole file; on kFailed *error says why. *identity (when given) is the
// identity of the version read.
ReadStatus ReadWholeFile(const std::string& path, std::string* out, std::string* error,
                         FileIdentity* identity = nullptr);

// The identity of `path`; false when it does not exist (or cannot be stat'ed).
bool Identify(const std::string& path, FileIdentity* out);

// Creates `path` and its missing parents with `mode` (0700 by default).
Diagnostics EnsureDirectory(const std::string& path, mode_t mode = 0700);
// Removes a file; a missing file is not an error.
Diagnostics RemoveFile(const std::string& path);
// fsyncs a directory so renames and unlinks in it are durable.
bool SyncDirectory(const std::string& dir);
// The directory part of a path ("." when there is none).
std::string DirectoryOf(const std::string& path);
// "what path: strerror(errno)".
std::string ErrnoMessage(std::string_view what, const std::string& path, int error_number);

}  // namespace reconcile::files
