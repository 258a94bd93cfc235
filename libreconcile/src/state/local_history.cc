// The local backend's state versions: after each apply the engine hands over
// the final document, kept as <dir>/history/<workspace>/<serial>.json (0600,
// written atomically); the oldest go once there are more than
// kLocalVersionsKept.
#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <filesystem>

#include "state/local_backend.h"

namespace reconcile {

namespace {

namespace fs = std::filesystem;

constexpr const char* kVersionSuffix = ".json";

std::string HistoryDir(const std::string& dir, const std::string& workspace) {
  return (fs::path(dir) / "history" / workspace).string();
}

// "00000000000000000042.json": names sort as serials do.
std::string VersionName(std::uint64_t serial) {
  char name[32];
  std::snprintf(name, sizeof name, "%020llu", static_cast<unsigned long long>(serial));
  return std::string(name) + kVersionSuffix;
}

// The version files of a workspace, newest (highest serial) first.
std::vector<std::string> VersionFiles(const std::string& history_dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(history_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.size() == 20 + std::string_view(kVersionSuffix).size() && name.ends_with(kVersionSuffix) &&
        std::all_of(name.begin(), name.begin() + 20, [](char c) { return c >= '0' && c <= '9'; }))
      names.push_back(name);
  }
  std::sort(names.rbegin(), names.rend());
  return names;
}

std::string ModifiedTime(const fs::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return "";
  std::tm utc{};
  gmtime_r(&info.st_mtime, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

Diagnostics LocalBackend::ListStateVersions(const std::string& workspace, std::size_t limit,
                                            std::vector<StateVersion>* out) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  out->clear();
  if (diags.HasErrors()) return diags;
  std::string dir = HistoryDir(dir_, workspace);
  for (const std::string& name : VersionFiles(dir)) {
    if (out->size() >= limit) break;
    out->push_back({name, ModifiedTime(fs::path(dir) / name)});
  }
  return diags;
}

Diagnostics LocalBackend::ReadStateVersion(const std::string& workspace, const std::string& id,
                                           std::string* document) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  if (id.find('/') != std::string::npos || id.starts_with(".")) {
    diags.Error("Invalid state version \"" + id + "\"", "Versions are the file names `history` lists.");
    return diags;
  }
  std::string path = (fs::path(HistoryDir(dir_, workspace)) / id).string();
  std::string error;
  files::ReadStatus status = files::ReadWholeFile(path, document, &error);
  if (status == files::ReadStatus::kMissing) diags.Error("No state version " + path, "It may have been pruned.");
  if (status == files::ReadStatus::kFailed) diags.Error("Cannot read " + path, error);
  return diags;
}

Diagnostics LocalBackend::KeepStateVersion(const std::string& workspace, const StateWrite& write) {
  Diagnostics diags = CheckWorkspaceName(workspace);
  if (diags.HasErrors()) return diags;
  std::string dir = HistoryDir(dir_, workspace);
  diags.Append(files::EnsureDirectory(dir));
  if (diags.HasErrors()) return diags;
  diags.Append(files::WriteAtomically((fs::path(dir) / VersionName(write.serial)).string(), write.document));
  std::vector<std::string> names = VersionFiles(dir);
  for (std::size_t i = kLocalVersionsKept; i < names.size(); ++i)
    diags.Append(files::RemoveFile((fs::path(dir) / names[i]).string()));
  return diags;
}

}  // namespace reconcile
