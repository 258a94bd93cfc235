#include "file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace reconcile::local_provider {

namespace {

namespace fs = std::filesystem;

std::string Describe(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// mkdir -p with `mode` for every directory it creates.
bool MakeParents(const fs::path& dir, mode_t mode, std::string* error) {
  if (dir.empty()) return true;
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return true;
  if (!MakeParents(dir.parent_path(), mode, error)) return false;
  if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) {
    *error = Describe("cannot create directory", dir.string());
    return false;
  }
  return true;
}

}  // namespace

ReadStatus ReadWholeFile(const std::string& path, std::string* bytes, std::string* error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return ReadStatus::kMissing;
    *error = Describe("cannot read", path);
    return ReadStatus::kError;
  }
  bytes->clear();
  char buffer[65536];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = Describe("cannot read", path);
      ::close(fd);
      return ReadStatus::kError;
    }
    if (n == 0) break;
    bytes->append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return ReadStatus::kOk;
}

bool WriteFileAtomically(const std::string& path, std::string_view bytes, mode_t mode,
                         mode_t directory_mode, std::string* error) {
  fs::path target(path);
  fs::path dir = target.parent_path();
  if (!MakeParents(dir, directory_mode, error)) return false;
  std::string temp = ((dir.empty() ? fs::path(".") : dir) /
                      ("." + target.filename().string() + ".reconcile-XXXXXX"))
                         .string();
  int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    *error = Describe("cannot create a temporary file beside", path);
    return false;
  }
  bool ok = WriteAll(fd, bytes) && ::fchmod(fd, mode & ~ProcessUmask()) == 0 && ::fsync(fd) == 0;
  if (!ok) *error = Describe("cannot write", temp);
  if (::close(fd) != 0 && ok) {
    ok = false;
    *error = Describe("cannot write", temp);
  }
  if (ok && ::rename(temp.c_str(), path.c_str()) != 0) {
    ok = false;
    *error = Describe("cannot replace", path);
  }
  if (!ok) ::unlink(temp.c_str());
  return ok;
}

bool RemoveFile(const std::string& path, std::string* error) {
  if (::unlink(path.c_str()) == 0 || errno == ENOENT) return true;
  *error = Describe("cannot delete", path);
  return false;
}

bool FileMode(const std::string& path, mode_t* mode) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return false;
  *mode = info.st_mode & 07777;
  return true;
}

mode_t ProcessUmask() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    mode_t value = 0;
    std::size_t start = line.find_first_not_of(" \t", 6);
    if (line.rfind("Umask:", 0) == 0 && start != std::string::npos &&
        ParseMode(line.substr(start), &value))
      return value;
  }
  return 022;
}

bool ParseMode(std::string_view text, mode_t* mode) {
  if (text.empty() || text.size() > 4) return false;
  mode_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '7') return false;
    value = value * 8 + static_cast<mode_t>(c - '0');
  }
  *mode = value;
  return true;
}

std::string FormatMode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace reconcile::local_provider
