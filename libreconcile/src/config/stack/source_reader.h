// Where stack files come from: the loader's only contact with the disk, so
// tests and the fuzzer can load stacks held in memory.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace reconcile::config {

class SourceReader {
 public:
  virtual ~SourceReader() = default;
  // Whether `dir` is a directory.
  virtual bool IsDirectory(const std::string& dir) = 0;
  // The names (not paths) of the *.toml files directly inside `dir`, sorted.
  virtual std::vector<std::string> ListTomlFiles(const std::string& dir) = 0;
  // The bytes of a file; false when it cannot be read.
  virtual bool ReadFile(const std::string& path, std::string* contents) = 0;
};

class DiskSourceReader : public SourceReader {
 public:
  bool IsDirectory(const std::string& dir) override;
  std::vector<std::string> ListTomlFiles(const std::string& dir) override;
  bool ReadFile(const std::string& path, std::string* contents) override;
};

// Files by absolute path ("/stack/main.toml"); a directory exists when a file
// lies somewhere below it.
class MemorySourceReader : public SourceReader {
 public:
  void Add(const std::string& path, std::string contents) { files_[path] = std::move(contents); }
  bool IsDirectory(const std::string& dir) override;
  std::vector<std::string> ListTomlFiles(const std::string& dir) override;
  bool ReadFile(const std::string& path, std::string* contents) override;

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace reconcile::config
