#include "config/stack/source_reader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace reconcile::config {

namespace fs = std::filesystem;

bool DiskSourceReader::IsDirectory(const std::string& dir) {
  std::error_code error;
  return fs::is_directory(dir, error);
}

std::vector<std::string> DiskSourceReader::ListTomlFiles(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const fs::path& path = it->path();
    std::error_code type_error;
    if (path.extension() == ".toml" && fs::is_regular_file(path, type_error))
      names.push_back(path.filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool DiskSourceReader::ReadFile(const std::string& path, std::string* contents) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *contents = buffer.str();
  return !in.bad();
}

bool MemorySourceReader::IsDirectory(const std::string& dir) {
  const std::string prefix = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  auto it = files_.lower_bound(prefix);
  return it != files_.end() && it->first.rfind(prefix, 0) == 0;
}

std::vector<std::string> MemorySourceReader::ListTomlFiles(const std::string& dir) {
  const std::string prefix = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  std::vector<std::string> names;
  for (auto it = files_.lower_bound(prefix); it != files_.end(); ++it) {
    if (it->first.rfind(prefix, 0) != 0) break;
    std::string rest = it->first.substr(prefix.size());
    if (rest.find('/') == std::string::npos && rest.size() > 5 &&
        rest.compare(rest.size() - 5, 5, ".toml") == 0)
      names.push_back(rest);
  }
  return names;
}

bool MemorySourceReader::ReadFile(const std::string& path, std::string* contents) {
  auto it = files_.find(path);
  if (it == files_.end()) return false;
  *contents = it->second;
  return true;
}

}  // namespace reconcile::config
