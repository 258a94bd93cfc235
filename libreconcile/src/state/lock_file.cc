#include "state/lock_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "state/atomic_file.h"

namespace reconcile::files {

LockFile& LockFile::operator=(LockFile&& other) noexcept {
  if (this != &other) {
    Release();
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

LockFile::Status LockFile::TryAcquire(const std::string& path, std::string* error) {
  Release();
  // A holder may remove the file between our open and our flock; then we hold a
  // lock on a file nobody else will look at, so we try again with the new file.
  for (int attempt = 0; attempt < 100; ++attempt) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      *error = ErrnoMessage("cannot open lock file", path, errno);
      return Status::kFailed;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int saved = errno;
      ::close(fd);
      if (saved == EWOULDBLOCK) return Status::kHeld;
      *error = ErrnoMessage("cannot lock", path, saved);
      return Status::kFailed;
    }
    struct stat held {};
    struct stat current {};
    if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &current) == 0 && held.st_dev == current.st_dev &&
        held.st_ino == current.st_ino) {
      fd_ = fd;
      path_ = path;
      return Status::kAcquired;
    }
    ::close(fd);
  }
  *error = "cannot lock " + path + ": the lock file keeps being replaced";
  return Status::kFailed;
}

bool LockFile::WriteContent(const std::string& content, std::string* error) {
  bool ok = ::ftruncate(fd_, 0) == 0 &&
            ::pwrite(fd_, content.data(), content.size(), 0) == static_cast<ssize_t>(content.size()) &&
            ::fsync(fd_) == 0;
  if (!ok) *error = ErrnoMessage("cannot write lock file", path_, errno);
  return ok;
}

void LockFile::RemoveAndRelease() {
  if (fd_ < 0) return;
  ::unlink(path_.c_str());
  SyncDirectory(DirectoryOf(path_));
  Release();
}

void LockFile::Release() {
  if (fd_ < 0) return;
  ::close(fd_);  // closing the only descriptor of the open file releases the flock
  fd_ = -1;
}

std::string LockFile::ReadContent(const std::string& path) {
  std::string content;
  std::string error;
  if (ReadWholeFile(path, &content, &error) != ReadStatus::kOk) return {};
  return content;
}

}  // namespace reconcile::files
