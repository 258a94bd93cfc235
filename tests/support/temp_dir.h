// A temporary directory removed (with its contents) when it goes out of scope.
#pragma once

#include <string>

namespace reconcile::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes `content` to path()/relative, creating directories; returns the full path.
  std::string Write(const std::string& relative, const std::string& content) const;
  // Reads path()/relative (empty when missing).
  std::string Read(const std::string& relative) const;

 private:
  std::string path_;
};

// The source tree root (RECONCILE_SOURCE_DIR, set by CTest).
std::string SourceDir();
// The build tree root (RECONCILE_BUILD_DIR, set by CTest).
std::string BuildDir();

}  // namespace reconcile::testing
