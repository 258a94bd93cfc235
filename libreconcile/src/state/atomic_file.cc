#include "state/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace reconcile::files {

namespace {

FileIdentity IdentityOf(const struct stat& st) {
  return FileIdentity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                      static_cast<std::int64_t>(st.st_size),
                      static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

std::string BaseName(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool WriteAll(int fd, std::string_view content) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Writes content to a new temp file beside `path`; returns its name or "" with *error set.
std::string WriteTempFile(const std::string& path, std::string_view content, mode_t mode,
                          FileIdentity* identity, std::string* error) {
  std::string temp = DirectoryOf(path) + "/." + BaseName(path) + ".tmp.XXXXXX";
  int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) {
    *error = ErrnoMessage("cannot create a temporary file", temp, errno);
    return {};
  }
  struct stat st {};
  bool ok = ::fchmod(fd, mode) == 0 && WriteAll(fd, content) && ::fsync(fd) == 0 && ::fstat(fd, &st) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok) {
    *error = ErrnoMessage("cannot write", temp, saved);
    ::unlink(temp.c_str());
    return {};
  }
  if (identity) *identity = IdentityOf(st);
  return temp;
}

// Keeps the current version of `path` as `backup` (hard link, swapped in atomically).
bool KeepBackup(const std::string& path, const std::string& backup, std::string* error) {
  std::string temp = backup + ".tmp." + std::to_string(::getpid());
  ::unlink(temp.c_str());
  if (::link(path.c_str(), temp.c_str()) != 0) {
    if (errno == ENOENT) return true;  // nothing to keep yet
    *error = ErrnoMessage("cannot keep a backup of", path, errno);
    return false;
  }
  if (::rename(temp.c_str(), backup.c_str()) != 0) {
    *error = ErrnoMessage("cannot keep a backup at", backup, errno);
    ::unlink(temp.c_str());
    return false;
  }
  return true;
}

}  // namespace

std::string ErrnoMessage(std::string_view what, const std::string& path, int error_number) {
  return std::string(what) + " " + path + ": " + std::strerror(error_number);
}

std::string DirectoryOf(const std::string& path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Diagnostics WriteAtomically(const std::string& path, std::string_view content,
                            const AtomicWriteOptions& options, FileIdentity* written) {
  Diagnostics diags;
  std::string error;
  std::string temp = WriteTempFile(path, content, options.mode, written, &error);
  if (temp.empty()) {
    diags.Error("cannot write " + path, error);
    return diags;
  }
  if (!options.backup_path.empty() && !KeepBackup(path, options.backup_path, &error)) {
    ::unlink(temp.c_str());
    diags.Error("cannot write " + path, error);
    return diags;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    diags.Error("cannot write " + path, ErrnoMessage("cannot rename into place", temp, errno));
    ::unlink(temp.c_str());
    return diags;
  }
  if (!SyncDirectory(DirectoryOf(path)))
    diags.Error("cannot write " + path, ErrnoMessage("cannot sync directory", DirectoryOf(path), errno));
  return diags;
}

ReadStatus ReadWholeFile(const std::string& path, std::string* out, std::string* error,
                         FileIdentity* identity) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return ReadStatus::kMissing;
    *error = ErrnoMessage("cannot open", path, errno);
    return ReadStatus::kFailed;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    *error = ErrnoMessage("cannot stat", path, errno);
    ::close(fd);
    return ReadStatus::kFailed;
  }
  out->resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (true) {
    if (done == out->size()) out->resize(done + 4096);  // the file grew
    ssize_t n = ::read(fd, out->data() + done, out->size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = ErrnoMessage("cannot read", path, errno);
      ::close(fd);
      return ReadStatus::kFailed;
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  out->resize(done);
  ::close(fd);
  if (identity) *identity = IdentityOf(st);
  return ReadStatus::kOk;
}

bool Identify(const std::string& path, FileIdentity* out) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  *out = IdentityOf(st);
  return true;
}

Diagnostics EnsureDirectory(const std::string& path, mode_t mode) {
  Diagnostics diags;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) diags.Error("cannot use " + path, "it exists and is not a directory");
    return diags;
  }
  std::string parent = DirectoryOf(path);
  if (parent != path && parent != "." && parent != "/") {
    diags = EnsureDirectory(parent, mode);
    if (diags.HasErrors()) return diags;
  }
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST)
    diags.Error("cannot create directory " + path, ErrnoMessage("mkdir", path, errno));
  return diags;
}

Diagnostics RemoveFile(const std::string& path) {
  Diagnostics diags;
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    diags.Error("cannot remove " + path, ErrnoMessage("unlink", path, errno));
  return diags;
}

bool SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace reconcile::files
