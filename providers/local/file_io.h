// File operations of the local provider: whole-file reads, atomic writes
// (temporary file, fsync, rename) and permission modes as Terraform writes
// them ("0644").
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace reconcile::local_provider {

enum class ReadStatus : unsigned char { kOk, kMissing, kError };

// Reads the file at `path` into *bytes; *error explains kError.
ReadStatus ReadWholeFile(const std::string& path, std::string* bytes, std::string* error);

// Writes `bytes` to `path` so readers see the old or the new content, never a
// mix: a temporary file in the same directory, fsync, rename. Missing parent
// directories are created with `directory_mode`. Both modes are reduced by
// the process umask, as open(2) and mkdir(2) do.
bool WriteFileAtomically(const std::string& path, std::string_view bytes, mode_t mode,
                         mode_t directory_mode, std::string* error);

// Removes the file; a file already gone is not an error.
bool RemoveFile(const std::string& path, std::string* error);

// The permission bits of the file at `path`.
bool FileMode(const std::string& path, mode_t* mode);

// The process umask (read without changing it).
mode_t ProcessUmask();

// "0644" or "644" (octal, at most 4 digits); false when malformed.
bool ParseMode(std::string_view text, mode_t* mode);
// Four octal digits: "0644".
std::string FormatMode(mode_t mode);

}  // namespace reconcile::local_provider
