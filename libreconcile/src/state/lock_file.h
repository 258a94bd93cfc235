// An exclusive flock(2) on a lock file that also holds the holder's LockInfo
// as JSON. The kernel releases a flock when its holder exits, however it
// exits, so a lock can never outlive its process.
#pragma once

#include <string>

namespace reconcile::files {

class LockFile {
 public:
  enum class Status : unsigned char { kAcquired, kHeld, kFailed };

  LockFile() = default;
  ~LockFile() { Release(); }
  LockFile(LockFile&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) { other.fd_ = -1; }
  LockFile& operator=(LockFile&& other) noexcept;
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;

  // Tries once, without waiting, to lock `path` (created 0600 when missing).
  // kHeld: another open file (in this or another process) holds it.
  Status TryAcquire(const std::string& path, std::string* error);
  bool held() const { return fd_ >= 0; }

  // Replaces the file's content (the holder's LockInfo JSON) and fsyncs it.
  bool WriteContent(const std::string& content, std::string* error);
  // Removes the lock file and releases the lock: waiters notice the file is
  // gone and lock the next one.
  void RemoveAndRelease();
  // Releases the lock, leaving the file in place.
  void Release();

  // The content of a lock file ("" when missing or unreadable).
  static std::string ReadContent(const std::string& path);

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace reconcile::files
